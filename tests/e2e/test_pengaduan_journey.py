"""Browser journey: an anonymous complaint filed on a phone, routed by the real Celery worker,
disposed by the desk and answered by the office in the admin, then read and rated by the
reporter through /lacak/ with number + secret code. Screenshots (360 px) go to test-artifacts/.

Covers the journeys issue at 360 px: the location button and landmark (14), redirect-after-POST
with the receipt kept for this browser, "Salin" and the PDF (2), the desk sent back to its queue
naming the office (6), the one POST code form with a clear wrong-code answer and the detail
unlocked directly (3)."""

import os

import pytest
from django.utils import timezone

from kupang_portal.accounts.roles import Role
from pengaduan.models import Complaint, Status
from tests import factories
from tests.integration.conftest import celery_worker_process, require_services, wait_for  # noqa: F401  (fixtures)

ARTIFACTS = "test-artifacts"


def shot(page, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, name), full_page=True)


@pytest.mark.e2e
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_anonymous_complaint_journey(celery_worker_process, page, live_server, login):  # noqa: F811
    verifier = factories.staff(Role.VERIFIER, "BAG_ORGANISASI", username="e2e.verifikator")
    clerk = factories.staff(Role.CLERK, "DLHK", username="e2e.dlhk")

    # 1. The resident files an anonymous complaint on the phone (no account).
    page.goto("/pengaduan/baru/")
    page.check("input[name=privacy][value=anonim]")
    page.select_option("select[name=category]", label="Kebersihan dan sampah")
    page.fill("input[name=title]", "Sampah menumpuk di depan pasar")
    page.fill("textarea[name=description]", "Sampah belum diangkut tiga hari <b>dan berbau</b>.")
    page.select_option("select[name=kelurahan]", index=3)
    page.fill("input[name=address]", "Jl. Alor")
    page.fill("input[name=landmark]", "Depan Pasar Oeba")
    assert page.locator("input[name=latitude]").get_attribute("type") == "hidden"  # no Lintang/Bujur to type
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -10.16, "longitude": 123.61})
    page.click("[data-testid=use-location]")
    page.wait_for_function("document.querySelector('#id_latitude').value !== ''")
    assert "Lokasi tersimpan" in page.inner_text("[data-testid=location-status]")
    page.fill("input[name=incident_date]", timezone.localdate().isoformat())
    shot(page, "pengaduan-form-360.png")
    page.click("[data-testid=submit-complaint]")
    page.wait_for_url("**/pengaduan/terkirim/ADU-*/")
    number = page.inner_text("[data-testid=complaint-number]").strip()
    code = page.inner_text("[data-testid=tracking-code]").strip()
    assert number.startswith("ADU-") and len(code) == 11
    assert code not in page.url
    # A refresh shows the same receipt and files nothing new.
    page.reload()
    assert page.inner_text("[data-testid=tracking-code]").strip() == code
    assert Complaint.objects.filter(title="Sampah menumpuk di depan pasar").count() == 1
    page.click("[data-testid=copy-code]")
    page.wait_for_function("document.querySelector('#copy-status').textContent.includes('Tersalin')")
    with page.expect_download() as download:
        page.click("[data-testid=receipt-pdf]")
    with open(download.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    shot(page, "pengaduan-receipt-360.png")

    # 2. The real worker routes it: the office proposal appears.
    wait_for(lambda: Complaint.objects.filter(number=number, proposed_office__code="DLHK").exists(), timeout=60,
             message="the routing task to propose DLHK")
    complaint = Complaint.objects.get(number=number)
    assert complaint.reporter_id is None

    # 3. The desk verifies and disposes it in the admin (office prefilled with the proposal).
    login(verifier.username, factories.PASSWORD)
    page.goto(f"/admin/pengaduan/complaint/{complaint.pk}/change/")
    assert page.inner_text("[data-testid=proposed-office]").strip() == "DLHK"
    page.click("[data-testid=action-dispose]")
    assert page.locator("select[name=office] option:checked").inner_text().strip() == "DLHK"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360  # the transition form fits a phone
    page.click("[data-testid=confirm-transition]")
    wait_for(lambda: Complaint.objects.get(pk=complaint.pk).status == Status.DISPOSED, timeout=15, message="disposition")
    # Out of the desk's scope: back to the queue, one message naming the office.
    page.wait_for_url("**/admin/pengaduan/complaint/")
    notice = page.inner_text("ul.messagelist")
    assert "Dinas Lingkungan Hidup" in notice and number in notice and "dihapus" not in page.content()
    shot(page, "pengaduan-desk-queue-360.png")

    # 4. The DLHK clerk responds with a template, edited.
    page.context.clear_cookies()
    login(clerk.username, factories.PASSWORD)
    page.goto(f"/admin/pengaduan/complaint/{complaint.pk}/change/")
    page.click("[data-testid=action-respond]")
    page.wait_for_url("**/tindakan/respond/**")
    page.wait_for_load_state()
    assert page.locator("textarea").count() == 1  # one public text box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    page.select_option("select[name=template]", label="Kebersihan dan sampah: Sampah sudah diangkut")
    assert "armada DLHK" in page.input_value("textarea[name=text]")  # filled by static/js/pengaduan_admin.js
    page.fill("textarea[name=text]", "Sampah sudah diangkut armada DLHK pagi ini.")
    page.click("[data-testid=confirm-transition]")
    wait_for(lambda: Complaint.objects.get(pk=complaint.pk).status == Status.RESPONDED, timeout=15, message="response")

    # 5. The reporter tracks it with number + code (one POST form) and rates the response.
    page.context.clear_cookies()
    page.goto("/lacak/")
    page.fill("input[name=nomor]", number)
    page.fill("input[name=kode]", "AAAAA-BBBBB")
    page.click("[data-testid=track-submit]")
    assert "Kode rahasia tidak cocok" in page.inner_text("[data-testid=code-error]")
    page.fill("input[name=nomor]", number)
    page.fill("input[name=kode]", code)
    page.click("[data-testid=track-submit]")
    page.wait_for_url(f"**/pengaduan/lacak/{number}/")  # unlocked directly, no second prompt
    assert code not in page.url
    detail = page.inner_text("main")
    assert "Sampah sudah diangkut armada DLHK pagi ini." in detail
    assert verifier.username not in detail and clerk.username not in detail
    assert page.locator("input[name=code]").count() == 0
    shot(page, "pengaduan-lacak-360.png")
    page.check("input[name=rating][value='5']")
    page.fill("textarea[name=comment]", "Cepat, terima kasih")
    page.click("[data-testid=submit-rating]")
    assert page.inner_text("[data-testid=rating-value]").strip() == "5/5"
    assert Complaint.objects.get(pk=complaint.pk).latest_response.rating == 5
