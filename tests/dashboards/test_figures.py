"""Every figure of the period, against the hand-counted month in conftest.py (1-30 November 2026)."""

import datetime as dt

import pytest

from kupang_portal.dashboards import selectors, services
from kupang_portal.dashboards.filters import Filters
from kupang_portal.dashboards.models import DailyRollup

from .conftest import wita

pytestmark = pytest.mark.django_db
NOV = Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), preset="kustom")


@pytest.fixture
def filled(november):
    services.fill_range(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    return november


def pimpinan(m):
    return selectors.scope_for(m.supervisor)


def test_application_figures_by_hand(filled):
    f = selectors.period_figures(pimpinan(filled), NOV, use_cache=False)["layanan"]
    # received A1..A6; completed A1 (4 days: 7 minus a 3-day pause), A2 (1 day), A6 (7 days, late)
    assert (f["received"], f["completed"], f["completed_on_time"], f["rejected"], f["withdrawn"]) == (6, 3, 2, 1, 1)
    assert f["on_time_pct"] == pytest.approx(2 / 3)
    # sorted [1, 4, 7]: median = 2nd value, p90 = 3rd (nearest rank ceil(0.9 x 3) = 3)
    assert (f["median_days"], f["p90_days"]) == (4, 7)
    # A5 open at the end of the month, submitted Mon 2: 19 working days (Tue 10 is a holiday) -> 11-20
    assert f["backlog"] == {"total": 1, "buckets": [0, 0, 1, 0]}


def test_complaint_figures_by_hand(filled):
    f = selectors.period_figures(pimpinan(filled), NOV, use_cache=False)["pengaduan"]
    assert (f["received"], f["completed"], f["rejected"]) == (5, 2, 1)
    # C1's last response came 6 working days after disposition (late), C2's after 1 (on time)
    assert (f["completed_on_time"], f["on_time_pct"]) == (1, 0.5)
    # submission -> last response: C1 8 working days, C2 4 -> [4, 8]
    assert (f["median_days"], f["p90_days"]) == (4, 8)
    assert f["reopen_rate"] == 0.5 and f["avg_rating"] == 4
    # dispositions: C1 (2 days), C2 (3 days thanks to the holiday), C5 (4 days)
    assert (f["verified"], f["verified_on_time"]) == (3, 2)
    # last responses in the month: C1 Fri 13 (late), C2 Thu 12 (on time)
    assert (f["responded"], f["responded_on_time"], f["responded_pct"]) == (2, 1, 0.5)
    # open on 30 Nov: C4 (19 working days) and C5 (9 working days)
    assert f["backlog"] == {"total": 2, "buckets": [0, 1, 1, 0]}


def test_totals_and_percentiles_over_both_types(filled):
    total = selectors.period_figures(pimpinan(filled), NOV, use_cache=False)["total"]
    assert (total["received"], total["completed"], total["completed_on_time"]) == (11, 5, 3)
    # [1, 4, 4, 7, 8]: median 3rd = 4, p90 5th = 8
    assert (total["median_days"], total["p90_days"]) == (4, 8)
    assert total["backlog"]["total"] == 3


def test_a_case_crossing_midnight_wita_counts_on_its_wita_date(filled):
    scope = pimpinan(filled)
    thursday = Filters(start=dt.date(2026, 11, 5), end=dt.date(2026, 11, 5), preset="kustom", case_type="layanan")
    wednesday = Filters(start=dt.date(2026, 11, 4), end=dt.date(2026, 11, 4), preset="kustom", case_type="layanan")
    assert selectors.period_figures(scope, thursday, use_cache=False)["layanan"]["received"] == 1  # A2 (00:30 WITA)
    assert selectors.period_figures(scope, wednesday, use_cache=False)["layanan"]["received"] == 0
    friday = Filters(start=dt.date(2026, 11, 6), end=dt.date(2026, 11, 6), preset="kustom", case_type="layanan")
    assert selectors.period_figures(scope, friday, use_cache=False)["layanan"]["completed"] == 1


def test_trend_by_week(filled):
    weeks = {row["period"]: row for row in selectors.trend(pimpinan(filled), NOV)}
    # Week of Mon 2 Nov: A1, A2, A5, C1, C2, C4 received; A2 completed (Fri 6)
    assert weeks[dt.date(2026, 11, 2)]["received"] == 6 and weeks[dt.date(2026, 11, 2)]["completed"] == 1
    # Week of Mon 9: A1 completed (Thu 12); week of 16: C1 closed; week of 23: A6 and C2
    assert weeks[dt.date(2026, 11, 9)]["completed"] == 1
    assert weeks[dt.date(2026, 11, 16)]["completed"] == 1
    assert weeks[dt.date(2026, 11, 23)]["completed"] == 2


def test_breakdowns_by_office_subject_and_kecamatan(filled):
    scope = pimpinan(filled)
    offices = {r["label"]: r for r in selectors.breakdown(scope, NOV, "opd")}
    dukcapil = next(r for name, r in offices.items() if "capil" in name.lower())
    assert (dukcapil["received"], dukcapil["completed"], dukcapil["median_days"]) == (6, 3, 4)
    subjects = {r["key"]: r for r in selectors.breakdown(scope, NOV, "layanan")}
    assert sum(r["received"] for r in subjects.values()) == 11
    by_kecamatan = selectors.breakdown(scope, NOV, "kecamatan")
    assert sum(r["received"] for r in by_kecamatan) == 11


def test_exceptions_are_live_over_open_cases(filled):
    scope = pimpinan(filled)
    now = wita(2026, 11, 30, 12, 0)
    lists = {item["name"]: item["counts"] for item in selectors.exceptions(scope, now=now)["lists"]}
    # A5: deadline Mon 9 (5 working days from Mon 2) passed; C4: desk deadline Thu 5 passed;
    # C5: follow-up deadline Mon 30 end of day -> due, not overdue.
    assert lists["lewat_tenggat"] == {"layanan": 1, "pengaduan": 1}
    assert lists["meja_verifikasi"] == {"pengaduan": 1}
    assert lists["jatuh_tempo"]["pengaduan"] == 1
    # 3x standard: A5 ran 19 working days against 5 (overdue by 14 > 2 x 5); C4 19 against 3.
    assert lists["lewat_3x"] == {"layanan": 1, "pengaduan": 1}
    assert lists["dibuka_kembali"] == {"pengaduan": 0}  # C1 was reopened but is closed now
    # A5 was never taken; C5 was started at DLHK without anyone taking it
    assert lists["belum_ditugaskan"] == {"layanan": 1, "pengaduan": 1}
    oldest = selectors.exceptions(scope, now=now)["oldest"]
    assert [c["number"] for c in oldest] == [filled.apps[4].number, filled.complaints[3].number, filled.complaints[4].number]


def test_staff_view(filled):
    scope = selectors.scope_for(filled.head)
    rows = {r["user_id"]: r for r in selectors.staff_rows(scope, NOV, filled.head)}
    clerk = rows[filled.clerk.pk]
    # A1, A2, A6 completed by the clerk who took them (A3 was rejected without being taken).
    assert (clerk["handled"], clerk["on_time_pct"], clerk["median_days"]) == (3, pytest.approx(2 / 3), 4)
    assert clerk["revisions"] == 1 and clerk["open_load"] == 0
    own = selectors.staff_rows(selectors.scope_for(filled.clerk), NOV, filled.clerk)
    assert [r["user_id"] for r in own] == [filled.clerk.pk]


def test_rollup_rebuild_equals_live_computation(filled):
    """Refilling gives the same rows, and the rollup equals a count straight from the cases."""
    from layanan.models import Application
    from pengaduan.models import Complaint

    def snapshot():
        return sorted(tuple(sorted((k, str(v)) for k, v in row.items() if k != "id"))
                      for row in DailyRollup.objects.values())

    before = snapshot()
    services.fill_range(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert snapshot() == before
    scope = pimpinan(filled)
    figures = selectors.period_figures(scope, NOV, use_cache=False)
    start, end = selectors._day_start(NOV.start), selectors._day_start(NOV.end + dt.timedelta(days=1))
    for model, key in ((Application, "layanan"), (Complaint, "pengaduan")):
        live = model.objects.filter(submitted_at__gte=start, submitted_at__lt=end).count()
        assert figures[key]["received"] == live
    live_completed = Application.objects.filter(status="completed", closed_at__gte=start, closed_at__lt=end)
    assert figures["layanan"]["completed"] == live_completed.count()
    assert figures["layanan"]["completed_on_time"] == live_completed.filter(closed_on_time=True).count()
    assert figures["layanan"]["wd_sum"] == sum(live_completed.values_list("working_days_taken", flat=True))
