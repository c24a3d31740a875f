"""The shared workflow engine, on a minimal case type (tests.caseapp.Ticket)."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from kupang_portal.accounts.roles import Role
from kupang_portal.notifications.models import Notification
from kupang_portal.workflow import engine
from kupang_portal.workflow.models import CaseEvent
from kupang_portal.workflow.numbering import next_number
from tests import factories
from tests.caseapp.models import Ticket, TicketStatus

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return factories.resident()


@pytest.fixture
def clerk():
    return factories.staff(Role.CLERK, "DISDUKCAPIL")


@pytest.fixture
def ticket(owner):
    return Ticket.objects.create(number=next_number("TKT"), owner=owner, office=factories.office("DISDUKCAPIL"), status=TicketStatus.NEW)


def test_allowed_transition_changes_state_and_writes_one_history_row(ticket, clerk):
    event = engine.perform(ticket, "check", clerk, note="Berkas lengkap")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CHECKED
    assert ticket.version == 1
    assert ticket.deadline is not None
    rows = list(CaseEvent.objects.for_case(ticket))
    assert rows == [event]
    assert (event.from_state, event.to_state, event.note, event.actor) == ("new", "checked", "Berkas lengkap", clerk)
    # The timeline names the office, never the clerk.
    assert event.actor_label == "Dukcapil"
    assert event.actor_office.code == "DISDUKCAPIL"


def test_transition_from_wrong_state_is_refused_and_changes_nothing(ticket, clerk):
    with pytest.raises(engine.TransitionNotAllowed):
        engine.perform(ticket, "finish", clerk)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW and ticket.version == 0
    assert not CaseEvent.objects.for_case(ticket).exists()


def test_unknown_transition_is_refused(ticket, clerk):
    with pytest.raises(engine.TransitionError):
        engine.perform(ticket, "teleport", clerk)


def test_guards_per_role(ticket, owner, clerk):
    other_office_clerk = factories.staff(Role.CLERK, "DLHK")
    supervisor = factories.staff(Role.SUPERVISOR)
    stranger = factories.resident()
    for actor in (owner, other_office_clerk, supervisor, stranger):
        with pytest.raises(engine.ActorNotPermitted):
            engine.perform(ticket, "check", actor)
    engine.perform(ticket, "check", clerk)
    engine.perform(ticket, "ask", clerk, note="Foto KK buram")
    # Only the owner may resubmit; the clerk may not do it on the resident's behalf.
    with pytest.raises(engine.ActorNotPermitted):
        engine.perform(ticket, "resubmit", clerk)
    engine.perform(ticket, "resubmit", owner)
    assert ticket.status == TicketStatus.CHECKED


def test_office_head_may_reject_but_not_check(ticket):
    head = factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL")
    kinds = engine.actor_kinds(head, ticket)
    assert engine.Actor.OFFICE_HEAD in kinds and engine.Actor.CLERK in kinds
    engine.perform(ticket, "reject", head, note="Bukan permohonan")
    assert ticket.status == TicketStatus.REJECTED


def test_available_lists_only_what_the_actor_may_do(ticket, owner, clerk):
    assert {t.name for t in ticket.workflow.available(ticket, clerk)} == {"check", "reject"}
    assert ticket.workflow.available(ticket, owner) == []


def test_note_required(ticket, clerk):
    with pytest.raises(engine.NoteRequired):
        engine.perform(ticket, "reject", clerk, note="   ")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW


def test_guard_message_is_returned(ticket, clerk):
    engine.perform(ticket, "check", clerk)
    with pytest.raises(engine.TransitionError) as exc:
        engine.perform(ticket, "finish", clerk)
    assert str(exc.value.message) == "Ambil kasus dulu."
    engine.assign(ticket, clerk, clerk)
    engine.perform(ticket, "finish", clerk)
    assert ticket.status == TicketStatus.DONE


def test_system_actor_and_forward_keeps_state_and_records_offices(ticket, clerk):
    engine.perform(ticket, "check", clerk)
    event = engine.perform(ticket, "forward", None, data={"office_code": "PUPR"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CHECKED
    assert ticket.office.code == "PUPR"
    assert (event.from_office.code, event.to_office.code, event.actor_label) == ("DISDUKCAPIL", "PUPR", "Sistem")


def test_stale_version_is_refused_with_clear_message(ticket, clerk):
    stale = Ticket.objects.get(pk=ticket.pk)
    engine.perform(ticket, "check", clerk)
    with pytest.raises(engine.ConcurrentTransition) as exc:
        engine.perform(stale, "reject", clerk, note="terlambat")
    assert "petugas lain" in str(exc.value.message)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CHECKED
    assert CaseEvent.objects.for_case(ticket).count() == 1
    # The in-memory object is restored, not left half-changed.
    assert stale.status == TicketStatus.NEW and stale.version == 0


def test_expected_version_from_the_form_is_checked(ticket, clerk):
    with pytest.raises(engine.ConcurrentTransition):
        engine.perform(ticket, "check", clerk, expected_version=7)
    engine.perform(ticket, "check", clerk, expected_version=0)


def test_sla_clock_pauses_and_resumes(ticket, owner, clerk):
    monday = dt.datetime(2026, 11, 30, 9, tzinfo=WITA)
    engine.perform(ticket, "check", clerk, now=monday)
    assert ticket.deadline == dt.datetime(2026, 12, 3, 23, 59, 59, tzinfo=WITA)
    engine.perform(ticket, "ask", clerk, note="Lengkapi", now=dt.datetime(2026, 12, 1, 10, tzinfo=WITA))
    assert ticket.sla_paused and ticket.sla_remaining_days == 2
    # The resident answers a week later: two working days remain from then.
    engine.perform(ticket, "resubmit", owner, now=dt.datetime(2026, 12, 8, 10, tzinfo=WITA))
    assert not ticket.sla_paused
    assert ticket.deadline == dt.datetime(2026, 12, 10, 23, 59, 59, tzinfo=WITA)


def test_take_case_only_for_own_office(ticket, clerk):
    other = factories.staff(Role.CLERK, "DLHK")
    with pytest.raises(engine.ActorNotPermitted):
        engine.assign(ticket, other, other)
    engine.assign(ticket, clerk, clerk)
    ticket.refresh_from_db()
    assert ticket.assignee == clerk
    # A clerk can't hand a case to someone else; only the office head can.
    colleague = factories.staff(Role.CLERK, "DISDUKCAPIL")
    with pytest.raises(engine.ActorNotPermitted):
        engine.assign(ticket, colleague, clerk)
    head = factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL")
    engine.assign(ticket, colleague, head)
    assert ticket.assignee == colleague


def test_hook_writes_outbox_in_the_same_transaction(ticket, owner, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(ticket, "check", clerk)
    rows = Notification.objects.filter(recipient=owner, event="application_verified")
    assert {r.channel for r in rows} == {"inapp", "email", "whatsapp"} - ({"whatsapp"} if not owner.phone else set())
    assert all(r.status == Notification.Status.SENT for r in rows)


def test_failed_transaction_rolls_back_state_history_and_outbox(ticket, owner, clerk):
    with pytest.raises(RuntimeError), transaction.atomic():
        engine.perform(ticket, "check", clerk)
        raise RuntimeError("later failure in the same request")
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.NEW
    assert not CaseEvent.objects.for_case(ticket).exists()
    assert not Notification.objects.filter(recipient=owner).exists()


def test_numbers_are_readable_and_sequential():
    first, second = next_number("KTP"), next_number("KTP")
    assert first.startswith("KTP-20") and len(first) == len("KTP-2026-000001")
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_numbering_continues_after_the_counter_row():
    """On PostgreSQL a prefix and year's first number creates its sequence after the counter row
    (numbers drawn before the sequences, or loaded by generate_cases); on SQLite the row counts."""
    from django.utils import timezone

    from kupang_portal.workflow.models import NumberSequence

    NumberSequence.objects.create(key=f"OLD-{timezone.localtime().year}", last_value=41)
    assert next_number("OLD").endswith("-000042")
    assert next_number("OLD").endswith("-000043")


def test_bulk_loaded_numbers_move_numbering_on_and_never_back():
    from kupang_portal.workflow import numbering

    key = next_number("BULK").rsplit("-", 1)[0]  # on PostgreSQL: the sequence exists now
    assert numbering.last_values()[key] == 1
    numbering.set_last_values({key: 500})
    assert numbering.last_values()[key] == 500
    assert next_number("BULK") == f"{key}-000501"
    numbering.set_last_values({key: 10})
    assert next_number("BULK") == f"{key}-000502"


@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_once_exactly_one_succeeds():
    """Two connections act on the same case at the same moment: one wins, the other is told."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (SQLite serialises writers); set DATABASE_URL")
    owner = factories.resident()
    ticket = Ticket.objects.create(number="TKT-RACE-1", owner=owner, office=factories.office("DISDUKCAPIL"), status=TicketStatus.NEW)
    clerks = [factories.staff(Role.CLERK, "DISDUKCAPIL"), factories.staff(Role.CLERK, "DISDUKCAPIL")]
    barrier = threading.Barrier(2)
    outcomes = []

    def act(clerk, transition, note):
        try:
            case = Ticket.objects.get(pk=ticket.pk)
            barrier.wait(timeout=10)
            engine.perform(case, transition, clerk, note=note)
            outcomes.append("ok")
        except engine.TransitionError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(clerks[0], "check", "")), threading.Thread(target=act, args=(clerks[1], "reject", "spam"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["ConcurrentTransition", "ok"]
    ticket.refresh_from_db()
    assert ticket.version == 1
    assert CaseEvent.objects.for_case(ticket).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_numbering_gives_distinct_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL; set DATABASE_URL")
    numbers, barrier = [], threading.Barrier(4)

    def draw():
        barrier.wait(timeout=10)
        for _ in range(10):
            numbers.append(next_number("RACE"))
        connections.close_all()

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(numbers) == 40 and len(set(numbers)) == 40


def test_code_verified_owner_acts_as_owner_without_an_account():
    """An anonymous reporter (no account) proven by the case's code: owner kind, no person stored."""
    ticket = Ticket.objects.create(number="TKT-ANON-1", owner=None, office=factories.office("DISDUKCAPIL"), status=TicketStatus.WAITING)
    reporter = engine.CodeVerifiedOwner("Pelapor")
    assert engine.actor_kinds(reporter, ticket) == {engine.Actor.OWNER}
    event = engine.perform(ticket, "resubmit", reporter)
    assert ticket.status == TicketStatus.CHECKED
    assert (event.actor_id, event.actor_label) == (None, "Pelapor")
    with pytest.raises(engine.ActorNotPermitted):
        engine.perform(ticket, "finish", reporter)
