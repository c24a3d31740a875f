"""Application and complaint figures of /transparansi/, read from the dashboards' daily rollups.

Nothing here counts cases: every number comes from ``kupang_portal.dashboards.selectors`` with the
public scope (all offices, aggregates only) over the last 12 months (365 days up to today, WITA).
Small numbers: a count under 5 is shown as "< 5", and a percentage or median whose base is under
5 is not shown ("–"), so no figure describes fewer than five cases.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

SMALL_CELL = 5


def masked(count):
    return "< 5" if count < SMALL_CELL else count

WINDOW_DAYS = 365


def _filters(today, **extra):
    from kupang_portal.dashboards.filters import Filters

    return Filters(start=today - dt.timedelta(days=WINDOW_DAYS - 1), end=today, preset="kustom", group="month", **extra)


def _guarded(value, base):
    """A ratio or median only when its base has at least five cases."""
    return value if value is not None and base is not None and base >= SMALL_CELL else None


def _pct(value, base):
    """A 0..1 ratio as a percentage with one decimal, or None (see ``_guarded``)."""
    value = _guarded(value, base)
    return None if value is None else (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _application_part(figures):
    return {
        "received": masked(figures["received"]),
        "completed": masked(figures["completed"]),
        "on_time_pct": _pct(figures["on_time_pct"], figures["completed"]),
        "median_days": _guarded(figures["median_days"], figures["completed"]),
    }


def _complaint_part(figures):
    return {
        "received": masked(figures["received"]),
        "closed": masked(figures["completed"]),
        "verified_pct": _pct(figures["verified_pct"], figures["verified"]),
        "responded_pct": _pct(figures["responded_pct"], figures["responded"]),
    }


def figures(today=None):
    """{"window": (start, end), "data_as_of", "applications", "complaints", "offices": {office_id: {...}},
    "subjects": [...], "trend": [...]} over the last 12 months."""
    from kupang_portal.dashboards import selectors as dash
    from kupang_portal.dashboards.models import CaseType

    today = today or timezone.localdate()
    scope = dash.public_scope()
    both = _filters(today)
    totals = dash.period_figures(scope, both)
    apps = _filters(today, case_type=CaseType.APPLICATION.value)
    complaints = _filters(today, case_type=CaseType.COMPLAINT.value)
    offices = {}
    for row in dash.breakdown(scope, apps, "opd"):
        offices.setdefault(row["key"], {})["applications"] = _application_part(row)
    for row in dash.breakdown(scope, complaints, "opd"):
        offices.setdefault(row["key"], {})["complaints"] = _complaint_part(row)
    subjects = []
    for row in dash.breakdown(scope, both, "layanan"):
        part = _application_part(row) if row["case_type"] == CaseType.APPLICATION.value else _complaint_part(row)
        subjects.append({"label": row["label"], "key": row["key"], "case_type": row["case_type"], **part})
    trend = [{"period": row["period"], "received": masked(row["received"]), "completed": masked(row["completed"]),
              # chart values: a point under 5 is left out (the table says "< 5")
              "received_value": row["received"] if row["received"] >= SMALL_CELL else None,
              "completed_value": row["completed"] if row["completed"] >= SMALL_CELL else None}
             for row in dash.trend(scope, both)]
    return {
        "window": (both.start, both.end),
        "data_as_of": dash.data_as_of(),
        "applications": _application_part(totals.get(CaseType.APPLICATION.value) or totals["total"]),
        "complaints": _complaint_part(totals.get(CaseType.COMPLAINT.value) or totals["total"]),
        "offices": offices,
        "subjects": subjects,
        "trend": trend,
    }
