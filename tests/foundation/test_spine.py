"""The shared spine of every case type: create entry, effect rules, conditions, queries,
recipients and the public timeline (tests.caseapp.Ticket, a minimal case type)."""

import datetime as dt

import pytest
from django.utils import timezone

from kupang_portal.accounts.models import OfficeMembership
from kupang_portal.accounts.roles import Role
from kupang_portal.organization import calendar
from kupang_portal.workflow import engine, recipients, timeline
from kupang_portal.workflow.engine import Actor, Transition, Workflow
from kupang_portal.workflow.models import CaseEvent
from kupang_portal.workflow.numbering import next_number
from tests import factories
from tests.caseapp import models as caseapp
from tests.caseapp.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def new_ticket(owner=None, office="DISDUKCAPIL"):
    return Ticket(number=next_number("TKT"), owner=owner, office=factories.office(office))


def test_create_enters_the_first_state_with_history_lifecycle_and_after_commit_effects(django_capture_on_commit_callbacks):
    owner = factories.resident()
    ticket = new_ticket(owner)
    with django_capture_on_commit_callbacks(execute=True):
        event = engine.create(ticket, "open", owner)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW and ticket.version == 0
    assert ticket.is_open and ticket.submitted_at is not None
    assert (event.transition, event.from_state, event.to_state, event.actor_id) == ("open", "", "new", owner.pk)
    assert CaseEvent.objects.for_case(ticket).count() == 1
    assert ticket.pk in caseapp.OPENED


def test_create_refuses_a_transition_with_sources_and_an_actor_not_allowed():
    with pytest.raises(engine.WorkflowMisconfigured):
        engine.create(new_ticket(), "check", None)
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    ticket = new_ticket(factories.resident())
    with pytest.raises(engine.ActorNotPermitted):
        engine.create(ticket, "open", clerk)  # a clerk is not the owner, nor the system
    assert ticket.pk is None and not Ticket.objects.exists()


def test_an_effect_that_changes_status_is_refused_and_nothing_is_saved(monkeypatch):
    """Only the declared target sets the state: an effect that moves it is a programming error."""

    def sneaky(case, actor, ctx):
        case.status = TicketStatus.DONE

    workflow = Workflow("ticket-bad", TicketStatus, [
        Transition("forward", (TicketStatus.NEW,), TicketStatus.NEW, "Teruskan", frozenset({Actor.SYSTEM}),
                   keeps_state=True, effect=sneaky),
    ])
    ticket = Ticket.objects.create(number="TKT-BAD-1", office=factories.office("DISDUKCAPIL"), status=TicketStatus.NEW)
    monkeypatch.setattr(Ticket, "workflow", workflow)
    with pytest.raises(engine.WorkflowMisconfigured):
        engine.perform(ticket, "forward", None)
    assert ticket.status == TicketStatus.NEW
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW and ticket.version == 0
    assert not CaseEvent.objects.for_case(ticket).exists()


def test_rollback_callbacks_run_when_the_transition_fails_after_its_effect(monkeypatch):
    undone = []

    def effect(case, actor, ctx):
        ctx.on_rollback.append(lambda: undone.append("file removed"))

    workflow = Workflow("ticket-rb", TicketStatus, [
        Transition("check", (TicketStatus.NEW,), TicketStatus.CHECKED, "Periksa", frozenset({Actor.SYSTEM}), effect=effect),
    ])
    ticket = Ticket.objects.create(number="TKT-RB-1", office=factories.office("DISDUKCAPIL"), status=TicketStatus.NEW)
    Ticket.objects.filter(pk=ticket.pk).update(version=5)  # another change got there first
    monkeypatch.setattr(Ticket, "workflow", workflow)
    with pytest.raises(engine.ConcurrentTransition):
        engine.perform(ticket, "check", None)
    assert undone == ["file removed"]


def test_available_offers_only_transitions_whose_condition_holds(monkeypatch):
    workflow = Workflow("ticket-cond", TicketStatus, [
        Transition("check", (TicketStatus.NEW,), TicketStatus.CHECKED, "Periksa", frozenset({Actor.CLERK}),
                   applies=lambda case: case.assignee_id is not None),
        Transition("reject", (TicketStatus.NEW,), TicketStatus.REJECTED, "Tolak", frozenset({Actor.CLERK})),
    ])
    monkeypatch.setattr(Ticket, "workflow", workflow)
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    ticket = Ticket.objects.create(number="TKT-C-1", office=factories.office("DISDUKCAPIL"), status=TicketStatus.NEW)
    assert [t.name for t in workflow.available(ticket, clerk)] == ["reject"]
    assert not workflow.can(ticket, clerk, "check")
    with pytest.raises(engine.TransitionNotAllowed):
        engine.perform(ticket, "check", clerk)
    ticket.assignee = clerk
    assert workflow.can(ticket, clerk, "check")


def test_case_queryset_open_due_soon_overdue_and_visible_to():
    now = timezone.now()
    office = factories.office("DISDUKCAPIL")
    horizon = calendar.end_of_working_day(calendar.add_working_days(now, 1))
    make = lambda n, status=TicketStatus.CHECKED, **kw: Ticket.objects.create(number=f"TKT-Q-{n}", office=office, status=status, **kw)  # noqa: E731
    overdue = make(1, deadline=now - dt.timedelta(hours=1))
    soon = make(2, deadline=horizon - dt.timedelta(minutes=1))
    later = make(3, deadline=horizon + dt.timedelta(days=3))
    paused = make(4, deadline=now - dt.timedelta(hours=1), sla_paused_at=now)
    done = make(5, status=TicketStatus.DONE, deadline=now - dt.timedelta(hours=1))
    other = Ticket.objects.create(number="TKT-Q-6", office=factories.office("PUPR"), status=TicketStatus.NEW)
    qs = Ticket.objects.all()
    assert set(qs.open()) == {overdue, soon, later, paused, other}  # the is_open column, kept by save()
    assert list(qs.overdue(now)) == [overdue]
    assert list(qs.due_soon(now)) == [soon]
    assert list(qs.on_time(now)) == [later]
    assert list(qs.paused()) == [paused]
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    assert set(qs.visible_to(clerk)) == {overdue, soon, later, paused, done}
    assert set(qs.visible_to(factories.staff(Role.SUPERVISOR))) == set(qs)
    assert not qs.visible_to(factories.resident()).exists()


def test_recipients_are_active_staff_with_an_active_membership():
    """The one rule for staff notices: active user, is_staff, active membership of the office."""
    clerk = factories.staff(Role.CLERK, "DLHK")
    head = factories.staff(Role.OFFICE_HEAD, "DLHK")
    not_staff = factories.staff(Role.CLERK, "DLHK")
    inactive = factories.staff(Role.CLERK, "DLHK", is_active=False)
    type(not_staff).objects.filter(pk=not_staff.pk).update(is_staff=False)
    ended = factories.staff(Role.CLERK, "DLHK")
    OfficeMembership.objects.filter(user=ended).update(is_active=False)
    factories.staff(Role.CLERK, "PUPR")
    verifier = factories.staff(Role.VERIFIER, "BAG_ORGANISASI")
    desk_not_staff = factories.staff(Role.VERIFIER, "BAG_ORGANISASI")
    type(desk_not_staff).objects.filter(pk=desk_not_staff.pk).update(is_staff=False)
    supervisor = factories.staff(Role.SUPERVISOR)
    dlhk = factories.office("DLHK")
    assert recipients.office_staff(dlhk) == [clerk, head]
    assert recipients.office_clerks(dlhk) == [clerk]
    assert recipients.office_heads(dlhk) == [head]
    assert recipients.desk() == [verifier]
    assert recipients.supervisors() == [supervisor]
    assert not_staff not in recipients.office_staff(dlhk) and inactive not in recipients.office_staff(dlhk)
    # An office without clerks: its head works the queue.
    dinkes_head = factories.staff(Role.OFFICE_HEAD, "DINKES")
    assert recipients.office_clerks(factories.office("DINKES")) == [dinkes_head]


def test_public_timeline_tells_the_owner_with_anda_and_names_the_office():
    owner = factories.resident()
    ticket = new_ticket(owner)
    engine.create(ticket, "open", owner)
    office = factories.office("DISDUKCAPIL").name
    assert [r["label"] for r in timeline.build(ticket, to_owner=True)] == [f"Anda membuka tiket di {office}."]
    assert [r["label"] for r in timeline.build(ticket, to_owner=False)] == [f"Tiket dibuka di {office}."]
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    engine.perform(ticket, "check", clerk, note="catatan")
    rows = timeline.build(ticket, to_owner=True)
    assert rows[1]["label"] == "Periksa" and rows[1]["note"] == "catatan"  # no sentence declared: the label
    assert timeline.build(ticket, to_owner=False)[1]["note"] == ""


def test_public_timeline_names_actors_and_actions_in_the_readers_language():
    """History rows keep the words of the request that wrote them; the reader sees their own."""
    from django.utils import translation

    owner = factories.resident()
    ticket = new_ticket(owner)
    with translation.override("en"):
        engine.create(ticket, "open", owner)  # stored while the resident browsed in English
    engine.perform(ticket, "check", factories.staff(Role.CLERK, "DISDUKCAPIL"))
    CaseEvent.objects.create(content_type=CaseEvent.objects.for_case(ticket).first().content_type, object_id=ticket.pk,
                             transition="expire", transition_label="Kedaluwarsa", actor_label="Sistem")
    stored = list(CaseEvent.objects.for_case(ticket).values_list("actor_label", flat=True))
    assert stored == ["Applicant/complainant", "Dukcapil", "Sistem"]
    assert [r["actor"] for r in timeline.build(ticket, to_owner=False)] == ["Pemohon/pelapor", "Dukcapil", "Sistem"]
    with translation.override("en"):
        rows = timeline.build(ticket, to_owner=False)
    assert [r["actor"] for r in rows] == ["Applicant/complainant", "Dukcapil", "System"]
    # A transition the workflow no longer declares keeps its stored name.
    assert rows[2]["label"] == "Kedaluwarsa"
