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
    stats = generate(400, end=END, seed=2)  # deterministic per seed: this sample has every open state
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


def _orphans_per_foreign_key(tables):
    """Rows whose foreign key points nowhere, per (table, column), over every FK of ``tables``."""
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            for info in connection.introspection.get_constraints(cursor, table).values():
                if not info["foreign_key"]:
                    continue
                (column,), (target, target_column) = info["columns"], info["foreign_key"]
                q = connection.ops.quote_name
                cursor.execute(f"SELECT count(*) FROM {q(table)} t LEFT JOIN {q(target)} r ON r.{q(target_column)} = t.{q(column)} "
                               f"WHERE t.{q(column)} IS NOT NULL AND r.{q(target_column)} IS NULL")
                found[(table, column)] = cursor.fetchone()[0]
    return found


@pytest.mark.parametrize("bulk", [False, True])
def test_every_foreign_key_of_the_loaded_rows_holds(bulk):
    """On PostgreSQL the load may skip the FK triggers (session_replication_role): the rows must
    still satisfy every foreign key, checked here row by row with an anti-join."""
    from kupang_portal.accounts.models import User

    stats = generate(300, end=END, seed=5, bulk_indexes=bulk)
    tables = list(stats["rows"])
    assert set(tables) == {User._meta.db_table, Application._meta.db_table, Complaint._meta.db_table,
                           CaseEvent._meta.db_table, ComplaintResponse._meta.db_table, SurveyResponse._meta.db_table}
    orphans = _orphans_per_foreign_key(tables)
    assert len(orphans) >= 15  # the FKs really were found (applicant, service, office, actor, ...)
    assert {key: n for key, n in orphans.items() if n} == {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # SET LOCAL: the setting did not outlive the load
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"


def test_lifecycle_columns_match_the_history_rows():
    from django.contrib.contenttypes.models import ContentType

    generate(400, end=END, seed=4)
    history = {}
    for event in CaseEvent.objects.order_by("created_at", "id"):
        history.setdefault((event.content_type_id, event.object_id), []).append(event)
    staff = {"verify", "request_revision", "reject", "process", "complete", "dispose", "start", "respond"}

    app_type = ContentType.objects.get_for_model(Application).pk
    for app in Application.objects.all():
        events = history[(app_type, app.pk)]
        assert events[0].transition == "submit" and events[0].created_at == app.submitted_at
        assert events[-1].to_state == app.status
        staff_times = [e.created_at for e in events if e.transition in staff]
        assert app.first_response_at == (staff_times[0] if staff_times else None)
        if not app.is_open:
            assert events[-1].created_at == app.closed_at
        revisions = [e for e in events if e.transition == "resubmit"]
        assert bool(revisions) == bool(app.paused_working_days) or app.status == "needs_revision"

    complaint_type = ContentType.objects.get_for_model(Complaint).pk
    for complaint in Complaint.objects.all():
        events = history[(complaint_type, complaint.pk)]
        by_name = {}
        for event in events:
            by_name.setdefault(event.transition, []).append(event.created_at)
        assert events[-1].to_state == complaint.status
        assert complaint.disposed_at == (by_name.get("dispose") or [None])[0]
        assert complaint.responded_at == (by_name.get("respond") or [None])[-1]
        assert complaint.reopen_count == len(by_name.get("reopen", []))
        assert ComplaintResponse.objects.filter(complaint=complaint).count() == len(by_name.get("respond", []))
        if complaint.status == "closed":
            assert complaint.closed_at == (by_name.get("close") or by_name.get("autoclose"))[0]


def test_copy_text_escapes_what_the_copy_format_needs():
    from kupang_portal.dashboards.generator import NULL, _unescape, copy_text

    for text in ("plain", "tab\there", "line\nbreak\r", "back\\slash", "\\N"):
        assert "\t" not in copy_text(text) and "\n" not in copy_text(text)
        assert _unescape(copy_text(text)) == text
    assert copy_text(None) == NULL and copy_text(True) == "t" and copy_text({"U1": 3}) == '{"U1":3}'


def test_the_generators_integer_clock_agrees_with_the_calendar_past_its_end():
    from kupang_portal.dashboards.generator import Clock
    from kupang_portal.organization.models import Holiday

    Holiday.objects.get_or_create(date=dt.date(2026, 12, 9), defaults={"name": "Libur uji"})  # a Wednesday
    calendar.clear_holiday_cache()
    clock = Clock(dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    late_evening = timezone.make_aware(dt.datetime(2026, 12, 18, 23, 30))  # WITA; 15:30 UTC
    for moment in (late_evening, timezone.make_aware(dt.datetime(2026, 11, 27, 8, 5)), END):
        t = int(moment.timestamp())
        assert clock.datetime(t) == moment
        assert dt.datetime.fromisoformat(clock.text(t)) == moment
        assert clock.day(t) == timezone.localtime(moment).date().toordinal() - dt.date(1970, 1, 1).toordinal()
        for days in (0, 1, 3, 10, 700, 1500):  # far past the table's end: it grows
            assert clock.deadline_after(t, days) == int(calendar.deadline_after(moment, days).timestamp())
        later = t + 900 * 86_400
        assert clock.between(t, later) == calendar.working_days_between(moment, clock.datetime(later))
        assert dt.datetime.fromisoformat(clock.text(later)) == clock.datetime(later)


def test_row_templates_hold_defaults_and_refuse_a_wrong_column_order():
    from kupang_portal.dashboards.generator import Clock, TableWriter

    writer = TableWriter(ComplaintResponse, Clock(dt.date(2026, 11, 1), dt.date(2026, 11, 2)))
    line = writer.template("id", "complaint_id", "office_id", "text", "created_at")
    assert (line % (1, 2, 3, "ok", "2026-11-27 01:00:00+00")).split("\t") == [
        "1", "2", "3", "ok", "2026-11-27 01:00:00+00", "\\N", "", "\\N\n"]  # rating, rating_comment, rated_at
    with pytest.raises(ValueError, match="in this order"):
        writer.template("id", "text", "complaint_id")
    with pytest.raises(ValueError, match="no column"):
        writer.template("id", "nonsense")


def test_generate_cases_command(settings):
    import io
    import json

    from django.core.management import CommandError, call_command

    settings.DEBUG = True
    out = io.StringIO()
    call_command("generate_cases", "--cases", "30", "--end", "2026-11-27", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["cases"] == 30 and Application.objects.count() + Complaint.objects.count() == 30
    with pytest.raises(CommandError, match="lebih dari 0"):
        call_command("generate_cases", "--cases", "0")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG mati"):
        call_command("generate_cases", "--cases", "5")
