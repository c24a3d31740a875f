"""The dashboard's caches are never staler than the data: a fill changes the figures shown, a
transition changes the exception lists, the clock tips a deadline over, a membership or group
change changes the scope, and no scope ever reads another scope's cached parts."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kupang_portal.accounts.models import OfficeMembership, User
from kupang_portal.accounts.roles import Role
from kupang_portal.dashboards import selectors, services
from kupang_portal.workflow import engine
from layanan.models import Application
from tests import factories
from tests.layanan.conftest import make_submitted

pytestmark = pytest.mark.django_db


def _page(client, user):
    client.force_login(user)
    response = client.get("/dasbor/")
    assert response.status_code == 200
    return response.content.decode()


def _figure(html, figure):
    """The cells (Permohonan, Pengaduan, Total) of one row of the period table."""
    row = re.search(rf'<tr data-figure="{figure}">(.*?)</tr>', html, re.S).group(1)
    return re.findall(r'<td class="text-end">([^<]*)</td>', row)


def _exception(html, name, case_type="layanan"):
    match = re.search(rf'data-testid="exception-{name}-{case_type}">\s*<span[^>]*>([^<]*)</span>', html)
    return match.group(1)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if it committed: its on-commit callbacks (the stamps' bumps) run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_fill_changes_the_figures_shown_and_only_a_fill(client, committed):
    boss = factories.staff(Role.SUPERVISOR)
    today = timezone.localdate()
    with committed():
        services.fill_day(today)
    before = _page(client, boss)
    assert _figure(before, "received")[0] == "0" and _figure(before, "backlog")[0] == "0"

    with committed():
        make_submitted(factories.resident())
    between = _page(client, boss)
    # The rollups were not filled again: the rollup figures stay; the backlog counts the cases themselves.
    assert _figure(between, "received")[0] == "0"
    assert _figure(between, "backlog")[0] == "1"

    with committed():
        services.fill_day(today)
    after = _page(client, boss)
    assert _figure(after, "received")[0] == "1" and _figure(after, "received")[2] == "1"


def test_a_transition_changes_the_exception_lists_of_that_office_only(client, committed):
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    other = factories.staff(Role.CLERK, "DPMPTSP")
    boss = factories.staff(Role.SUPERVISOR)
    assert _exception(_page(client, clerk), "belum_ditugaskan") == "0"
    assert _exception(_page(client, other), "belum_ditugaskan") == "0"
    assert _exception(_page(client, boss), "belum_ditugaskan") == "0"

    with committed():
        app = make_submitted(factories.resident())  # KTP: Disdukcapil
    assert app.office.code == "DISDUKCAPIL"
    assert _exception(_page(client, clerk), "belum_ditugaskan") == "1"
    assert _exception(_page(client, boss), "belum_ditugaskan") == "1"
    # Another office's clerk, right after the Disdukcapil clerk filled the cache: their own figures.
    assert _exception(_page(client, other), "belum_ditugaskan") == "0"
    assert app.number not in _page(client, other)

    with committed():
        engine.assign(app, clerk, clerk)
    assert _exception(_page(client, clerk), "belum_ditugaskan") == "0"
    assert _exception(_page(client, boss), "belum_ditugaskan") == "0"


def test_an_uncommitted_change_does_not_replace_the_stamps(client):
    """The stamps are replaced after the commit: a page computed before it cannot be cached as new."""
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    assert _exception(_page(client, clerk), "belum_ditugaskan") == "0"
    make_submitted(factories.resident())  # its on-commit callbacks never run in this test
    assert _exception(_page(client, clerk), "belum_ditugaskan") == "0"


def test_the_lists_change_when_the_clock_passes_a_deadline(client, committed, time_machine):
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    with committed():
        app = make_submitted(factories.resident())
    deadline = Application.objects.get(pk=app.pk).deadline
    time_machine.move_to(deadline - dt.timedelta(hours=1), tick=False)
    html = _page(client, clerk)
    assert _exception(html, "lewat_tenggat") == "0" and _exception(html, "jatuh_tempo") == "1"
    time_machine.move_to(deadline + dt.timedelta(minutes=1), tick=False)
    html = _page(client, clerk)
    assert _exception(html, "lewat_tenggat") == "1" and _exception(html, "jatuh_tempo") == "0"


def test_the_lists_say_when_they_change_by_the_clock_alone(committed):
    with committed():
        app = make_submitted(factories.resident())
    scope = selectors.scope_for(factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL"))
    today = timezone.localdate()
    ten, two = (dt.datetime.combine(today, dt.time(h, 0), tzinfo=timezone.get_current_timezone()) for h in (10, 14))
    midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 0), tzinfo=timezone.get_current_timezone())
    Application.objects.filter(pk=app.pk).update(deadline=two)
    assert selectors.exceptions(scope, now=ten)["valid_until"] == two  # then "overdue" gains it
    Application.objects.filter(pk=app.pk).update(deadline=ten - dt.timedelta(hours=1))
    assert selectors.exceptions(scope, now=ten)["valid_until"] == midnight  # "due" and "3x" move with the date


def test_a_membership_or_group_change_changes_the_scope(client, committed, django_assert_num_queries):
    dukcapil, dpmptsp = factories.office("DISDUKCAPIL"), factories.office("DPMPTSP")
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    assert selectors.scope_for(clerk).office_ids == {dukcapil.pk}
    with django_assert_num_queries(0):  # cached: no group or membership query
        assert selectors.scope_for(clerk).office_ids == {dukcapil.pk}

    with committed():
        OfficeMembership.objects.create(user=clerk, office=dpmptsp, role=Role.CLERK)
    assert selectors.scope_for(User.objects.get(pk=clerk.pk)).office_ids == {dukcapil.pk, dpmptsp.pk}

    with committed():
        OfficeMembership.objects.filter(user=clerk, office=dukcapil).delete()
    assert selectors.scope_for(User.objects.get(pk=clerk.pk)).office_ids == {dpmptsp.pk}

    assert client.get("/dasbor/").status_code == 302  # not logged in yet
    client.force_login(clerk)
    assert client.get("/dasbor/").status_code == 200
    with committed():
        clerk.groups.clear()
    assert client.get("/dasbor/").status_code == 403
    with pytest.raises(PermissionDenied):
        selectors.scope_for(User.objects.get(pk=clerk.pk))


def test_a_group_given_from_the_group_side_changes_the_scope(committed):
    from django.contrib.auth.models import Group

    from kupang_portal.accounts.roles import GROUP_NAMES

    person = factories.UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        selectors.scope_for(person)
    with committed():
        Group.objects.get(name=GROUP_NAMES[Role.SUPERVISOR]).user_set.add(person)
    assert selectors.scope_for(User.objects.get(pk=person.pk)).role == "pimpinan"


def test_a_cached_page_reads_no_case_rollup_group_or_membership_table(client):
    boss = factories.staff(Role.SUPERVISOR)
    _page(client, boss)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dasbor/").status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("layanan_application", "pengaduan_complaint", "dashboards_dailyrollup", "dashboards_fillrun",
                  "auth_group", "accounts_officemembership", "notifications_notification"):
        assert table not in tables
    assert len(queries.captured_queries) <= 2  # session, user


def test_a_new_holiday_moves_the_due_window_at_once(client, committed, time_machine):
    from kupang_portal.organization import calendar
    from kupang_portal.organization.models import Holiday

    monday = dt.date(2027, 3, 1)
    tuesday, wednesday = monday + dt.timedelta(days=1), monday + dt.timedelta(days=2)
    assert monday.weekday() == 0 and calendar.is_working_day(tuesday) and calendar.is_working_day(wednesday)
    time_machine.move_to(dt.datetime.combine(monday, dt.time(10, 0), tzinfo=timezone.get_current_timezone()), tick=False)
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    with committed():
        app = make_submitted(factories.resident())
    Application.objects.filter(pk=app.pk).update(deadline=calendar.end_of_working_day(wednesday))
    with committed():
        engine.assign(Application.objects.get(pk=app.pk), clerk, clerk)  # a recorded change: the lists are recomputed
    assert _exception(_page(client, clerk), "jatuh_tempo") == "0"  # due within 1 working day = by Tuesday
    with committed():
        Holiday.objects.create(date=tuesday, name="Libur daerah (uji)", kind=Holiday.Kind.LOCAL)
        calendar.clear_holiday_cache()
    assert _exception(_page(client, clerk), "jatuh_tempo") == "1"  # Tuesday is off: by Wednesday


def test_a_shorter_standard_time_shows_at_once_in_the_3x_list(client, committed):
    from kupang_portal.dashboards.workdays import table_for
    from kupang_portal.organization import calendar
    from layanan.models import Service

    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    with committed():
        app = make_submitted(factories.resident())
    service = Service.objects.get(pk=app.service_id)
    Service.objects.filter(pk=service.pk).update(completion_days=5)
    today = timezone.localdate()
    four_back = table_for(today - dt.timedelta(days=60), today).subtract(today, 4)
    Application.objects.filter(pk=app.pk).update(deadline=calendar.end_of_working_day(four_back))
    with committed():
        engine.assign(Application.objects.get(pk=app.pk), clerk, clerk)
    assert _exception(_page(client, clerk), "lewat_3x") == "0"  # 5 days: more than 3x means 11 working days late
    with committed():
        service.refresh_from_db()
        service.completion_days = 1
        service.save()
    assert _exception(_page(client, clerk), "lewat_3x") == "1"  # 1 day: 3 working days late is enough


def test_next_deadline_from_a_raw_cursor_is_aware_on_every_database():
    """``make run`` uses SQLite, whose raw cursor returns deadlines naive (or as text): /dasbor/
    raised "can't compare offset-naive and offset-aware datetimes" there."""
    import datetime as dt

    from kupang_portal.dashboards.selectors import aware_utc

    expected = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.timezone.utc)
    assert aware_utc(dt.datetime(2026, 12, 3, 9, 0)) == expected
    assert aware_utc("2026-12-03 09:00:00") == expected
    assert aware_utc(expected) is expected
