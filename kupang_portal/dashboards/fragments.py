"""The parts of ``/dasbor/`` that are the same for everyone with the same scope, rendered once and
cached under the stamps they were computed from (``versions``), so that a request usually costs
one shared-cache round trip for the stamps and no query besides the session, the user and the
unread notifications:

- the exception lists and the 10 oldest open cases: keyed on the scope, the language and the
  scope's case stamps (replaced on every committed case change in its offices) and kept no longer
  than ``valid_until`` (the next deadline of a running case, or midnight: when the lists change by
  the clock alone), nor than ``EXCEPTIONS_SECONDS`` (a backstop for writes outside the engine);
- the period summary (figures table and trend chart): keyed on the scope, the filters (which hold
  the dates), the language, the rollup stamp (replaced when a fill writes a day) and the scope's
  case stamps (the backlog counts open cases);
- the whole content of the home page opened without filters (menu, scope, "data per" time and the
  two parts above): keyed on all of these and on the exception lists it holds.

A clerk's key holds their scope (their offices), so no one reads another scope's fragment.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from kupang_portal.core import cache, memo
from kupang_portal.notifications import unread

from . import charts, selectors, versions
from .models import CaseType

EXCEPTIONS_SECONDS = 600
PERIOD_SECONDS = 3600

EXCEPTION_LABELS = {
    "lewat_tenggat": gettext_lazy("Lewat tenggat"),
    "jatuh_tempo": gettext_lazy("Jatuh tempo ≤ 1 hari kerja"),
    "lewat_3x": gettext_lazy("Lebih dari 3× waktu standar"),
    "meja_verifikasi": gettext_lazy("Menunggu meja verifikasi > 3 hari kerja"),
    "dibuka_kembali": gettext_lazy("Pengaduan dibuka kembali"),
    "belum_ditugaskan": gettext_lazy("Belum ditugaskan ke petugas"),
}
KPI_ROWS = [
    ("received", gettext_lazy("Diterima"), "int"),
    ("completed", gettext_lazy("Selesai"), "int"),
    ("completed_on_time", gettext_lazy("Selesai tepat waktu"), "int"),
    ("on_time_pct", gettext_lazy("Selesai tepat waktu (%)"), "pct"),
    ("rejected", gettext_lazy("Ditolak"), "int"),
    ("withdrawn", gettext_lazy("Dibatalkan pemohon"), "int"),
    ("median_days", gettext_lazy("Median lama proses (hari kerja)"), "int"),
    ("p90_days", gettext_lazy("Persentil ke-90 lama proses (hari kerja)"), "int"),
    ("reopen_rate", gettext_lazy("Tingkat dibuka kembali"), "pct"),
    ("avg_rating", gettext_lazy("Rata-rata nilai pelapor (1–5)"), "dec"),
    ("verified_pct", gettext_lazy("Diverifikasi ≤ 3 hari kerja (SP4N-LAPOR!)"), "pct"),
    ("responded_pct", gettext_lazy("Ditindaklanjuti dalam batas waktu (SP4N-LAPOR!)"), "pct"),
]
ADMIN_CHANGELIST = {CaseType.APPLICATION.value: "admin:layanan_application_changelist",
                    CaseType.COMPLAINT.value: "admin:pengaduan_complaint_changelist"}


@dataclass(frozen=True)
class Stamps:
    """What a dashboard request's caches are keyed on, read together."""

    scope: selectors.Scope
    data: str
    cases: tuple
    data_as_of_raw: str | None
    unread_stamp: str | None = None  # the navigation's unread count (notifications.unread), read along

    @property
    def data_as_of(self):
        return selectors.data_as_of(self.data_as_of_raw)


def stamps_for(user):
    """The user's scope and the stamps: one shared-cache round trip (two for an office scope). The
    same round trip reads the stamp of the user's unread notification count."""
    if not user.is_authenticated or not user.is_active:
        raise selectors.PermissionDenied
    user_key = versions.user_key(user.pk)
    unread_key = unread.stamp_key(user.pk)
    stamps = versions.read([versions.DATA, versions.EPOCH, versions.CASES_ALL, user_key],
                           plain=[selectors.DATA_AS_OF_KEY, unread_key])
    scope = selectors.scope_for(user, stamp=stamps[user_key])
    case_keys = versions.case_keys(scope)
    missing = [key for key in case_keys if key not in stamps]
    if missing:
        stamps.update(versions.read(missing))
    return Stamps(scope, stamps[versions.DATA], tuple(stamps[key] for key in case_keys),
                  stamps.get(selectors.DATA_AS_OF_KEY), cache.stamp(stamps, unread_key))


def _key(name, *parts):
    return f"dashboards:fragment:{name}:" + hashlib.sha1(repr(parts).encode()).hexdigest()


def exception_links(result, scope=None):
    """Labels and admin-queue links of the exception lists and the oldest cases. A link only where
    the viewer's admin shows what the number counts (``scope.opens``): the desk counts every
    complaint, but its queue holds the desk's, and another office's case page answered "does not
    exist, perhaps deleted"."""
    opens_all = scope is None or scope.opens_office_ids is None
    for item in result["lists"]:
        item["label"] = EXCEPTION_LABELS[item["name"]]
        item["links"] = [
            {"case_type": case_type, "count": count, "capped": count > selectors.EXCEPTION_CAP,
             "url": f"{reverse(ADMIN_CHANGELIST[case_type])}?pengecualian={item['name']}" if opens_all else ""}
            for case_type, count in item["counts"].items()
        ]
    result["counts_only"] = not opens_all
    for case in result["oldest"]:
        opens = scope is None or scope.opens(case.get("office_id"))
        case["url"] = reverse(ADMIN_CHANGELIST[case["case_type"]].replace("changelist", "change"), args=[case["pk"]]) if opens else ""
    return result


def exceptions_html(stamps):
    """(html, valid_until): the rendered exception lists and oldest cases of the scope (see the
    module docstring)."""
    scope = stamps.scope
    key = _key("exceptions", scope.key, translation.get_language(), stamps.cases)
    now = timezone.now()
    cached = memo.get(key)
    if cached is not None and cached[0] > now:
        return cached[1], cached[0]
    result = exception_links(selectors.exceptions(scope, now=now), scope)
    html = render_to_string("dashboards/partials/exceptions.html", {"exceptions": result})
    memo.set(key, (result["valid_until"], html), _seconds_until(result["valid_until"], now, EXCEPTIONS_SECONDS))
    return html, result["valid_until"]


def _seconds_until(moment, now, most):
    return min(most, max(1, int((moment - now).total_seconds())))


def home_html(request, stamps, context):
    """The home page's content (dashboard menu, scope, exception lists, period summary). Opened
    without filters it is the same for everyone with the scope: cached whole, keyed on what its
    parts are keyed on, the "data per" time and the exception lists it holds."""
    exceptions, valid_until = exceptions_html(stamps)
    key = None
    if not request.GET:
        data_as_of = context["data_as_of"]
        key = _key("home", stamps.scope.key, translation.get_language(), stamps.data, stamps.cases,
                   data_as_of.isoformat() if data_as_of else "", timezone.localdate().isoformat(), request.path,
                   hashlib.sha1(exceptions.encode()).hexdigest())
        cached = memo.get(key)
        if cached is not None:
            return cached
    html = render_to_string("dashboards/partials/home_body.html", {
        **context, "request": request, "exceptions_html": exceptions, "period_html": period_html(stamps, context["filters"])})
    if key:
        memo.set(key, html, _seconds_until(valid_until, timezone.now(), EXCEPTIONS_SECONDS))
    return html


def period_html(stamps, filters):
    """The rendered figures table and trend chart of the period (see the module docstring)."""
    scope = stamps.scope
    key = _key("period", scope.key, filters.key(), translation.get_language(), stamps.data, stamps.cases,
               timezone.localdate().isoformat())
    html = memo.get(key)
    if html is None:
        figures = selectors.period_figures(scope, filters)
        trend_chart = charts.trend_chart(selectors.trend(scope, filters), filters)
        html = render_to_string("dashboards/partials/period.html", {
            "filters": filters, "figures": figures, "kpi_rows": KPI_ROWS, "trend_chart": trend_chart,
            "query": urlencode(filters.as_query())})
        memo.set(key, html, PERIOD_SECONDS)
    return html
