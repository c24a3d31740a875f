"""Lifecycle times written by the engine (the columns the dashboards read), computed by hand."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kupang_portal.accounts.roles import Role
from kupang_portal.organization.calendar import clear_holiday_cache
from kupang_portal.organization.models import Holiday
from kupang_portal.workflow import engine, lifecycle, sla
from kupang_portal.workflow.numbering import next_number
from tests import factories
from tests.caseapp.models import Ticket, TicketStatus

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def started():
    owner = factories.resident()
    ticket = Ticket(number=next_number("TKT"), owner=owner, office=factories.office("DISDUKCAPIL"), status=TicketStatus.NEW)
    lifecycle.start(ticket, wita(2026, 11, 2, 10, 0))  # Monday
    ticket.save()
    return ticket, owner


def test_lifecycle_through_a_pause_a_holiday_and_midnight_wita(started):
    ticket, owner = started
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    Holiday.objects.create(date=dt.date(2026, 11, 10), name="Libur daerah (uji)", kind=Holiday.Kind.LOCAL)
    clear_holiday_cache()
    assert ticket.is_open and ticket.submitted_at == wita(2026, 11, 2, 10, 0)

    engine.perform(ticket, "check", clerk, now=wita(2026, 11, 3, 9, 0))  # deadline: 3 working days -> Fri 6 Nov
    assert ticket.first_response_at == wita(2026, 11, 3, 9, 0)
    assert ticket.deadline.astimezone(WITA).date() == dt.date(2026, 11, 6)
    engine.perform(ticket, "ask", clerk, note="Foto KK buram", now=wita(2026, 11, 4, 10, 0))  # 2 days left
    engine.perform(ticket, "resubmit", owner, now=wita(2026, 11, 9, 8, 0))
    # Paused Wed 4 -> Mon 9: Thu 5, Fri 6, Mon 9 = 3 working days. 2 days left from Mon 9, skipping the
    # holiday on Tue 10: Wed 11, Thu 12.
    assert ticket.paused_working_days == 3
    assert ticket.deadline.astimezone(WITA).date() == dt.date(2026, 11, 12)
    assert ticket.first_response_at == wita(2026, 11, 3, 9, 0)  # the owner's action is no response

    engine.assign(ticket, clerk, clerk, now=wita(2026, 11, 12, 9, 0))
    closing = wita(2026, 11, 13, 0, 30)  # Friday 00:30 WITA is still Thursday in UTC
    assert closing.astimezone(dt.timezone.utc).date() == dt.date(2026, 11, 12)
    engine.perform(ticket, "finish", clerk, now=closing)
    ticket.refresh_from_db()
    # Tue 3, Wed 4, Thu 5, Fri 6, Mon 9, Wed 11, Thu 12, Fri 13 = 8 working days (Tue 10 is a holiday)
    # minus 3 paused = 5; closed after the end of Thursday's deadline: late.
    assert (ticket.is_open, ticket.closed_at, ticket.working_days_taken, ticket.closed_on_time) == (False, closing, 5, False)


def test_rejection_on_the_day_of_submission_takes_zero_days_and_is_on_time(started):
    ticket, _owner = started
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    engine.perform(ticket, "check", clerk, now=wita(2026, 11, 2, 11, 0))
    engine.perform(ticket, "reject", clerk, note="Bukan layanan kami", now=wita(2026, 11, 2, 15, 0))
    ticket.refresh_from_db()
    assert (ticket.is_open, ticket.working_days_taken, ticket.closed_on_time) == (False, 0, True)
    assert ticket.first_response_at == wita(2026, 11, 2, 11, 0)


def test_a_pause_still_running_when_the_case_ends_counts_until_the_end():
    case = Ticket(deadline=wita(2026, 11, 6, 23, 59), paused_working_days=1)
    sla.pause_clock(case, wita(2026, 11, 4, 10, 0))
    sla.stop_clock(case, wita(2026, 11, 9, 10, 0))  # Thu, Fri, Mon
    assert case.paused_working_days == 4 and case.sla_paused_at is None
