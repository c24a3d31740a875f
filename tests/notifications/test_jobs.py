"""Deadline reminders, escalations and the daily digest over every case type (idempotent)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from kupang_portal.accounts.roles import GROUP_NAMES, Role
from kupang_portal.notifications import jobs
from kupang_portal.notifications.models import Channel, Notification
from kupang_portal.organization import calendar
from kupang_portal.organization.models import Holiday
from kupang_portal.workflow import registry
from tests.caseapp.models import TicketStatus
from tests.factories import UserFactory, add_role, office, staff

pytestmark = pytest.mark.django_db

WITA = calendar.local_tz()
# 2026-11-02 is a Monday; the week has no holiday.
MON, TUE, WED, THU, FRI, SAT = (dt.date(2026, 11, d) for d in (2, 3, 4, 5, 6, 7))


def at(day, hour=8):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WITA)


@pytest.fixture
def cases(reminder_case_model, monkeypatch):
    """The fake case type is the only one the jobs see (real ones belong to other apps)."""
    monkeypatch.setattr(registry, "case_types", lambda: [(reminder_case_model, reminder_case_model.open_states)])
    return reminder_case_model


@pytest.fixture
def people():
    dukcapil = office("DISDUKCAPIL")
    return {
        "office": dukcapil,
        "clerk": staff(Role.CLERK, "DISDUKCAPIL", notify_email=True),
        "clerk2": staff(Role.CLERK, "DISDUKCAPIL", notify_email=False),
        "head": staff(Role.OFFICE_HEAD, "DISDUKCAPIL"),
        "other_head": staff(Role.OFFICE_HEAD, "DLHK"),
        "supervisor": staff(Role.SUPERVISOR),
    }


def make(model, people, deadline_day, *, status=TicketStatus.CHECKED, assignee=None, paused=False, number=None):
    case = model.objects.create(
        status=status, office=people["office"], assignee=assignee,
        deadline=calendar.end_of_working_day(deadline_day), number=number or "",
        sla_paused_at=at(MON) if paused else None,
    )
    if not number:
        case.number = f"RC-2026-{case.pk:06d}"
        case.save(update_fields=["number"])
    return case


def inbox(user, event):
    return list(Notification.objects.filter(recipient=user, event=event, channel=Channel.INAPP))


def test_registry_finds_concrete_case_types_with_open_states(reminder_case_model):
    found = dict(registry.case_types())
    assert found[reminder_case_model] == reminder_case_model.open_states
    for model, states in found.items():
        assert not model._meta.abstract and states


def test_due_soon_goes_to_the_assignee(cases, people):
    case = make(cases, people, TUE, assignee=people["clerk"])
    assert jobs.deadline_reminders(now=at(MON)) == 2  # inbox + e-mail
    (row,) = inbox(people["clerk"], "case_due_soon")
    assert row.case_number == case.number and case.number in row.subject
    assert "/admin/" in row.link
    assert "3 November 2026" in row.body and "Uji " in row.body
    assert not inbox(people["clerk2"], "case_due_soon") and not inbox(people["head"], "case_due_soon")


def test_due_soon_unassigned_goes_to_the_office_clerks(cases, people):
    make(cases, people, TUE)
    jobs.deadline_reminders(now=at(MON))
    assert len(inbox(people["clerk"], "case_due_soon")) == 1
    assert len(inbox(people["clerk2"], "case_due_soon")) == 1
    assert not inbox(people["other_head"], "case_due_soon")


def test_due_today_counts_as_due_soon_and_far_deadlines_do_not(cases, people):
    make(cases, people, MON, assignee=people["clerk"])
    make(cases, people, WED, assignee=people["clerk2"])
    jobs.deadline_reminders(now=at(MON))
    assert len(inbox(people["clerk"], "case_due_soon")) == 1
    assert inbox(people["clerk2"], "case_due_soon") == []


def test_overdue_goes_to_the_head_then_also_to_supervisors(cases, people):
    make(cases, people, MON, assignee=people["clerk"])
    jobs.deadline_reminders(now=at(TUE))  # one working day late: the head
    assert len(inbox(people["head"], "case_overdue")) == 1
    assert inbox(people["supervisor"], "case_overdue") == []
    assert inbox(people["other_head"], "case_overdue") == []
    jobs.deadline_reminders(now=at(WED))  # a further working day: supervisors too, head not again
    assert len(inbox(people["head"], "case_overdue")) == 1
    assert len(inbox(people["supervisor"], "case_overdue")) == 1


def test_escalation_counts_working_days_not_calendar_days(cases, people):
    make(cases, people, FRI)
    jobs.deadline_reminders(now=at(dt.date(2026, 11, 9)))  # Monday after: one working day late
    assert len(inbox(people["head"], "case_overdue")) == 1
    assert inbox(people["supervisor"], "case_overdue") == []


def test_running_twice_sends_nothing_twice(cases, people):
    make(cases, people, TUE)
    make(cases, people, MON, number="RC-LATE")
    first = jobs.deadline_reminders(now=at(WED))
    assert first > 0
    count = Notification.objects.count()
    assert jobs.deadline_reminders(now=at(WED, 9)) == 0
    assert jobs.deadline_reminders(now=at(WED, 15)) == 0
    assert Notification.objects.count() == count


def test_paused_closed_and_undated_cases_are_left_alone(cases, people):
    make(cases, people, MON, paused=True)
    make(cases, people, MON, status=TicketStatus.DONE)
    cases.objects.create(status=TicketStatus.CHECKED, office=people["office"], deadline=None)
    assert jobs.deadline_reminders(now=at(WED)) == 0
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("day", [SAT, dt.date(2026, 11, 8)])
def test_no_reminders_on_weekends(cases, people, day):
    make(cases, people, FRI)
    assert jobs.deadline_reminders(now=at(day)) == 0
    assert jobs.daily_digest(now=at(day)) == 0


def test_no_reminders_on_a_holiday(cases, people):
    Holiday.objects.create(date=WED, name="Libur uji")
    make(cases, people, TUE)
    assert jobs.deadline_reminders(now=at(WED)) == 0
    # Holidays also move the count: Tuesday's deadline, Thursday morning is one working day late.
    jobs.deadline_reminders(now=at(THU))
    assert len(inbox(people["head"], "case_overdue")) == 1
    assert inbox(people["supervisor"], "case_overdue") == []


def test_user_with_every_channel_off_still_gets_the_inbox_row(cases, people):
    quiet = staff(Role.CLERK, "DISDUKCAPIL", notify_email=False, notify_whatsapp=False, notify_sms=False)
    make(cases, people, TUE, assignee=quiet)
    assert jobs.deadline_reminders(now=at(MON)) == 1
    assert [r.channel for r in Notification.objects.filter(recipient=quiet)] == [Channel.INAPP]


def test_daily_digest_counts_per_office_head_once_a_day(cases, people):
    make(cases, people, MON)  # overdue on Tuesday
    make(cases, people, WED)  # due soon on Tuesday
    make(cases, people, FRI)  # open
    make(cases, people, MON, paused=True)  # open, paused: neither due soon nor overdue
    make(cases, people, MON, status=TicketStatus.DONE)  # closed
    second_head = staff(Role.OFFICE_HEAD, "DISDUKCAPIL")
    written = jobs.daily_digest(now=at(TUE, 7))
    assert written == 4  # two heads, inbox + e-mail each
    (row,) = inbox(people["head"], "office_daily_digest")
    assert "4 kasus terbuka" in row.subject
    assert "1 jatuh tempo" in row.body and "1 melewati tenggat" in row.body
    assert len(inbox(second_head, "office_daily_digest")) == 1
    assert inbox(people["other_head"], "office_daily_digest") == []  # DLHK has no open case
    assert jobs.daily_digest(now=at(TUE, 9)) == 0
    assert jobs.daily_digest(now=at(WED, 7)) == 4


def test_supervisors_are_the_pimpinan_group(cases, people):
    plain = UserFactory()
    add_role(plain, Role.RESIDENT)
    inactive = staff(Role.SUPERVISOR, is_active=False)
    make(cases, people, MON)
    jobs.deadline_reminders(now=at(WED))
    assert Group.objects.get(name=GROUP_NAMES[Role.SUPERVISOR]).user_set.count() == 2
    assert inbox(inactive, "case_overdue") == [] and inbox(plain, "case_overdue") == []
    assert len(inbox(people["supervisor"], "case_overdue")) == 1


def test_beat_tasks_run_the_jobs(cases, people, monkeypatch):
    from kupang_portal.notifications import tasks

    make(cases, people, TUE, assignee=people["clerk"])
    monkeypatch.setattr(jobs.timezone, "now", lambda: at(MON, 9))
    assert tasks.periodic_deadline_reminders.delay().get() == 2
    assert tasks.periodic_daily_digest.delay().get() == 2
    assert tasks.periodic_deadline_reminders.delay().get() == 0


def test_reminders_of_applications_and_complaints_name_the_service_or_category(people):
    """The real case types: the reminder says what the case is about (it repeated the number:
    "Kasus KIA-2026-000001 (KIA-2026-000001) di Dukcapil jatuh tempo ...")."""
    from layanan.models import Application
    from pengaduan.models import Complaint
    from tests.factories import resident
    from tests.layanan.conftest import make_submitted
    from tests.pengaduan.conftest import file_complaint

    app = make_submitted(resident())
    complaint = file_complaint(resident()).complaint
    complaint.refresh_from_db()
    staff(Role.CLERK, complaint.office.code)  # someone to remind in the complaint's office
    for case in (app, complaint):
        type(case).objects.filter(pk=case.pk).update(deadline=calendar.end_of_working_day(TUE))
    assert jobs.deadline_reminders(now=at(MON)) > 0
    rows = Notification.objects.filter(event="case_due_soon", channel=Channel.INAPP)
    app_rows = rows.filter(case_number=app.number)
    complaint_rows = rows.filter(case_number=complaint.number)
    assert app_rows and complaint_rows
    for row in app_rows:
        assert f"({Application.objects.get(pk=app.pk).service.name})" in row.body
    for row in complaint_rows:
        assert f"({Complaint.objects.get(pk=complaint.pk).category.name})" in row.body
        assert complaint.title not in row.body  # the reporter's own words stay out of staff messages
