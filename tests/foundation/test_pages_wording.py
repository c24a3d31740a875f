"""Point 14 of the journeys issue: words and small things residents read."""

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import server_error

from kupang_portal.core.uploads import human_size
from pengaduan.models import Complaint
from tests import factories
from tests.pengaduan.conftest import category, file_complaint, kelurahan

pytestmark = pytest.mark.django_db


def test_rating_has_a_legend(client, settings):
    reporter = factories.resident()
    from kupang_portal.accounts.roles import Role
    from pengaduan import services

    complaint = file_complaint(reporter).complaint
    services.dispose(complaint, factories.staff(Role.VERIFIER, "BAG_ORGANISASI"))
    services.respond(complaint, factories.staff(Role.CLERK, "DLHK"), "Sudah diangkut.")
    client.force_login(reporter)
    body = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    assert "1 = sangat tidak puas" in body and "5 = sangat puas" in body


def test_location_button_and_landmark_replace_latitude_longitude(client):
    body = client.get("/pengaduan/baru/").content.decode()
    assert "Gunakan lokasi saya" in body and 'name="landmark"' in body
    assert 'type="hidden" name="latitude"' in body and 'type="hidden" name="longitude"' in body
    assert "Lintang" not in body and "Bujur" not in body
    client.post("/pengaduan/baru/", {
        "kind": "pengaduan", "privacy": "anonim", "category": category("sampah").pk, "title": "Sampah", "description": "Sampah menumpuk.",
        "kelurahan": kelurahan().pk, "landmark": "Depan SD Inpres Oeba", "latitude": "-10.16", "longitude": "123.61",
        "incident_date": timezone.localdate().isoformat(),
    })
    complaint = Complaint.objects.get()
    assert complaint.landmark == "Depan SD Inpres Oeba" and complaint.latitude is not None


def test_indonesian_404_page(client):
    response = client.get("/tidak-ada-di-sini/")
    body = response.content.decode()
    assert response.status_code == 404 and "Halaman tidak ditemukan" in body and 'lang="id"' in body
    assert "Not Found" not in body


def test_indonesian_500_page():
    request = RequestFactory().get("/")
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "Maaf, terjadi gangguan pada server" in body and "Server Error" not in body


def test_sizes_say_byte():
    assert human_size(500).replace("\xa0", " ") == "500 byte"
    assert "bita" not in human_size(1)


def test_language_menu_names_english_in_english(client):
    body = client.get("/").content.decode()
    assert ">English</option>" in body and "Inggris" not in body and ">Bahasa Indonesia</option>" in body


def test_required_fields_are_marked(client):
    body = client.get("/pengaduan/baru/").content.decode()
    assert "Isian bertanda * wajib diisi." in body
    for label in ("Kategori", "Judul laporan", "Uraian", "Kelurahan", "Tanggal kejadian"):
        assert f'{label}<span class="asteriskField">*</span>' in body, label
    track = client.get("/lacak/").content.decode()
    assert 'required aria-required="true"' in track
