"""/transparansi/ application and complaint figures, read from the dashboards' rollups.

The hand-counted November 2026 of tests/dashboards/conftest.py plus two applications (A7, A8)
submitted Mon 23 Nov 09:00 and completed Tue 24 Nov 10:00 (1 working day each, on time):
- applications received 8 (A1..A8); completed 5 (A1, A2, A6, A7, A8), on time 4 (A6 late) -> 80,0 %;
  working days [1, 1, 1, 4, 7] -> median 1;
- complaints received 5, closed 2 -> "< 5"; verified 3 and responded 2 -> percentages not shown.
"""

import csv
import datetime as dt
import io

import pytest

from kupang_portal.dashboards import services as dashboards
from kupang_portal.transparency import rollups
from kupang_portal.transparency import selectors as transparency
from kupang_portal.workflow import engine
from tests.dashboards.conftest import _app, _fresh_figures, november, wita  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def filled(november, monkeypatch):  # noqa: F811
    for _ in range(2):
        app = _app(november.resident, november.clerk, wita(2026, 11, 23, 9, 0))
        engine.perform(app, "verify", november.clerk, now=wita(2026, 11, 23, 10, 0))
        engine.perform(app, "process", november.clerk, now=wita(2026, 11, 23, 11, 0))
        engine.perform(app, "complete", november.clerk, now=wita(2026, 11, 24, 10, 0))
    dashboards.fill_range(dt.date(2026, 11, 1), TODAY)
    monkeypatch.setattr(rollups.timezone, "localdate", lambda: TODAY)
    transparency.invalidate()
    yield november
    transparency.invalidate()


def test_case_figures_by_hand(filled):
    data = rollups.figures(today=TODAY)
    assert data["window"] == (dt.date(2025, 12, 1), TODAY)
    apps, complaints = data["applications"], data["complaints"]
    assert (apps["received"], apps["completed"], str(apps["on_time_pct"]), apps["median_days"]) == (8, 5, "80.0", 1)
    assert (complaints["received"], complaints["closed"]) == (5, "< 5")
    assert complaints["verified_pct"] is None and complaints["responded_pct"] is None


def test_page_and_open_data_show_the_case_figures(client, filled):
    text = client.get("/transparansi/").content.decode()
    assert "8 / 5" in text and "80,0%" in text and "5 / &lt; 5" in text and "chart-cases" in text
    rows = list(csv.DictReader(io.StringIO(client.get("/transparansi/data.csv").content.decode())))
    office = next(row for row in rows if row["opd_kode"] == "DISDUKCAPIL" and not row["layanan_slug"])
    assert (office["permohonan_diterima"], office["permohonan_selesai"], office["permohonan_tepat_waktu_persen"]) == ("8", "5", "80.0")
    assert office["rekap_dari"] == "2025-12-01" and office["rekap_sampai"] == "2026-11-30"
    category = next(row for row in rows if row["kategori_pengaduan"])
    assert category["pengaduan_selesai"] in ("< 5", "") and not category["opd_kode"]
