import pytest

from kupang_portal.core import tracking
from kupang_portal.workflow import engine

from .conftest import NIK, exe_as_pdf, make_draft, make_submitted, pdf_file, service

pytestmark = pytest.mark.django_db


def test_tracking_shows_status_without_personal_data(client, resident, clerk):
    app = make_submitted(resident)
    engine.perform(app, "request_revision", clerk, note="Nama ibu kandung Maria salah ketik")
    result = tracking.find(app.number)
    assert result.title == app.service.name and result.status == "Perlu perbaikan"
    assert result.deadline is None
    body = client.get(f"/lacak/{app.number}/").content.decode()
    assert app.number in body and "Perlu perbaikan" in body
    for secret in (NIK, resident.first_name, "Nama ibu kandung", "+6281234567890", resident.email):
        assert secret not in body
    assert tracking.find(app.number.lower()) is not None


def test_tracking_unknown_and_draft(client, resident):
    make_draft(resident)
    assert tracking.find("KTP-2026-999999") is None
    body = client.get("/lacak/KTP-2026-999999/").content.decode()
    assert 'data-testid="track-not-found"' in body


def test_receipt_is_a_pdf_with_the_number(client, resident):
    app = make_submitted(resident)
    client.force_login(resident)
    response = client.get(f"/layanan/permohonan/{app.number}/bukti.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and app.number.encode() in response.content
    assert NIK.encode() not in response.content  # masked on the receipt


def test_detail_page_shows_timeline_and_revision_form(client, resident, clerk):
    app = make_submitted(resident)
    engine.perform(app, "request_revision", clerk, note="Foto KK buram")
    client.force_login(resident)
    body = client.get(f"/layanan/permohonan/{app.number}/").content.decode()
    assert "Foto KK buram" in body and 'data-testid="revision-form"' in body and "Dukcapil" in body



def test_the_revision_address_opened_again_leads_to_the_application(client, resident, clerk, other_resident):
    """A revision with a bad file is answered on /perbaikan/ (the POST's address): the footer's
    language switch returns there with a GET, and so do a reload from the history or a bookmark.
    That was a blank 405; it now leads to the application page (the owner's only)."""
    app = make_submitted(resident)
    engine.perform(app, "request_revision", clerk, note="Foto KK buram")
    client.force_login(resident)
    url = f"/layanan/permohonan/{app.number}/perbaikan/"
    field = service("KTP_EL_BARU").requirements.get(is_required=True).field_name
    failed = client.post(url, {"note": "x", field: exe_as_pdf()})
    assert failed.status_code == 200 and 'data-testid="revision-form"' in failed.content.decode()
    switched = client.get("/bahasa/", {"language": "en", "next": url}, HTTP_SEC_FETCH_SITE="same-origin", follow=True)
    assert switched.status_code == 200 and switched.redirect_chain[-1][0] == app.get_absolute_url()
    assert "Foto KK buram" in switched.content.decode() and 'lang="en"' in switched.content.decode()
    client.force_login(other_resident)
    assert client.get(url).status_code == 404


def test_a_revision_with_a_bad_file_says_the_good_ones_must_be_chosen_again(client, resident, clerk):
    """A revision is sent whole or not at all: when one file is refused, a good file chosen with it
    is not saved either and the browser empties its input. Its field says so, instead of showing
    the old (blurry) file as "already uploaded" as if the new one had been taken."""
    app = make_submitted(resident)
    engine.perform(app, "request_revision", clerk, note="Foto KK buram")
    client.force_login(resident)
    required = service("KTP_EL_BARU").requirements.get(is_required=True)
    optional = service("KTP_EL_BARU").requirements.filter(is_required=False).first()
    response = client.post(f"/layanan/permohonan/{app.number}/perbaikan/", {
        "note": "Sudah dipindai ulang", required.field_name: pdf_file("kk-jelas.pdf"), optional.field_name: exe_as_pdf()})
    body = response.content.decode()
    assert response.status_code == 200 and "Sudah dipindai ulang" in body
    assert "kk-jelas.pdf" in body and "Pilih berkas ini lagi" in body
    app.refresh_from_db()
    assert app.status == "needs_revision"

def test_tracking_offers_the_detail_link_only_to_the_owner(client, resident, other_resident):
    app = make_submitted(resident)
    anonymous_view = client.get("/lacak/", {"nomor": app.number}).content.decode()
    assert app.number in anonymous_view and 'data-testid="track-detail-link"' not in anonymous_view
    client.force_login(other_resident)
    assert 'data-testid="track-detail-link"' not in client.get(f"/lacak/{app.number}/").content.decode()
    client.force_login(resident)
    assert 'data-testid="track-detail-link"' in client.get(f"/lacak/{app.number}/").content.decode()
