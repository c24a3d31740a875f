"""The shared staff queue (workflow.admin.CaseAdmin) on the test ticket type."""

import pytest
from django.contrib.auth.models import Permission

from kupang_portal.accounts.roles import Role
from kupang_portal.workflow.models import CaseEvent
from tests import factories
from tests.caseapp.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def clerk_of(office_code):
    user = factories.staff(Role.CLERK, office_code)
    user.user_permissions.add(Permission.objects.get(codename="view_ticket"))
    return user


@pytest.fixture
def tickets():
    owner = factories.resident()
    return {
        code: Ticket.objects.create(number=f"TKT-{code}", owner=owner, office=factories.office(code), status=TicketStatus.NEW)
        for code in ("DISDUKCAPIL", "DLHK")
    }


def test_queue_shows_only_own_office(client, tickets):
    client.force_login(clerk_of("DISDUKCAPIL"))
    page = client.get("/admin/caseapp/ticket/")
    assert page.status_code == 200
    assert b"TKT-DISDUKCAPIL" in page.content
    assert b"TKT-DLHK" not in page.content


def test_other_office_case_is_404_in_detail_and_actions(client, tickets):
    client.force_login(clerk_of("DISDUKCAPIL"))
    other = tickets["DLHK"]
    # 404 on every address of the case, never the admin's "does not exist" redirect.
    for page in ("change", "history"):
        assert client.get(f"/admin/caseapp/ticket/{other.pk}/{page}/").status_code == 404, page
    assert client.get(f"/admin/caseapp/ticket/{other.pk}/").status_code in (301, 302, 404)
    assert client.post(f"/admin/caseapp/ticket/{other.pk}/tindakan/check/", {"version": 0}).status_code == 404
    assert client.post(f"/admin/caseapp/ticket/{other.pk}/ambil/", {"version": 0}).status_code == 404
    other.refresh_from_db()
    assert other.status == TicketStatus.NEW and other.assignee is None


def test_clerk_performs_transition_from_the_panel(client, tickets):
    clerk = clerk_of("DISDUKCAPIL")
    client.force_login(clerk)
    ticket = tickets["DISDUKCAPIL"]
    change = client.get(f"/admin/caseapp/ticket/{ticket.pk}/change/")
    assert b'data-testid="action-check"' in change.content
    response = client.post(f"/admin/caseapp/ticket/{ticket.pk}/tindakan/check/", {"version": 0, "note": "ok"}, follow=True)
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CHECKED
    assert CaseEvent.objects.for_case(ticket).get().actor == clerk


def test_missing_reason_keeps_the_form_and_changes_nothing(client, tickets):
    client.force_login(clerk_of("DISDUKCAPIL"))
    ticket = tickets["DISDUKCAPIL"]
    response = client.post(f"/admin/caseapp/ticket/{ticket.pk}/tindakan/reject/", {"version": 0, "note": ""})
    assert response.status_code == 200
    assert "wajib diisi" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW


def test_stale_version_from_a_second_clerk_is_refused_with_message(client, tickets):
    ticket = tickets["DISDUKCAPIL"]
    first, second = clerk_of("DISDUKCAPIL"), clerk_of("DISDUKCAPIL")
    client.force_login(first)
    client.post(f"/admin/caseapp/ticket/{ticket.pk}/tindakan/check/", {"version": 0})
    client.force_login(second)
    response = client.post(f"/admin/caseapp/ticket/{ticket.pk}/tindakan/reject/", {"version": 0, "note": "spam"})
    assert "petugas lain" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CHECKED


def test_take_case_button(client, tickets):
    clerk = clerk_of("DISDUKCAPIL")
    client.force_login(clerk)
    ticket = tickets["DISDUKCAPIL"]
    client.post(f"/admin/caseapp/ticket/{ticket.pk}/ambil/", {"version": 0})
    ticket.refresh_from_db()
    assert ticket.assignee == clerk


def test_history_is_read_only_and_cases_cannot_be_edited_or_deleted(client, tickets):
    client.force_login(factories.staff(Role.ADMIN, is_superuser=True))
    ticket = tickets["DISDUKCAPIL"]
    assert client.post(f"/admin/caseapp/ticket/{ticket.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/caseapp/ticket/{ticket.pk}/change/", {"status": "done"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW
    assert client.get("/admin/workflow/caseevent/").status_code == 404  # no admin to edit history


def test_supervisor_sees_every_office_but_has_no_actions(client, tickets):
    supervisor = factories.staff(Role.SUPERVISOR)
    supervisor.user_permissions.add(Permission.objects.get(codename="view_ticket"))
    client.force_login(supervisor)
    page = client.get("/admin/caseapp/ticket/").content
    assert b"TKT-DISDUKCAPIL" in page and b"TKT-DLHK" in page
    change = client.get(f"/admin/caseapp/ticket/{tickets['DLHK'].pk}/change/").content
    assert b'data-testid="action-' not in change
    client.post(f"/admin/caseapp/ticket/{tickets['DLHK'].pk}/tindakan/check/", {"version": 0})
    assert Ticket.objects.get(pk=tickets["DLHK"].pk).status == TicketStatus.NEW


def test_sla_filter_and_badge(client, tickets):
    from kupang_portal.workflow import engine

    clerk = clerk_of("DISDUKCAPIL")
    engine.perform(tickets["DISDUKCAPIL"], "check", clerk)
    client.force_login(clerk)
    page = client.get("/admin/caseapp/ticket/?sla=on_time").content.decode()
    assert "TKT-DISDUKCAPIL" in page and 'data-sla="on_time"' in page
    assert "TKT-DISDUKCAPIL" not in client.get("/admin/caseapp/ticket/?sla=overdue").content.decode()


def test_transition_page_get_renders_and_unknown_transition_is_404(client, tickets):
    client.force_login(clerk_of("DISDUKCAPIL"))
    ticket = tickets["DISDUKCAPIL"]
    page = client.get(f"/admin/caseapp/ticket/{ticket.pk}/tindakan/reject/?version=0")
    assert page.status_code == 200 and 'name="version" value="0"' in page.content.decode()
    assert client.get(f"/admin/caseapp/ticket/{ticket.pk}/tindakan/teleport/").status_code == 404


def test_closed_cases_show_done_and_come_after_open_ones(client, tickets):
    import datetime as dt

    from django.utils import timezone

    clerk = clerk_of("DISDUKCAPIL")
    owner = tickets["DISDUKCAPIL"].owner
    past = timezone.now() - dt.timedelta(days=30)
    Ticket.objects.create(number="TKT-DONE", owner=owner, office=factories.office("DISDUKCAPIL"), status=TicketStatus.DONE, deadline=past)
    Ticket.objects.filter(pk=tickets["DISDUKCAPIL"].pk).update(deadline=timezone.now() + dt.timedelta(days=3))
    client.force_login(clerk)
    assert "TKT-DONE" not in client.get("/admin/caseapp/ticket/").content.decode()  # the queue: open cases only
    page = client.get("/admin/caseapp/ticket/?keadaan=all").content.decode()
    assert page.index("TKT-DISDUKCAPIL") < page.index("TKT-DONE")  # open first, although its deadline is later
    assert 'data-sla="done"' in page and 'data-sla="overdue"' not in page
    assert "TKT-DONE" not in client.get("/admin/caseapp/ticket/?sla=overdue").content.decode()


def test_bulk_take_action_assigns_the_selected_cases(client, tickets):
    clerk = clerk_of("DISDUKCAPIL")
    second = Ticket.objects.create(number="TKT-2", owner=tickets["DISDUKCAPIL"].owner, office=factories.office("DISDUKCAPIL"), status=TicketStatus.NEW)
    client.force_login(clerk)
    response = client.post("/admin/caseapp/ticket/", {"action": "take_cases", "_selected_action": [tickets["DISDUKCAPIL"].pk, second.pk]}, follow=True)
    assert "2 kasus ditugaskan kepada Anda." in response.content.decode()
    assert set(Ticket.objects.filter(assignee=clerk).values_list("number", flat=True)) == {"TKT-DISDUKCAPIL", "TKT-2"}


def test_row_checkbox_is_djangos_markup_without_a_template_per_row(client, tickets):
    from django.contrib import admin as django_admin

    ticket = Ticket.objects.create(number="TKT-<&>", owner=tickets["DLHK"].owner, office=factories.office("DLHK"), status=TicketStatus.NEW)
    model_admin = django_admin.site._registry[Ticket]
    assert model_admin.action_checkbox(ticket) == django_admin.ModelAdmin.action_checkbox(model_admin, ticket)
    client.force_login(clerk_of("DLHK"))
    page = client.get("/admin/caseapp/ticket/").content.decode()
    assert f'name="_selected_action" value="{ticket.pk}" class="action-select"' in page and "TKT-&lt;&amp;&gt;" in page


def test_status_label_matches_get_status_display_in_both_languages():
    from django.utils import translation

    from kupang_portal.workflow.admin import status_label
    from layanan.constants import ApplicationStatus
    from layanan.models import Application

    for language in ("id", "en"):
        with translation.override(language):
            for value in ApplicationStatus.values:
                assert status_label(ApplicationStatus, value) == Application(status=value).get_status_display()
    assert status_label(ApplicationStatus, "gone") == "gone"  # a value no longer declared: shown as stored
