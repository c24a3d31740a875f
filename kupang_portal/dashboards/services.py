"""Writes of the dashboards: filling the rollups (per day, idempotent, resumable) and exports.

``fill_day(day)`` recomputes every ``DailyRollup`` and ``StaffDaily`` row of one WITA date from
the lifecycle columns of the cases (and, for revisions, that day's history rows) and replaces the
day's rows in one transaction, under a per-day lock: running it twice, or concurrently, gives
the same rows. ``fill_range(first, last, kind)`` fills day by day and records each finished day
in a ``FillRun``; ``resume_unfinished()`` continues every run a crash left behind from the day
after its ``done_through``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zlib

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kupang_portal.core.db import lag_tolerant
from kupang_portal.organization import calendar

from . import selectors
from .models import CaseType, DailyRollup, ExportJob, FillRun, StaffDaily
from .workdays import WorkdayTable

log = logging.getLogger(__name__)
APP, COMPLAINT = CaseType.APPLICATION.value, CaseType.COMPLAINT.value


def _bounds(day):
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=calendar.local_tz())
    return start, start + dt.timedelta(days=1)


def _in(field, start, end):
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _lock_day(day):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(b"dashboards-fill") * 1_000_000 + day.toordinal()])


class _Bucket(dict):
    def add(self, name, value=1):
        self[name] = self.get(name, 0) + value

    def hist(self, days):
        hist = self.setdefault("wd_hist", {})
        hist[str(days)] = hist.get(str(days), 0) + 1
        self.add("wd_sum", days)
        self.add("wd_count")


class _Day:
    """The buckets of one WITA day being computed: rollup rows keyed by (case type, office,
    service, category, kecamatan, kelurahan, kind, channel) and staff rows by (case type, office, clerk)."""

    def __init__(self, day, table):
        self.day, self.table = day, table
        self.start, self.end = _bounds(day)
        self.buckets, self.staff = {}, {}

    def within(self, moment):
        return moment is not None and self.start <= moment < self.end

    def bucket(self, key):
        return self.buckets.setdefault(key, _Bucket())

    def staff_bucket(self, case_type, office_id, user_id):
        return self.staff.setdefault((case_type, office_id, user_id), _Bucket())

    def daily_rows(self):
        rows = []
        for (case_type, office_id, service_id, category_id, kecamatan_id, kelurahan_id, kind, channel), values in self.buckets.items():
            values = {k: v for k, v in values.items() if v}
            if values:
                rows.append(DailyRollup(day=self.day, case_type=case_type, office_id=office_id, service_id=service_id,
                                        category_id=category_id, kecamatan_id=kecamatan_id, kelurahan_id=kelurahan_id,
                                        kind=kind or "", channel=channel or "", **values))
        return rows

    def staff_rows(self):
        return [StaffDaily(day=self.day, case_type=case_type, office_id=office_id, user_id=user_id,
                           handled=v.get("handled", 0), on_time=v.get("on_time", 0), wd_hist=v.get("wd_hist", {}),
                           revisions=v.get("revisions", 0))
                for (case_type, office_id, user_id), v in self.staff.items() if office_id]


def compute_day(day, table=None):
    """The rollup rows of one day, computed (not saved): (daily rows, staff rows)."""
    acc = _Day(day, table or WorkdayTable(day - dt.timedelta(days=400), day))
    _add_applications(acc)
    _add_complaints(acc)
    _add_revisions(acc)
    return acc.daily_rows(), acc.staff_rows()


def _add_applications(acc):
    """Applications: received on the day of submission, completed/rejected/withdrawn on the day of closing."""
    from kupang_portal.organization.models import Kecamatan
    from layanan.models import Application

    nik_kecamatan = dict(Kecamatan.objects.values_list("nik_prefix", "pk"))
    apps = Application.objects.filter(_in("submitted_at", acc.start, acc.end) | _in("closed_at", acc.start, acc.end)).values_list(
        "status", "office_id", "service_id", "applicant_nik", "submitted_at", "closed_at", "working_days_taken",
        "closed_on_time", "assignee_id", named=True)
    for app in apps.iterator(chunk_size=5000):
        b = acc.bucket((APP, app.office_id, app.service_id, None, nik_kecamatan.get((app.applicant_nik or "")[:6]), None, "", ""))
        if acc.within(app.submitted_at):
            b.add("received")
        if acc.within(app.closed_at):
            _application_closed(acc, b, app)


def _application_closed(acc, b, app):
    from layanan.constants import ApplicationStatus as A

    outcome = {A.COMPLETED: "completed", A.REJECTED: "rejected", A.WITHDRAWN: "withdrawn"}.get(app.status)
    if outcome:
        b.add(outcome)
    if app.status == A.COMPLETED:
        if app.closed_on_time:
            b.add("completed_on_time")
        if app.working_days_taken is not None:
            b.hist(app.working_days_taken)
    if app.assignee_id and app.status in (A.COMPLETED, A.REJECTED):
        s = acc.staff_bucket(APP, app.office_id, app.assignee_id)
        s.add("handled")
        if app.closed_on_time:
            s.add("on_time")
        if app.working_days_taken is not None:
            s.hist(app.working_days_taken)


def _add_complaints(acc):
    """Complaints: received, verified (disposition), responded, completed (closed), rejected."""
    from pengaduan import app_settings
    from pengaduan.models import Complaint

    verify_days = app_settings.verify_days()
    start, end = acc.start, acc.end
    complaints = list(Complaint.objects.filter(
        _in("submitted_at", start, end) | _in("closed_at", start, end) | _in("disposed_at", start, end)
        | _in("responded_at", start, end)).values_list(
        "pk", "status", "office_id", "category_id", "kelurahan_id", "kelurahan__kecamatan_id", "kind", "channel",
        "submitted_at", "disposed_at", "responded_at", "closed_at", "follow_up_days", "reopen_count", "assignee_id",
        named=True))
    ratings = _ratings(acc, complaints)
    for c in complaints:
        b = acc.bucket((COMPLAINT, c.office_id, None, c.category_id, c.kelurahan__kecamatan_id, c.kelurahan_id, c.kind, c.channel))
        response_on_time = (c.disposed_at is not None and c.responded_at is not None
                            and acc.table.between(c.disposed_at, c.responded_at) <= c.follow_up_days)
        if acc.within(c.submitted_at):
            b.add("received")
        if acc.within(c.disposed_at):
            b.add("verified")
            if acc.table.between(c.submitted_at, c.disposed_at) <= verify_days:
                b.add("verified_on_time")
        if acc.within(c.responded_at):
            _complaint_responded(acc, b, c, response_on_time)
        if acc.within(c.closed_at):
            _complaint_closed(acc, b, c, response_on_time, ratings.get(c.pk))


def _ratings(acc, complaints):
    """{complaint id: rating} of the complaints closed that day: the latest rated response counts."""
    from pengaduan.models import ComplaintResponse, Status

    closed_ids = [c.pk for c in complaints if c.status == Status.CLOSED and acc.within(c.closed_at)]
    ratings = {}
    for complaint_id, rating in (ComplaintResponse.objects.filter(complaint_id__in=closed_ids, rating__isnull=False)
                                 .order_by("complaint_id", "created_at", "pk").values_list("complaint_id", "rating")):
        ratings[complaint_id] = rating
    return ratings


def _complaint_responded(acc, b, c, on_time):
    b.add("responded")
    if on_time:
        b.add("responded_on_time")
    if c.assignee_id:
        s = acc.staff_bucket(COMPLAINT, c.office_id, c.assignee_id)
        s.add("handled")
        if on_time:
            s.add("on_time")
        s.hist(acc.table.between(c.disposed_at, c.responded_at))


def _complaint_closed(acc, b, c, on_time, rating):
    from pengaduan.models import Status

    if c.status == Status.REJECTED:
        b.add("rejected")
    if c.status != Status.CLOSED:
        return
    b.add("completed")
    if on_time:
        b.add("completed_on_time")
    if c.responded_at is not None:
        b.hist(acc.table.between(c.submitted_at, c.responded_at))
    if c.reopen_count:
        b.add("reopened_completed")
    if rating is not None:
        b.add("rating_sum", rating)
        b.add("rating_count")


def _add_revisions(acc):
    """Revisions requested by each clerk that day (history rows of one day, by the indexed time)."""
    from kupang_portal.workflow.models import CaseEvent

    for actor_id, office_id in CaseEvent.objects.filter(
            _in("created_at", acc.start, acc.end), transition="request_revision", actor__isnull=False,
            actor_office__isnull=False).values_list("actor_id", "actor_office_id"):
        acc.staff_bucket(APP, office_id, actor_id).add("revisions")


# Other apps' daily rollups, rebuilt with these in the same transaction and under the same
# per-day lock, so every fill (beat, nightly, ``fill_dashboards``) keeps them current too:
# ``fill(day) -> rows written`` (the counter visits register theirs in ``AntreanConfig.ready``).
DAY_FILLERS = []


def register_day_filler(fill):
    if fill not in DAY_FILLERS:
        DAY_FILLERS.append(fill)


def fill_day(day, table=None):
    """Replace the rollup rows of ``day`` (idempotent). Returns the number of rows written."""
    with transaction.atomic():
        _lock_day(day)
        daily, staff = compute_day(day, table)
        DailyRollup.objects.filter(day=day).delete()
        StaffDaily.objects.filter(day=day).delete()
        DailyRollup.objects.bulk_create(daily, batch_size=2000)
        StaffDaily.objects.bulk_create(staff, batch_size=2000)
        written = len(daily) + len(staff) + sum(fill(day) for fill in DAY_FILLERS)
        transaction.on_commit(selectors.bump_data_version)
    return written


def fill_range(first, last, kind="backfill", *, run=None, on_day=None):
    """Fill every day from ``first`` to ``last``, recording progress in a FillRun (returned)."""
    if last < first:
        raise ValueError("last day before first day")
    run = run or FillRun.objects.create(kind=kind, first_day=first, last_day=last)
    table = WorkdayTable(first - dt.timedelta(days=400), last)
    day = (run.done_through + dt.timedelta(days=1)) if run.done_through else run.first_day
    try:
        while day <= run.last_day:
            fill_day(day, table)
            run.done_through = day
            run.status = FillRun.Status.RUNNING
            run.save(update_fields=["done_through", "status", "updated_at"])
            if on_day:
                on_day(day)
            day += dt.timedelta(days=1)
    except Exception as exc:
        run.status = FillRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.save(update_fields=["status", "error", "updated_at"])
        raise
    run.status = FillRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "updated_at"])
    transaction.on_commit(selectors.bump_data_version)
    return run


def resume_unfinished(max_age_days=30):
    """Continue every fill a crash (or a failure) left unfinished. Returns the runs resumed."""
    since = timezone.now() - dt.timedelta(days=max_age_days)
    resumed = []
    for run in FillRun.objects.filter(status__in=[FillRun.Status.RUNNING, FillRun.Status.FAILED], started_at__gte=since).order_by("started_at"):
        if run.status == FillRun.Status.RUNNING and run.updated_at > timezone.now() - dt.timedelta(minutes=10):
            continue  # probably still running in another worker
        resumed.append(fill_range(run.first_day, run.last_day, run.kind, run=run))
    return resumed


def fill_recent(days_back, kind):
    today = timezone.localdate()
    return fill_range(today - dt.timedelta(days=days_back), today, kind)


# --- exports --------------------------------------------------------------------------------------------

CASE_COLUMNS = [
    "nomor", "jenis_kasus", "layanan_atau_kategori", "opd", "kecamatan", "kelurahan", "status", "diajukan",
    "respons_pertama", "selesai_atau_ditutup", "tenggat", "tepat_waktu", "hari_kerja", "jenis_laporan", "kanal",
    "judul", "uraian",
]
BREAKDOWN_COLUMNS = ["rincian", "nama", "jenis_kasus", "diterima", "selesai", "selesai_tepat_waktu", "persen_tepat_waktu",
                     "ditolak", "dibatalkan", "median_hari_kerja", "p90_hari_kerja"]


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes_no(value):
    return "" if value is None else ("ya" if value else "tidak")


def export_case_rows(scope, filters, figure):
    """Rows (lists) for a case export. No name, NIK, phone or reporter; complaint text only when
    the complaint is not confidential (and never for an anonymous one)."""
    from kupang_portal.organization.models import Kecamatan

    nik_kecamatan = dict(Kecamatan.objects.values_list("nik_prefix", "name"))
    for case_type, qs in selectors.case_rows(scope, filters, figure):
        if case_type == APP:
            qs = qs.select_related("service", "office").only(
                "number", "status", "service__name", "office__short_name", "applicant_nik", "submitted_at",
                "first_response_at", "closed_at", "deadline", "closed_on_time", "working_days_taken")
            for case in qs.iterator(chunk_size=2000):
                yield [case.number or "", "permohonan", case.service.name, case.office.short_name if case.office else "",
                       nik_kecamatan.get((case.applicant_nik or "")[:6], ""), "", case.get_status_display(),
                       _local(case.submitted_at), _local(case.first_response_at), _local(case.closed_at),
                       _local(case.deadline), _yes_no(case.closed_on_time),
                       "" if case.working_days_taken is None else case.working_days_taken, "", "", "", ""]
        else:
            qs = qs.select_related("category", "office", "kelurahan__kecamatan").only(
                "number", "status", "category__name", "office__short_name", "kelurahan__name",
                "kelurahan__kecamatan__name", "submitted_at", "first_response_at", "closed_at", "deadline",
                "closed_on_time", "working_days_taken", "kind", "channel", "title", "description", "is_confidential",
                "is_anonymous")
            for case in qs.iterator(chunk_size=2000):
                public_text = not case.is_confidential and not case.is_anonymous
                yield [case.number, "pengaduan", case.category.name, case.office.short_name if case.office else "",
                       case.kelurahan.kecamatan.name if case.kelurahan else "", case.kelurahan.name if case.kelurahan else "",
                       case.get_status_display(), _local(case.submitted_at), _local(case.first_response_at),
                       _local(case.closed_at), _local(case.deadline), _yes_no(case.closed_on_time),
                       "" if case.working_days_taken is None else case.working_days_taken, case.kind, case.channel,
                       case.title if public_text else "", case.description if public_text else ""]


def export_breakdown_rows(scope, filters):
    labels = {"opd": "OPD", "layanan": "layanan/kategori", "kecamatan": "kecamatan"}
    for by, label in labels.items():
        for row in selectors.breakdown(scope, filters, by):
            pct = row["on_time_pct"]
            yield [label, row["label"], row["case_type"], row["received"], row["completed"], row["completed_on_time"],
                   "" if pct is None else round(100 * pct, 1), row["rejected"], row["withdrawn"],
                   "" if row["median_days"] is None else row["median_days"], "" if row["p90_days"] is None else row["p90_days"]]


def _sanitize(value):
    """Spreadsheet formula injection: a cell starting with = + - @ is prefixed with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def start_export(user, params, fmt, content):
    """Record an export request and queue its job (after commit). Returns the ExportJob."""
    from . import tasks

    scope = selectors.scope_for(user)  # PermissionDenied for anyone without a dashboard
    job = ExportJob.objects.create(owner=user, format=fmt, content=content, params=params)
    log.info("dashboard export %s requested by %s (%s) with %s", job.pk, user.pk, scope.role, params)
    transaction.on_commit(lambda: tasks.run_export.delay(job.pk))
    return job


def run_export(job_id):
    """Build the file of an export job (idempotent: a finished job is left alone) and notify the owner."""
    from kupang_portal.notifications.services import notify

    from .filters import filters_from_params

    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("owner").filter(pk=job_id).first()
        if job is None or job.status == ExportJob.Status.DONE:
            return job
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        with lag_tolerant():  # the export's reads (rows stream while the file is written) from the replica
            scope = selectors.scope_for(job.owner)
            filters = filters_from_params(job.params, scope)
            if job.content == ExportJob.Content.BREAKDOWN:
                header, rows = BREAKDOWN_COLUMNS, export_breakdown_rows(scope, filters)
            else:
                header, rows = CASE_COLUMNS, export_case_rows(scope, filters, job.params.get("angka", "diterima"))
            content, count = (_xlsx if job.format == ExportJob.Format.XLSX else _csv)(header, rows)
    except Exception as exc:  # noqa: BLE001 - recorded on the job, shown to the owner
        log.exception("dashboard export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now())
        return None
    with transaction.atomic():
        job.file.save(job.filename, ContentFile(content), save=False)
        job.status = ExportJob.Status.DONE
        job.row_count = count
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "row_count", "finished_at"])
        from django.urls import reverse

        notify("dashboard_export_ready", [job.owner], {"rows": count, "format": job.format.upper()},
               link=reverse("dashboards:export_status", args=[job.pk]), dedupe_key=f"dashboard-export-{job.pk}",
               channels=["inapp"])
    return job


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_sanitize(v) for v in row])
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def _xlsx(header, rows):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_sanitize(v) for v in row])
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count
