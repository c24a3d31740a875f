"""Reads for the dashboards, the transparency page and exports. Every read takes a ``Scope``.

What this module offers (other apps, e.g. ``/transparansi/``, build on it):

- ``scope_for(user)`` -> ``Scope`` (raises ``PermissionDenied`` for residents); ``public_scope()``
  for aggregate-only public pages (every office, both case types).
- ``rollup_rows(scope, filters)``: the ``DailyRollup`` queryset of a period, scoped and filtered.
- ``period_figures(scope, filters)``: per case type and in total: received, completed, on time
  (count and %), rejected, withdrawn, median and 90th percentile working days, reopen rate,
  average rating, SP4N-LAPOR! stage compliance, backlog with aging buckets at the end of the
  period. The rollup part is cached until the rollups change (``data_as_of``), the backlog until
  a case of the scope changes (``versions``).
- ``trend(scope, filters)``: the same counts per week or month.
- ``breakdown(scope, filters, by)`` with ``by`` in ``BREAKDOWNS`` (office, subject, kecamatan).
- ``exceptions(scope)``: the live "needs action now" lists over open cases (indexed queries), and
  when they next change by the clock alone (``fragments`` caches them until then or a case changes).
- ``staff_rows(scope, filters, user)``: the staff view for office heads (a clerk: own row).
- ``case_rows(scope, filters, figure)``: the cases behind a figure, for exports (no personal data).
- ``data_as_of()``: the time the rollups describe ("data per ...").

Definitions (the page ``/dasbor/cara-menghitung/`` says the same in Indonesian; tests compute them
by hand): see ``definitions.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, connections, router
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import dateparse, timezone

from kupang_portal.accounts.roles import Role
from kupang_portal.core import db, memo
from kupang_portal.core.cache import fragments
from kupang_portal.organization import calendar

from . import versions
from .models import CaseType, DailyRollup, FillRun, StaffDaily

APP, COMPLAINT = CaseType.APPLICATION.value, CaseType.COMPLAINT.value
SUMS = ("received", "completed", "completed_on_time", "rejected", "withdrawn", "wd_sum", "wd_count",
        "reopened_completed", "rating_sum", "rating_count", "verified", "verified_on_time", "responded",
        "responded_on_time")
AGING_BUCKETS = ((0, 5), (6, 10), (11, 20), (21, None))
EXCEPTION_CAP = 1000  # counts above this show as "> 1.000": the lists stay cheap at any size
DATA_AS_OF_KEY = "dashboards:data-as-of"


# --- who sees what --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """What one person may see. ``office_ids`` None = every office."""

    role: str
    office_ids: frozenset | None
    case_types: frozenset
    user_id: int | None = None
    staff_all: bool = False  # sees every clerk's row of the staff view (heads, pimpinan)
    # The offices whose cases this person's admin queues open, when fewer than the scope counts
    # (the desk counts every complaint but works only those at the desk); None = all it counts.
    opens_office_ids: frozenset | None = None

    @property
    def key(self):
        offices = "all" if self.office_ids is None else ",".join(map(str, sorted(self.office_ids)))
        opens = "" if self.opens_office_ids is None else ":opens=" + ",".join(map(str, sorted(self.opens_office_ids)))
        return f"{self.role}:{offices}:{','.join(sorted(self.case_types))}{opens}"

    def opens(self, office_id):
        """Whether this person's admin opens a case of ``office_id`` that the scope counts."""
        return self.opens_office_ids is None or office_id in self.opens_office_ids


BOTH = frozenset({APP, COMPLAINT})


def scope_for(user, *, stamp=None):
    """The dashboard scope of ``user``; PermissionDenied for residents and staff without a role here.

    Cached per user under the user's stamp (``versions.user_key``: replaced when the user, their
    groups or office memberships change); ``stamp`` is that stamp when the caller read it already."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if stamp is None:
        stamp = versions.read([versions.user_key(user.pk)])[versions.user_key(user.pk)]
    key = f"dashboards:scope:{user.pk}:{stamp}"
    scope = memo.get(key)
    if scope is None:
        try:
            with db.primary():  # permissions never lag, even on a replica-read page
                scope = _scope_uncached(user)
        except PermissionDenied:
            scope = DENIED
        memo.set(key, scope, SCOPE_SECONDS)
    if scope == DENIED:
        raise PermissionDenied
    return scope


DENIED = "denied"
SCOPE_SECONDS = 300  # a backstop (with Redis down no stamp is kept: the scope is read each time)


def _scope_uncached(user):
    if user.is_superuser or user.has_role(Role.SUPERVISOR) or user.has_role(Role.ADMIN):
        return Scope("pimpinan", None, BOTH, user.pk, staff_all=True)
    if not user.is_staff:
        raise PermissionDenied
    heads = user.office_ids([Role.OFFICE_HEAD])
    if heads and user.has_role(Role.OFFICE_HEAD):
        return Scope("kepala_opd", frozenset(heads), BOTH, user.pk, staff_all=True)
    if user.has_role(Role.VERIFIER):
        from pengaduan.routing import desk_office

        # Counts every complaint; opens those at the desk and its own offices (Complaint.visible_to).
        return Scope("verifikator", None, frozenset({COMPLAINT}), user.pk,
                     opens_office_ids=frozenset({*user.office_ids(), desk_office().pk}))
    clerk_offices = user.office_ids([Role.CLERK])
    if clerk_offices and user.has_role(Role.CLERK):
        return Scope("petugas", frozenset(clerk_offices), BOTH, user.pk)
    raise PermissionDenied


def public_scope():
    return Scope("publik", None, BOTH)


# --- the rollup ----------------------------------------------------------------------------------

def _scoped(queryset, scope, filters, *, office_field="office_id"):
    types = set(scope.case_types) & filters.case_types()
    queryset = queryset.filter(case_type__in=sorted(types))
    if scope.office_ids is not None:
        queryset = queryset.filter(**{f"{office_field}__in": sorted(scope.office_ids)})
    if filters.office:
        queryset = queryset.filter(**{office_field: filters.office})
    return queryset


def rollup_rows(scope, filters):
    rows = _scoped(DailyRollup.objects.all(), scope, filters).filter(day__gte=filters.start, day__lte=filters.end)
    if filters.service:
        rows = rows.filter(service_id=filters.service)
    if filters.category:
        rows = rows.filter(category_id=filters.category)
    if filters.kecamatan:
        rows = rows.filter(kecamatan_id=filters.kecamatan)
    if filters.kelurahan:
        rows = rows.filter(kelurahan_id=filters.kelurahan)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    return rows


def histogram(rows, group_by=None):
    """Sum the ``wd_hist`` columns of ``rows`` in SQL: {group: {days: count}} (group None if not grouped)."""
    columns = ["wd_hist"] + ([group_by] if group_by else [])
    sql, params = rows.values(*columns).query.sql_with_params()
    each = "jsonb_each_text(r.wd_hist::jsonb)" if connection.vendor == "postgresql" else "json_each(r.wd_hist)"
    group_sql = f"r.{connection.ops.quote_name(group_by)}" if group_by else "NULL"
    query = (f"SELECT {group_sql}, j.key, SUM(CAST(j.value AS INTEGER)) FROM ({sql}) r, {each} j "
             f"GROUP BY {group_sql}, j.key")
    result = {}
    with connections[router.db_for_read(rows.model)].cursor() as cursor:  # the replica on a lag-tolerant page
        cursor.execute(query, params)
        for group, days, count in cursor.fetchall():
            result.setdefault(group, {})[int(days)] = result.get(group, {}).get(int(days), 0) + int(count)
    return result


def percentile(hist, fraction):
    """Nearest-rank percentile of a {value: count} histogram: the smallest value with at least
    ceil(fraction x n) of the n values at or below it. None when empty."""
    total = sum(hist.values())
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if seen >= rank:
            return value
    return None


def _ratio(part, whole):
    return None if not whole else part / whole


def _derive(sums, hist):
    """Figures from summed rollup columns and a histogram."""
    s = {k: (sums.get(k) or 0) for k in SUMS}
    return {
        **s,
        "on_time_pct": _ratio(s["completed_on_time"], s["completed"]),
        "median_days": percentile(hist, 0.5),
        "p90_days": percentile(hist, 0.9),
        "mean_days": _ratio(s["wd_sum"], s["wd_count"]),
        "reopen_rate": _ratio(s["reopened_completed"], s["completed"]),
        "avg_rating": _ratio(s["rating_sum"], s["rating_count"]),
        "verified_pct": _ratio(s["verified_on_time"], s["verified"]),
        "responded_pct": _ratio(s["responded_on_time"], s["responded"]),
    }


def _cache_key(name, scope, filters, *extra):
    raw = repr((name, scope.key, filters.key(), extra, data_as_of_key()))
    return "dashboards:" + name + ":" + hashlib.sha1(raw.encode()).hexdigest()


def period_figures(scope, filters, *, now=None, use_cache=True):
    """{"layanan": {...}, "pengaduan": {...}, "total": {...}} for the period; see module docstring.

    The rollup part is cached until the rollups change (the data stamp); the backlog, which
    counts the cases themselves, until a case of the scope changes or the day ends."""
    key = _cache_key("figures", scope, filters)
    result = fragments().get(key) if use_cache and now is None else None
    if result is None:
        result = _rollup_figures(scope, filters)
        if use_cache and now is None:
            fragments().set(key, result, 3600)
    result = {name: dict(value) if isinstance(value, dict) else value for name, value in result.items()}
    types = result["types"]
    backlogs = scope_backlogs(scope, filters, now=now, use_cache=use_cache)
    for case_type in types:
        result[case_type]["backlog"] = backlogs[case_type]
    result["total"]["backlog"] = _sum_backlogs([backlogs[t] for t in types])
    return result


def _rollup_figures(scope, filters):
    rows = rollup_rows(scope, filters)
    sums = {r["case_type"]: r for r in rows.values("case_type").annotate(**{k: Sum(k) for k in SUMS})}
    hists = histogram(rows, "case_type")
    types = sorted(set(scope.case_types) & filters.case_types())
    result = {}
    total_hist = {}
    for case_type in types:
        hist = hists.get(case_type, {})
        for days, count in hist.items():
            total_hist[days] = total_hist.get(days, 0) + count
        result[case_type] = _derive(sums.get(case_type, {}), hist)
        if case_type == APP:
            result[case_type]["reopen_rate"] = None  # applications are never reopened
    total_sums = {k: sum((sums.get(t, {}).get(k) or 0) for t in types) for k in SUMS}
    result["total"] = _derive(total_sums, total_hist)
    result["types"] = types
    return result


def scope_backlogs(scope, filters, *, now=None, use_cache=True):
    """{case_type: backlog(...)} of the period's types, cached under the scope's case stamps and
    today's date (the aging buckets move with the date)."""
    types = sorted(set(scope.case_types) & filters.case_types())
    if not use_cache or now is not None:
        return {t: backlog(scope, filters, t, now=now) for t in types}
    stamps = versions.read(versions.case_keys(scope))
    raw = repr(("backlog", scope.key, filters.key(), sorted(stamps.items()), timezone.localdate().isoformat()))
    key = "dashboards:backlog:" + hashlib.sha1(raw.encode()).hexdigest()
    result = memo.get(key)
    if result is None:
        result = {t: backlog(scope, filters, t) for t in types}
        memo.set(key, result, 3600)
    return result


def trend(scope, filters):
    """[{period, received, completed, completed_on_time, on_time_pct}] per week (Monday) or month."""
    key = _cache_key("trend", scope, filters)
    cached = fragments().get(key)
    if cached is not None:
        return cached
    trunc = TruncMonth("day") if filters.group == "month" else TruncWeek("day")
    rows = (rollup_rows(scope, filters).annotate(period=trunc).values("period").order_by("period")
            .annotate(received=Sum("received"), completed=Sum("completed"), completed_on_time=Sum("completed_on_time"),
                      rejected=Sum("rejected")))
    result = []
    for row in rows:
        period = row["period"]
        if isinstance(period, dt.datetime):
            period = period.date()
        result.append({**row, "period": period, "on_time_pct": _ratio(row["completed_on_time"], row["completed"])})
    fragments().set(key, result, 3600)
    return result


BREAKDOWNS = {
    "opd": ("office_id",),
    "layanan": ("case_type", "service_id", "category_id"),
    "kecamatan": ("kecamatan_id",),
}


def breakdown(scope, filters, by):
    """Rows of figures grouped by office, service/category or kecamatan, with labels, largest first."""
    from kupang_portal.organization.models import Kecamatan, Office
    from layanan.models import Service
    from pengaduan.models import Category

    key = _cache_key("breakdown", scope, filters, by)
    cached = fragments().get(key)
    if cached is not None:
        return cached
    fields = BREAKDOWNS[by]
    rows = rollup_rows(scope, filters)
    grouped = list(rows.values(*fields).annotate(**{k: Sum(k) for k in SUMS}))
    if by == "layanan":
        labels_s = dict(Service.objects.values_list("pk", "name"))
        labels_c = dict(Category.objects.values_list("pk", "name"))
        label = lambda r: labels_s.get(r["service_id"]) if r["case_type"] == APP else labels_c.get(r["category_id"])  # noqa: E731
        hist_field = None
    else:
        model = Office if by == "opd" else Kecamatan
        names = dict(model.objects.values_list("pk", "short_name" if by == "opd" else "name"))
        label = lambda r: names.get(r[fields[0]])  # noqa: E731
        hist_field = fields[0]
    hists = histogram(rows, hist_field) if hist_field else {}
    result = []
    for row in grouped:
        hist = hists.get(row[fields[0]], {}) if hist_field else {}
        figures = _derive(row, hist)
        if not hist_field:
            figures["median_days"] = figures["p90_days"] = None
        name = label(row) or ("Luar Kota Kupang / tidak diketahui" if by == "kecamatan" else "–")
        result.append({"label": str(name), "key": row[fields[0]] if by != "layanan" else f"{row['case_type']}:{row['service_id'] or row['category_id']}",
                       "case_type": row.get("case_type", ""), **figures})
    result.sort(key=lambda r: (-r["received"], r["label"]))
    fragments().set(key, result, 3600)
    return result


# --- backlog at the end of the period (from the cases themselves) ------------------------------------

def case_queryset(case_type, scope, filters, *, office=True):
    """Cases of one type in scope, with the region/subject filters (not the period)."""
    from layanan.models import Application
    from pengaduan.models import Complaint

    model = Application if case_type == APP else Complaint
    qs = model.objects.all()
    if scope.office_ids is not None:
        qs = qs.filter(office_id__in=sorted(scope.office_ids))
    if office and filters.office:
        qs = qs.filter(office_id=filters.office)
    if case_type == APP:
        if filters.service:
            qs = qs.filter(service_id=filters.service)
        if filters.kecamatan:
            from kupang_portal.organization.models import Kecamatan

            prefix = Kecamatan.objects.filter(pk=filters.kecamatan).values_list("nik_prefix", flat=True).first()
            qs = qs.filter(applicant_nik__startswith=prefix or "-")
    else:
        if filters.category:
            qs = qs.filter(category_id=filters.category)
        if filters.kecamatan:
            qs = qs.filter(kelurahan__kecamatan_id=filters.kecamatan)
        if filters.kelurahan:
            qs = qs.filter(kelurahan_id=filters.kelurahan)
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        if filters.channel:
            qs = qs.filter(channel=filters.channel)
    return qs


def backlog(scope, filters, case_type, *, now=None):
    """Open cases at the end of the period and their age in working days since submission:
    {"total": n, "buckets": [n_0_5, n_6_10, n_11_20, n_over_20]}.

    When the period ends today this is the live open set (``is_open``, partial indexes); for a
    period in the past it is every case submitted by then and not yet closed at the end of that day.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    qs = case_queryset(case_type, scope, filters)
    if filters.end >= today:
        qs = qs.filter(is_open=True)
        reference_day = today
    else:
        end_at = _day_start(filters.end + dt.timedelta(days=1))
        qs = qs.filter(submitted_at__lt=end_at).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end_at))
        reference_day = filters.end
    from .workdays import table_for

    table = table_for(reference_day - dt.timedelta(days=60), reference_day)
    # Age in working days: calendar.working_days_between(submitted, reference day). A case is in
    # the bucket "0-5" when submitted on or after the earliest date with age <= 5, and so on.
    edges = [table.subtract(reference_day, high) for _low, high in AGING_BUCKETS[:-1]]
    aggregates = {}
    previous = None
    for i, edge in enumerate(edges):
        start = _day_start(edge)
        condition = Q(submitted_at__gte=start)
        if previous is not None:
            condition &= Q(submitted_at__lt=previous)
        aggregates[f"b{i}"] = Count("pk", filter=condition)
        previous = start
    aggregates[f"b{len(edges)}"] = Count("pk", filter=Q(submitted_at__lt=previous))
    aggregates["total"] = Count("pk")
    counts = qs.aggregate(**aggregates)
    return {"total": counts["total"], "buckets": [counts[f"b{i}"] for i in range(len(AGING_BUCKETS))]}


def _sum_backlogs(items):
    return {"total": sum(i["total"] for i in items),
            "buckets": [sum(i["buckets"][k] for i in items) for k in range(len(AGING_BUCKETS))]}


def _day_start(day):
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=calendar.local_tz())


# --- exceptions: live lists over open cases ----------------------------------------------------------

EXCEPTIONS = ("lewat_tenggat", "jatuh_tempo", "lewat_3x", "meja_verifikasi", "dibuka_kembali", "belum_ditugaskan")
COMPLAINT_ONLY = ("meja_verifikasi", "dibuka_kembali")


def _is_complaint(model):
    return model._meta.label == "pengaduan.Complaint"


def _running(model, qs):
    """Open cases whose clock runs: not paused, with a deadline (a responded complaint waits for
    the reporter, not for the office)."""
    running = qs.filter(sla_paused_at__isnull=True, deadline__isnull=False)
    if _is_complaint(model):
        from pengaduan.models import Status

        running = running.exclude(status=Status.RESPONDED)
    return running


def _overdue(model, qs, now):
    return _running(model, qs).filter(deadline__lt=now)


def _due_soon(model, qs, now):
    soon = calendar.end_of_working_day(calendar.add_working_days(now, 1))
    return _running(model, qs).filter(deadline__gte=now, deadline__lte=soon)


def _over_three_times(model, qs, now):
    """The clock has run more than 3x the standard time: overdue by more than twice the standard."""
    from .workdays import table_for

    today = timezone.localtime(now).date()
    table = table_for(today - dt.timedelta(days=400), today)
    condition = Q()
    for status, days, extra in _standard_times(model):
        cutoff = calendar.end_of_working_day(table.subtract(today, 2 * days + 1))
        part = Q(deadline__lte=cutoff, **extra)
        if status:
            part &= Q(status__in=status)
        condition |= part
    running = _running(model, qs)
    return running.filter(condition) if condition else running.none()


def _at_the_desk(model, qs, now):
    from pengaduan.models import Status

    return _running(model, qs).filter(status=Status.SUBMITTED, deadline__lt=now)


def _reopened(model, qs, now):
    return qs.filter(reopen_count__gt=0)


def _unassigned(model, qs, now):
    from pengaduan.models import Status

    qs = qs.filter(assignee__isnull=True)
    return qs.exclude(status=Status.SUBMITTED) if _is_complaint(model) else qs


_EXCEPTION_FILTERS = {
    "lewat_tenggat": _overdue, "jatuh_tempo": _due_soon, "lewat_3x": _over_three_times,
    "meja_verifikasi": _at_the_desk, "dibuka_kembali": _reopened, "belum_ditugaskan": _unassigned,
}


def exception_queryset(model, name, *, now=None):
    """Open cases of ``model`` in the exception list ``name`` (unscoped; callers scope it)."""
    qs = model.objects.filter(is_open=True)
    if name == "terlama":
        return qs.order_by("submitted_at")
    if name not in _EXCEPTION_FILTERS:
        raise ValueError(name)
    if name in COMPLAINT_ONLY and not _is_complaint(model):
        return qs.none()
    return _EXCEPTION_FILTERS[name](model, qs, now or timezone.now())


def _standard_times(model):
    """[(statuses or None, standard working days, extra filter)] of a case type (cached 5 minutes
    under the epoch stamp, which a saved service or category replaces)."""
    key = f"dashboards:standard-times:{model._meta.label}:{versions.read([versions.EPOCH])[versions.EPOCH]}"
    items = fragments().get(key)
    if items is None:
        items = _standard_times_uncached(model)
        fragments().set(key, items, 300)
    return items


def _standard_times_uncached(model):
    from layanan.models import Service
    from pengaduan import app_settings
    from pengaduan.models import Category, Complaint, Status

    if model is Complaint:
        days = set(Category.objects.values_list("follow_up_days", flat=True)) | set(app_settings.kind_follow_up_days().values())
        items = [((str(Status.SUBMITTED),), app_settings.verify_days(), {})]
        items += [((str(Status.DISPOSED), str(Status.IN_PROGRESS)), d, {"follow_up_days": d}) for d in sorted(days)]
        return items
    by_days = {}
    for pk, days in Service.objects.values_list("pk", "completion_days"):
        by_days.setdefault(days, []).append(pk)
    return [(None, days, {"service_id__in": pks}) for days, pks in sorted(by_days.items())]


def _capped_count_sql(queryset):
    sql, params = queryset.values("pk")[:EXCEPTION_CAP + 1].query.sql_with_params()
    return f"(SELECT COUNT(*) FROM ({sql}) AS capped)", list(params)


def _next_deadline_sql(queryset, now):
    """The first deadline still ahead among running cases: when "overdue" and "due" lists change next."""
    sql, params = queryset.filter(deadline__gte=now).order_by("deadline").values("deadline")[:1].query.sql_with_params()
    return f"({sql})", list(params)


def _scope_cases(queryset, scope, office=None):
    if scope.office_ids is not None:
        queryset = queryset.filter(office_id__in=sorted(scope.office_ids))
    if office:
        queryset = queryset.filter(office_id=office)
    return queryset


def _case_models(scope):
    from layanan.models import Application
    from pengaduan.models import Complaint

    return [(t, m) for t, m in ((APP, Application), (COMPLAINT, Complaint)) if t in scope.case_types]


def exceptions(scope, *, now=None, office=None):
    """The "needs action now" lists: {"lists": [{name, counts: {case_type: n}, total, capped}],
    "oldest": the 10 oldest open cases, "valid_until": the moment the lists can next change
    without any case changing (the next deadline passing, or midnight)}. Counts stop at
    EXCEPTION_CAP + 1 (shown as "> 1.000"); one SQL statement for the counts."""
    now = now or timezone.now()
    models = _case_models(scope)
    slots = [(name, case_type, model) for name in EXCEPTIONS for case_type, model in models
             if name not in COMPLAINT_ONLY or case_type == COMPLAINT]
    parts, params = [], []
    for name, _case_type, model in slots:
        sql, p = _capped_count_sql(_scope_cases(exception_queryset(model, name, now=now), scope, office))
        parts.append(sql)
        params += p
    for _case_type, model in models:
        sql, p = _next_deadline_sql(_scope_cases(_running(model, model.objects.filter(is_open=True)), scope, office), now)
        parts.append(sql)
        params += p
    with connections[router.db_for_read(models[0][1])].cursor() as cursor:  # the replica on a lag-tolerant page
        cursor.execute("SELECT " + ", ".join(parts), params)
        values = cursor.fetchone()
    counts, next_deadlines = values[:len(slots)], values[len(slots):]
    midnight = _day_start(timezone.localtime(now).date() + dt.timedelta(days=1))
    return {"lists": _exception_lists(slots, counts), "oldest": _oldest(models, scope, office, now),
            "valid_until": min([midnight, *(aware_utc(d) for d in next_deadlines if d is not None)])}


def aware_utc(value):
    """A datetime read with a raw cursor, made aware: PostgreSQL returns it aware; SQLite (make
    run) returns a naive UTC datetime or its text."""
    if isinstance(value, str):
        value = dateparse.parse_datetime(value)
    return timezone.make_aware(value, dt.timezone.utc) if timezone.is_naive(value) else value


def _exception_lists(slots, counts):
    lists = {name: {"name": name, "counts": {}, "total": 0} for name in EXCEPTIONS}
    for (name, case_type, _model), value in zip(slots, counts, strict=True):
        lists[name]["counts"][case_type] = value
        lists[name]["total"] += value
    for item in lists.values():
        item["capped"] = any(v > EXCEPTION_CAP for v in item["counts"].values())
    return [lists[n] for n in EXCEPTIONS]


def _status_label(model, status):
    if _is_complaint(model):
        from pengaduan.models import Status

        return str(Status(status).label) if status in Status.values else status
    labels = dict(model._meta.get_field("status").choices or ())
    return str(labels.get(status, status))


def _oldest(models, scope, office, now):
    oldest = []
    for case_type, model in models:
        qs = _scope_cases(model.objects.filter(is_open=True), scope, office)
        related = "category" if _is_complaint(model) else "service"
        fields = ("pk", "number", "status", "submitted_at", "deadline", f"{related}__name", "office_id", "office__short_name")
        for row in qs.order_by("submitted_at").values(*fields)[:10]:
            oldest.append({"case_type": case_type, "number": row["number"] or "", "pk": row["pk"], "office_id": row["office_id"],
                           "subject": row[f"{related}__name"], "office": row["office__short_name"] or "–",
                           "submitted_at": row["submitted_at"], "status": _status_label(model, row["status"]),
                           "deadline": row["deadline"]})
    oldest.sort(key=lambda c: (c["submitted_at"] is None, c["submitted_at"] or now))
    return oldest[:10]


# --- staff view -----------------------------------------------------------------------------------

def staff_rows(scope, filters, user):
    """Per clerk of the offices in scope: handled, on-time %, median days, revisions, open load.

    Office heads and pimpinan see every clerk; a clerk sees only their own row."""
    from django.contrib.auth import get_user_model

    from kupang_portal.accounts.models import OfficeMembership
    from layanan.models import Application
    from pengaduan.models import Complaint

    rows = _scoped(StaffDaily.objects.all(), scope, filters).filter(day__gte=filters.start, day__lte=filters.end)
    members = OfficeMembership.objects.filter(is_active=True, role=Role.CLERK)
    if scope.office_ids is not None:
        members = members.filter(office_id__in=sorted(scope.office_ids))
    if filters.office:
        members = members.filter(office_id=filters.office)
    if not scope.staff_all:
        rows = rows.filter(user_id=user.pk)
        members = members.filter(user_id=user.pk)
    people = {}
    for office_id, user_id in members.values_list("office_id", "user_id"):
        people.setdefault(user_id, set()).add(office_id)
    data = {}
    for row in rows.values("user_id", "handled", "on_time", "wd_hist", "revisions"):
        item = data.setdefault(row["user_id"], {"handled": 0, "on_time": 0, "revisions": 0, "hist": {}})
        item["handled"] += row["handled"]
        item["on_time"] += row["on_time"]
        item["revisions"] += row["revisions"]
        for days, count in (row["wd_hist"] or {}).items():
            item["hist"][int(days)] = item["hist"].get(int(days), 0) + count
        people.setdefault(row["user_id"], set())
    load = {}
    for model in (Application, Complaint):
        qs = _scope_cases(model.objects.filter(is_open=True, assignee_id__in=list(people)), scope)
        if filters.office:
            qs = qs.filter(office_id=filters.office)
        for assignee, count in qs.values_list("assignee_id").annotate(n=Count("pk")).values_list("assignee_id", "n"):
            load[assignee] = load.get(assignee, 0) + count
    names = {u.pk: u.display_name for u in get_user_model().objects.filter(pk__in=list(people))}
    from kupang_portal.organization.models import Office

    office_names = dict(Office.objects.values_list("pk", "short_name"))
    result = []
    for user_id in people:
        item = data.get(user_id, {"handled": 0, "on_time": 0, "revisions": 0, "hist": {}})
        result.append({"user_id": user_id, "name": names.get(user_id, "–"),
                       "offices": ", ".join(sorted(office_names.get(o, "") for o in people[user_id])), "handled": item["handled"],
                       "on_time_pct": _ratio(item["on_time"], item["handled"]), "median_days": percentile(item["hist"], 0.5),
                       "revisions": item["revisions"], "open_load": load.get(user_id, 0)})
    result.sort(key=lambda r: (-r["handled"], r["name"]))
    return result


# --- case lists for exports --------------------------------------------------------------------------

FIGURES = {
    "diterima": "received", "selesai": "completed", "ditolak": "rejected", "dibatalkan": "withdrawn",
    "tunggakan": "backlog",
}


def case_rows(scope, filters, figure="diterima", *, now=None):
    """(case_type, queryset) pairs of the cases behind a figure of the period, ordered by id."""
    from layanan.constants import ApplicationStatus
    from pengaduan.models import Status

    start, end = _day_start(filters.start), _day_start(filters.end + dt.timedelta(days=1))
    result = []
    for case_type in sorted(set(scope.case_types) & filters.case_types()):
        qs = case_queryset(case_type, scope, filters)
        if figure == "tunggakan":
            today = timezone.localtime(now or timezone.now()).date()
            qs = qs.filter(is_open=True) if filters.end >= today else qs.filter(submitted_at__lt=end).filter(
                Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        elif figure in ("selesai", "ditolak", "dibatalkan"):
            done = {"selesai": ApplicationStatus.COMPLETED if case_type == APP else Status.CLOSED,
                    "ditolak": ApplicationStatus.REJECTED if case_type == APP else Status.REJECTED,
                    "dibatalkan": ApplicationStatus.WITHDRAWN}.get(figure)
            if figure == "dibatalkan" and case_type != APP:
                continue
            qs = qs.filter(status=done, closed_at__gte=start, closed_at__lt=end)
        else:
            qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
        result.append((case_type, qs.order_by("pk")))
    return result


# --- "data per <time>" ---------------------------------------------------------------------------------

def data_as_of(value=None):
    """When the rollups were last refreshed up to today: the start of the latest finished fill
    whose range reaches today (None before the first fill). ``value``: the cached
    ``DATA_AS_OF_KEY`` when the caller read it already (with the stamps)."""
    if value is None:
        value = fragments().get(DATA_AS_OF_KEY)
    if value is None:
        run = FillRun.objects.filter(status=FillRun.Status.DONE, last_day__gte=timezone.localdate()).order_by("-started_at").first()
        value = run.started_at.isoformat() if run else ""
        fragments().set(DATA_AS_OF_KEY, value, 120)
    return dt.datetime.fromisoformat(value) if value else None


DATA_VERSION_KEY = versions.DATA


def data_as_of_key():
    """Changes whenever a fill rewrites a day: cached figures are keyed by it."""
    return versions.read([versions.DATA])[versions.DATA]


def bump_data_version():
    versions.bump(versions.DATA)
    fragments().delete(DATA_AS_OF_KEY)


def visit_rows(scope, filters):
    """Counter visits (antrean) of the period per office and service, within the scope: booked,
    attended, no-show rate, median waiting and service minutes (definitions in
    ``antrean.selectors.visit_figures``). Bookings are few next to cases (one per visit, not per
    history row), so they are read live over the (office, date) index."""
    from antrean.selectors import visit_figures

    if APP not in scope.case_types:
        return []  # the complaint desk's scope has no counter visits
    office_ids = scope.office_ids
    if filters.office:
        office_ids = {filters.office} if office_ids is None else set(office_ids) & {filters.office}
    rows = visit_figures(filters.start, filters.end, office_ids, group_by=("office", "service"))
    if filters.service:
        rows = [row for row in rows if row["key"][1] == filters.service]
    return rows
