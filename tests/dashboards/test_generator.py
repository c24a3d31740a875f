"""The one data generator: realistic, consistent cases in the real tables (COPY on PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from kupang_portal.dashboards.generator import generate
from kupang_portal.organization import calendar
from kupang_portal.workflow.models import CaseEvent
from kupang_portal.workflow.numbering import next_number
from layanan.models import Application
from layanan.skm import SurveyResponse
from pengaduan.models import Complaint, ComplaintResponse

pytestmark = pytest.mark.django_db
END = timezone.make_aware(dt.datetime(2026, 11, 27, 17, 0))


def _indexes(table):
    with connection.cursor() as cursor:
        return sorted(c.name if hasattr(c, "name") else c for c in connection.introspection.get_constraints(cursor, table))


def test_generated_cases_are_consistent_with_the_lifecycle_rules():
    stats = generate(400, end=END, seed=3)
    assert stats["applications"] + stats["complaints"] == 400
    assert Application.objects.count() == stats["applications"] and Complaint.objects.count() == stats["complaints"]
    assert CaseEvent.objects.count() == stats["rows"]["workflow_caseevent"] > 400

    apps = list(Application.objects.all())
    assert {a.status for a in apps} >= {"completed", "rejected", "withdrawn", "in_process"}
    for app in apps:
        assert app.is_open == (app.status in Application.open_states)
        assert app.submitted_at <= END and app.number
        if not app.is_open:
            expected = calendar.working_days_between(app.submitted_at, app.closed_at) - app.paused_working_days
            assert app.working_days_taken == max(0, expected)
            assert app.closed_on_time == (app.closed_at <= app.deadline)
            assert app.closed_at <= END
        else:
            assert app.closed_at is None and app.deadline is not None
    assert any(a.paused_working_days for a in apps)  # revision pauses
    # Some submissions late in the evening WITA fall on another date in UTC.
    assert any(timezone.localtime(a.submitted_at).date() != a.submitted_at.astimezone(dt.timezone.utc).date() for a in apps)

    complaints = list(Complaint.objects.all())
    assert {c.status for c in complaints} >= {"closed", "rejected"} and any(c.is_open for c in complaints)
    assert all(c.kelurahan_id and c.office_id for c in complaints)
    assert any(c.reopen_count for c in complaints) or len(complaints) < 100
    for c in complaints:
        assert c.is_open == (c.status in Complaint.open_states)
        if c.status == "closed":
            assert c.working_days_taken == calendar.working_days_between(c.submitted_at, c.closed_at)
            assert c.responded_at <= c.closed_at and c.disposed_at <= c.responded_at
        if c.is_anonymous:
            assert c.reporter_id is None
    assert ComplaintResponse.objects.filter(rating__isnull=False).exists()
    assert SurveyResponse.objects.filter(submitted_at__isnull=False).exists()

    # Real numbering continues after the generated numbers.
    last = Application.objects.filter(service__number_prefix="KTP", submitted_at__year=2026).order_by("-number").first()
    if last is not None:
        fresh = next_number("KTP", now=END)
        assert fresh > last.number


def test_bulk_load_drops_and_recreates_every_index_and_constraint():
    if connection.vendor != "postgresql":
        pytest.skip("COPY and index handling are PostgreSQL-only")
    tables = [Application._meta.db_table, Complaint._meta.db_table, CaseEvent._meta.db_table]
    before = {t: _indexes(t) for t in tables}
    stats = generate(120, end=END, bulk_indexes=True)
    assert stats["bulk_indexes"] is True
    assert {t: _indexes(t) for t in tables} == before
    # Sequences continue after the generated ids.
    assert Application.objects.create(service=Application.objects.first().service,
                                      applicant=Application.objects.first().applicant).pk > stats["applications"]


def test_workday_table_agrees_with_the_calendar_and_grows_past_its_end():
    from kupang_portal.dashboards.workdays import WorkdayTable

    start = dt.date(2026, 11, 2)
    table = WorkdayTable(start, start)
    for days in (0, 1, 5, 20, 400, 700):  # 700 working days lie past the table's margin
        assert table.add(start, days) == calendar.add_working_days(start, days)
    end = dt.date(2026, 12, 31)
    assert table.between(start, end) == calendar.working_days_between(start, end)
    assert calendar.working_days_between(table.subtract(end, 10), end) == 10
