"""/transparansi/: public, aggregates only, small cells masked, open data with stable columns."""

import csv
import io
import json

import pytest
from django.core.cache import cache

from kupang_portal.accounts.roles import Role
from kupang_portal.transparency import selectors as transparency
from layanan.models import Service
from tests import factories

from .conftest import PERIOD, answered, at, completed_application

pytestmark = pytest.mark.django_db

RTL = {"unsur": "U9", "action": "Buka kanal pengaduan di loket", "responsible": "Sekretaris Dinas",
       "target_date": "2026-12-31", "status": "selesai", "evidence": "SK tim"}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(client, fixture_answers, head, resident):
    """DISDUKCAPIL (5 respondents of 12) with one finished RTL, DPMPTSP (3 of 3) published."""
    client.force_login(head)
    client.post("/survei/hasil/DISDUKCAPIL/2026-S1/rtl/", RTL)
    client.post("/survei/hasil/DISDUKCAPIL/2026-S1/terbitkan/", {"published_on": "2026-07-10"})
    service = Service.objects.filter(office__code="DPMPTSP", steps__isnull=True).order_by("pk").first()
    for day in (3, 4, 5):
        answered(completed_application(resident, service, at(day)), [4, 4, 4, 4, 3, 3, 3, 3, 3], at(day + 1))
    client.force_login(factories.staff(Role.OFFICE_HEAD, "DPMPTSP", username="kadis.dpmptsp.test"))
    client.post("/survei/hasil/DPMPTSP/2026-S1/terbitkan/", {"published_on": "2026-07-12"})
    client.logout()


def test_page_shows_published_skm_with_rtl_and_masks_small_cells(client, published):
    response = client.get("/transparansi/")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    text = response.content.decode()
    assert "76,99" in text and "Semester I 2026" in text and "Buka kanal pengaduan di loket" in text
    assert "belum memenuhi jumlah sampel minimum" in text
    # DPMPTSP: (4*4 + 3*5)/9 = 3,4444 x 25 = 86,11; 3 respondents shown as "< 5".
    assert "86,11" in text and "&lt; 5" in text
    assert "Data per" in text and 'role="img"' in text and "chart-trend" in text
    # city-wide headline: mean of 76,99 and 86,11 = 81,55; RTL 1 of 1 done.
    assert "81,55" in text and "100,0%" in text
    assert all(str(term) in text for term, _definition in transparency.DEFINITIONS)


def test_open_data_csv_and_json_have_the_stable_columns(client, published):
    rows = list(csv.DictReader(io.StringIO(client.get("/transparansi/data.csv").content.decode())))
    assert list(rows[0]) == transparency.COLUMN_NAMES
    office_rows = {row["opd_kode"]: row for row in rows if not row["layanan_slug"]}
    dukcapil, dpmptsp = office_rows["DISDUKCAPIL"], office_rows["DPMPTSP"]
    assert (dukcapil["skm_nilai"], dukcapil["skm_mutu"], dukcapil["skm_responden"], dukcapil["skm_populasi"]) == ("76.99", "B", "5", "12")
    assert dukcapil["skm_memenuhi_sampel"] == "tidak" and dukcapil["rtl_selesai"] == "1" and dukcapil["skm_periode"] == "2026-S1"
    assert (dpmptsp["skm_nilai"], dpmptsp["skm_responden"], dpmptsp["skm_memenuhi_sampel"]) == ("86.11", "< 5", "ya")
    payload = json.loads(client.get("/transparansi/data.json").content)
    assert [c["nama"] for c in payload["kolom"]] == transparency.COLUMN_NAMES
    assert {row["opd_kode"] for row in payload["baris"] if row["skm_nilai"]} == {"DISDUKCAPIL", "DPMPTSP"}
    columns = client.get("/transparansi/kolom/").content.decode()
    assert all(name in columns for name in transparency.COLUMN_NAMES)


def test_drafts_never_reach_the_public_page(client, fixture_answers):
    text = client.get("/transparansi/").content.decode()
    assert "76,99" not in text
    rows = list(csv.DictReader(io.StringIO(client.get("/transparansi/data.csv").content.decode())))
    assert rows and not any(row["skm_nilai"] or row["skm_responden"] for row in rows)


def test_publishing_refreshes_the_cached_figures(client, fixture_answers, head, django_capture_on_commit_callbacks):
    assert "76,99" not in client.get("/transparansi/").content.decode()
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/survei/hasil/DISDUKCAPIL/2026-S1/terbitkan/", {"published_on": "2026-07-10"})
    client.logout()
    assert "76,99" in client.get("/transparansi/").content.decode()


def test_masking_rule():
    assert [transparency.masked(n) for n in (0, 4, 5, 12)] == ["< 5", "< 5", 5, 12]
    assert PERIOD.key == "2026-S1"
