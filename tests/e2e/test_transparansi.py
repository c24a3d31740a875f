"""Phone-sized Chromium opens /transparansi/ (no login), sees the chart and its table, downloads the SKM PDF."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from kupang_portal.accounts.roles import Role
from layanan.models import Service
from layanan.skm import services
from tests import factories
from tests.skm.conftest import ANSWERS, PERIOD, answered, at, completed_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _publish_dukcapil_report(head_username):
    """Dukcapil's SKM report of PERIOD (the conftest's five answers) with one follow-up action,
    published by its office head."""
    resident = factories.resident(first_name="Maria", last_name="Ndolu")
    head = factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL", username=head_username)
    service = Service.objects.filter(office__code="DISDUKCAPIL").order_by("pk").first()
    for day, answers in enumerate(ANSWERS, start=2):
        answered(completed_application(resident, service, at(day)), answers, at(day + 1))
    services.save_follow_up(service.office, PERIOD, head, {
        "unsur": "U9", "action": "Buka kanal pengaduan di loket", "responsible": "Sekretaris Dinas",
        "target_date": timezone.localdate(), "status": "berjalan", "evidence": ""})
    services.publish(service.office, PERIOD, head, timezone.localdate())
    cache.clear()


def test_public_transparency_page_and_skm_pdf(page, tmp_path):
    _publish_dukcapil_report("kadis.e2e")

    page.goto("/transparansi/")
    assert page.get_by_role("heading", name="Transparansi pelayanan publik Kota Kupang").is_visible()
    table = page.locator("[data-testid=skm-table]")
    assert "76,99" in table.inner_text() and "Dukcapil" in table.inner_text()
    chart = page.locator("canvas[data-chart=chart-by-office]")
    assert chart.get_attribute("role") == "img"
    page.wait_for_function("!!window.Chart && !!window.Chart.getChart(document.querySelector('canvas[data-chart=chart-by-office]'))")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "Buka kanal pengaduan di loket" in page.locator("[data-testid=office-DISDUKCAPIL]").inner_text()
    page.screenshot(path="test-artifacts/transparansi-360.png", full_page=True)

    with page.expect_download() as info:
        page.click("[data-testid=skm-pdf-DISDUKCAPIL]")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    assert download.suggested_filename == "skm-DISDUKCAPIL-2026-S1.pdf"
    assert target.read_bytes().startswith(b"%PDF")


def test_transparency_tables_can_be_scrolled_by_keyboard_at_360_px(browser, live_server):
    """At 360 px the wide tables scroll sideways; a keyboard user must reach them (axe
    scrollable-region-focusable, serious)."""
    from .axe import new_phone_context, violations

    _publish_dukcapil_report("kadis.axe")
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    found = {}
    # The published SKM report and the results list scroll sideways too (their tables had no tabindex).
    for url in ("/transparansi/", "/survei/hasil/", f"/survei/hasil/DISDUKCAPIL/{PERIOD.key}/"):
        page.goto(url)
        if problems := violations(page):
            found[url] = problems
    context.close()
    assert not found, found
