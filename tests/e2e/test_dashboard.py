"""Browser (360 px): the head of Dukcapil opens an exception list and downloads a CSV export."""

import datetime as dt

import pytest
from django.utils import timezone

from kupang_portal.accounts.roles import Role
from kupang_portal.dashboards import services
from kupang_portal.workflow import engine
from layanan.models import Service
from tests import factories
from tests.layanan.conftest import make_draft


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_office_head_opens_an_exception_list_and_downloads_a_csv(page, login, live_server):
    resident = factories.resident()
    factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL", username="kadis.e2e")
    Service.objects.filter(code="KTP_EL_BARU").update(completion_days=5)
    overdue = make_draft(resident)
    engine.perform(overdue, "submit", resident, now=timezone.now() - dt.timedelta(days=20))
    overdue.refresh_from_db()
    services.fill_recent(40, "backfill")

    login("kadis.e2e", factories.PASSWORD)
    page.goto("/dasbor/")
    assert page.locator("[data-testid=data-as-of]").inner_text().startswith("Rekap data per")
    link = page.locator("[data-testid=exception-lewat_tenggat-layanan]")
    assert link.inner_text().startswith("1")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-artifacts/dashboard-home-360.png", full_page=True)
    link.click()
    page.wait_for_load_state("networkidle")
    assert "pengecualian=lewat_tenggat" in page.url
    assert overdue.number in page.content()

    page.goto("/dasbor/kinerja/")
    assert page.locator("canvas[role=img]").count() == 3
    page.screenshot(path="test-artifacts/dashboard-performance-360.png", full_page=True)
    page.click("[data-testid=export-cases-csv]")
    page.wait_for_selector("[data-testid=export-download]")
    with page.expect_download() as info:
        page.click("[data-testid=export-download]")
    with open(info.value.path(), encoding="utf-8-sig") as downloaded:
        content = downloaded.read()
    assert content.startswith("nomor,jenis_kasus") and overdue.number in content
    assert resident.last_name not in content
