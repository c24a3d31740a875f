"""Browser journey: resident applies, clerk asks a revision, resident corrects, clerk completes."""

import io
import os
import re

import pytest
from PIL import Image

from kupang_portal.accounts.roles import Role
from tests import factories

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _files(tmp_path):
    pdf = tmp_path / "kk.pdf"
    pdf.write_bytes(PDF)
    png = tmp_path / "kk-jelas.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format="PNG")
    png.write_bytes(buffer.getvalue())
    issued = tmp_path / "ktp-el.pdf"
    issued.write_bytes(PDF)
    return pdf, png, issued


def _clerk_action(clerk_page, action, note=None, upload=None):
    clerk_page.click(f"[data-testid=action-{action}]")
    if note is not None:
        clerk_page.fill("textarea[name=note]", note)
    if upload is not None:
        clerk_page.set_input_files("input[name=issued_document]", str(upload))
    clerk_page.click("[data-testid=confirm-transition]")
    clerk_page.wait_for_selector("[data-testid=case-panel]")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_application_journey(page, login, browser, live_server, tmp_path):
    pdf, png, issued = _files(tmp_path)
    factories.resident(username="maria", first_name="Maria", last_name="Ndolu")
    factories.staff(Role.CLERK, "DISDUKCAPIL", username="petugas.e2e")

    # --- resident applies ----------------------------------------------------------------------
    login("maria", factories.PASSWORD)
    page.goto("/layanan/")
    page.fill("#q", "KTP")
    page.click("[data-testid=catalogue-search-button]")
    page.click("[data-testid=service-ktp-el-baru]")
    page.click("[data-testid=apply-button]")
    page.fill("[data-testid=field-nik]", "5371014512920004")
    page.fill("[data-testid=field-phone]", "0812-3456-7890")
    page.set_input_files("[data-testid=upload-1]", str(pdf))
    page.click("[data-testid=submit-application]")
    page.wait_for_url(re.compile(r"/layanan/permohonan/KTP-\d{4}-\d{6}/\?diajukan=1$"))
    number = page.inner_text("[data-testid=application-number]").strip()
    assert re.fullmatch(r"KTP-\d{4}-\d{6}", number)
    assert number in page.inner_text("[data-testid=submitted-notice]")
    assert "Diajukan" in page.inner_text("[data-testid=application-status]")

    # --- clerk asks for a revision ---------------------------------------------------------------
    clerk_context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    clerk_context.set_default_timeout(15_000)
    clerk = clerk_context.new_page()
    clerk.goto("/admin/layanan/application/")
    clerk.fill("input[name=username]", "petugas.e2e")
    clerk.fill("input[name=password]", factories.PASSWORD)
    clerk.click("input[type=submit]")
    clerk.click(f"text={number}")
    _clerk_action(clerk, "request_revision", note="Pindaian KK buram, mohon unggah ulang.")
    assert "Perlu perbaikan" in clerk.inner_text("[data-testid=case-status]")

    # --- resident sees the reason and uploads a correction -------------------------------------
    page.goto(f"/layanan/permohonan/{number}/")
    assert "Pindaian KK buram" in page.inner_text("[data-testid=revision-reason]")
    page.set_input_files("[data-testid=revision-form] [data-testid=upload-1]", str(png))
    page.fill("[data-testid=revision-note]", "Sudah saya pindai ulang.")
    page.click("[data-testid=submit-revision]")
    page.wait_for_selector("text=Perbaikan terkirim")
    assert "Diajukan" in page.inner_text("[data-testid=application-status]")

    # --- clerk verifies, processes, completes with the issued document ---------------------------
    clerk.reload()
    # Only actions that fit (issue 11 point 7): a single-office service offers "verify & process",
    # never "next office"; "complete" only once processing runs.
    assert clerk.locator("[data-testid=action-verify_and_process]").count() == 1
    assert clerk.locator("[data-testid=action-finish_step]").count() == 0
    _clerk_action(clerk, "verify")
    _clerk_action(clerk, "process")
    assert clerk.locator("[data-testid=action-finish_step]").count() == 0
    assert clerk.locator("[data-testid=action-complete]").count() == 1
    _clerk_action(clerk, "complete", upload=issued)
    assert "Selesai" in clerk.inner_text("[data-testid=case-status]")
    clerk_context.close()

    # --- resident downloads the document and sees the timeline ---------------------------------
    page.goto(f"/layanan/permohonan/{number}/")
    assert "Selesai" in page.inner_text("[data-testid=application-status]")
    timeline = page.inner_text("[data-testid=timeline]")
    # Past-tense sentences, "Anda" for the resident's own steps, the office named (issue 11 point 12).
    for sentence in ("Anda mengajukan permohonan ke Dinas Kependudukan", "meminta perbaikan berkas",
                     "Anda mengirim perbaikan berkas", "Berkas diverifikasi oleh Dinas Kependudukan",
                     "Permohonan selesai; hasil layanan diterbitkan oleh Dinas Kependudukan"):
        assert sentence in timeline
    assert "Dukcapil" in timeline
    with page.expect_download() as info:
        page.click("[data-testid=download-issued]")
    downloaded = info.value.path()
    with open(downloaded, "rb") as handle:
        assert handle.read().startswith(b"%PDF")
    os.makedirs("test-artifacts", exist_ok=True)
    page.screenshot(path="test-artifacts/layanan_application_360.png", full_page=True)
