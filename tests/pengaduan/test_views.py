import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from pengaduan import services
from pengaduan.models import Complaint, ComplaintPhoto, Status

from .conftest import category, file_complaint, jpeg_with_gps, kelurahan, png_bytes

pytestmark = pytest.mark.django_db

URL = "/pengaduan/baru/"


def form_data(**overrides):
    data = {
        "kind": "pengaduan", "privacy": "anonim", "category": category("sampah").pk, "title": "Sampah menumpuk",
        "description": "Sampah di depan Pasar Oeba belum diangkut tiga hari.", "kelurahan": kelurahan().pk,
        "address": "Depan Pasar Oeba", "latitude": "", "longitude": "", "incident_date": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_form_page_for_anonymous_visitor_offers_only_anonymous(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="anonim"' in body and 'value="terbuka"' not in body
    assert "<script>" not in body.split("</main>")[0].split("<main")[1]  # no inline scripts in the page body


def test_anonymous_submission_shows_number_and_code_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(URL, form_data())
    complaint = Complaint.objects.get()
    # Redirect after POST: a refresh re-posts nothing; the code is not in the URL.
    assert posted.status_code == 302 and posted["Location"] == f"/pengaduan/terkirim/{complaint.number}/"
    response = client.get(posted["Location"])
    assert response.status_code == 200
    body = response.content.decode()
    assert complaint.number in body
    code = body.split('data-testid="tracking-code">')[1].split("<")[0]
    assert complaint.check_tracking_code(code)
    assert complaint.reporter is None and complaint.is_anonymous and code not in complaint.tracking_code_hash
    assert "no-store" in response["Cache-Control"]
    assert complaint.proposed_office.code == "DLHK"  # routed (eager task on commit)


def test_logged_in_user_filing_anonymously_is_not_stored(client, reporter):
    client.force_login(reporter)
    client.post(URL, form_data(privacy="anonim_rahasia"))
    complaint = Complaint.objects.get()
    assert complaint.reporter_id is None and complaint.is_anonymous and complaint.is_confidential
    assert not complaint.history().exclude(actor=None).exists()


def test_named_submission_redirects_to_detail(client, reporter):
    client.force_login(reporter)
    response = client.post(URL, form_data(privacy="terbuka"))
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pengaduan/{complaint.number}/"
    assert complaint.reporter == reporter and not complaint.is_anonymous
    page = client.get(response["Location"])
    assert page.status_code == 200 and complaint.number in page.content.decode()
    assert complaint.number in client.get("/pengaduan/").content.decode()


def test_anonymous_visitor_cannot_claim_a_name(client):
    response = client.post(URL, form_data(privacy="terbuka"))
    assert response.status_code == 200 and not Complaint.objects.exists()


@pytest.mark.parametrize("overrides,message", [
    ({"description": ""}, "Uraian wajib diisi."),
    ({"description": "   "}, "Uraian wajib diisi."),
    ({"description": "x" * 20000}, "Uraian terlalu panjang"),
    ({"title": ""}, "Judul wajib diisi."),
    ({"kelurahan": "999999"}, "Pilih kelurahan di Kota Kupang dari daftar."),
    ({"kelurahan": "abc"}, "Pilih kelurahan di Kota Kupang dari daftar."),
    ({"category": "999999"}, "Pilih kategori dari daftar."),
    ({"latitude": "95", "longitude": "123.6"}, "Lintang harus di antara -90 dan 90."),
    ({"latitude": "-10.17", "longitude": "190"}, "Bujur harus di antara -180 dan 180."),
    ({"latitude": "-6.2", "longitude": "106.8"}, "di luar wilayah Kota Kupang"),
    ({"latitude": "-10.17", "longitude": ""}, "Isi lintang dan bujur sekaligus"),
    ({"latitude": "abc", "longitude": "123.6"}, "Titik lokasi tidak terbaca"),
    ({"incident_date": "2999-01-01"}, "tidak boleh di masa depan"),
    ({"incident_date": "31-31-2026"}, "Tanggal tidak valid."),
    ({"kind": "gosip"}, "Masukkan pilihan yang valid"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, overrides, message):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body or message in str(response.context["form"].errors), response.context["form"].errors
    assert not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()
    # The form keeps what was typed.
    if overrides.get("description") is None:
        assert "Sampah di depan Pasar Oeba" in body


def test_inside_kupang_coordinates_are_kept(client):
    client.post(URL, form_data(latitude="-10.1772", longitude="123.6070"))
    complaint = Complaint.objects.get()
    assert float(complaint.latitude) == pytest.approx(-10.1772) and float(complaint.longitude) == pytest.approx(123.607)


def test_html_and_script_are_shown_escaped(client, reporter):
    client.force_login(reporter)
    client.post(URL, form_data(privacy="terbuka", title="<script>alert('x')</script>", description="<b>tebal</b><img src=x onerror=alert(1)>"))
    complaint = Complaint.objects.get()
    body = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


def test_non_image_photo_refused(client):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(URL, {**form_data(), "photos": [fake]})
    assert "bukan JPEG/PNG" in response.content.decode()
    assert "Unggah foto dalam format yang diizinkan." in response.content.decode()
    assert "pindaian" not in response.content.decode()  # a complaint's photo is no scanned document
    assert not Complaint.objects.exists()


def test_too_many_photos_refused(client):
    photos = [SimpleUploadedFile(f"f{i}.png", png_bytes(), content_type="image/png") for i in range(4)]
    response = client.post(URL, {**form_data(), "photos": photos})
    assert "Paling banyak 3 foto." in response.content.decode()
    assert not Complaint.objects.exists()


def test_photo_exif_gps_is_stripped_and_served_to_owner_only(client, reporter, other_resident):
    client.force_login(reporter)
    upload = SimpleUploadedFile("lokasi.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post(URL, {**form_data(privacy="terbuka"), "photos": [upload, SimpleUploadedFile("b.png", png_bytes(), content_type="image/png")]})
    complaint = Complaint.objects.get()
    photo = complaint.photos.first()
    with photo.file.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        exif = image.getexif()
        assert 0x8825 not in exif and not exif.get_ifd(0x8825) and 0x010F not in exif
    assert complaint.photos.count() == 2
    response = client.get(f"/pengaduan/foto/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(other_resident)
    assert client.get(f"/pengaduan/foto/{photo.pk}/").status_code == 404


def test_flood_limit_per_ip(client, settings):
    settings.PENGADUAN_MAX_ANONYMOUS_PER_IP_PER_HOUR = 2
    for _ in range(2):
        client.cookies.clear()  # other browsers behind the same address
        client.post(URL, form_data())
    client.cookies.clear()
    response = client.post(URL, form_data(title="Yang ketiga"))
    body = response.content.decode()
    assert "Terlalu banyak pengaduan anonim dari jaringan Anda" in body
    assert 'value="Yang ketiga"' in body  # the form is kept
    assert Complaint.objects.count() == 2


def test_flood_limit_per_user(client, reporter, settings):
    settings.PENGADUAN_MAX_PER_USER_PER_DAY = 1
    client.force_login(reporter)
    client.post(URL, form_data(privacy="terbuka"), REMOTE_ADDR="10.0.0.1")
    response = client.post(URL, form_data(privacy="terbuka"), REMOTE_ADDR="10.0.0.2")
    assert "batas harian tercapai" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_detail_is_owner_only(client, reporter, other_resident):
    complaint = file_complaint(reporter).complaint
    url = f"/pengaduan/{complaint.number}/"
    assert client.get(url).status_code == 302  # login first
    client.force_login(other_resident)
    assert client.get(url).status_code == 404
    assert client.get("/pengaduan/ADU-2026-999999/").status_code == 404


def test_reporter_rates_closes_and_reopens_on_the_detail_page(client, reporter, verifier, dlhk_clerk):
    complaint = file_complaint(reporter).complaint
    services.dispose(complaint, verifier)
    services.respond(complaint, dlhk_clerk, "Sudah diangkut <b>hari ini</b>.")
    client.force_login(reporter)
    url = f"/pengaduan/{complaint.number}/"
    body = client.get(url).content.decode()
    assert "Sudah diangkut &lt;b&gt;hari ini&lt;/b&gt;." in body
    client.post(url, {"action": "rate", "rating": "9"})
    assert complaint.responses.get().rating is None
    client.post(url, {"action": "rate", "rating": "4", "comment": "Terima kasih"})
    assert complaint.responses.get().rating == 4
    response = client.post(url, {"action": "reopen", "reason": ""})
    assert "Tuliskan alasan" in response.content.decode()
    client.post(url, {"action": "reopen", "reason": "Masih ada sampah"})
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


def test_named_complaint_has_no_anonymous_page(client, reporter):
    complaint = file_complaint(reporter).complaint
    assert client.get(f"/pengaduan/lacak/{complaint.number}/").status_code == 404


def test_home_and_nav_slots_link_the_form(client):
    body = client.get("/").content.decode()
    assert "/pengaduan/baru/" in body


def test_mine_requires_login(client):
    assert client.get("/pengaduan/").status_code == 302


def test_mine_is_paginated_newest_first_and_own_only(client, reporter, other_resident):
    numbers = [file_complaint(reporter, anonymous=False, route=False).complaint.number for _ in range(23)]
    foreign = file_complaint(other_resident, anonymous=False, route=False).complaint.number
    client.force_login(reporter)
    first = client.get("/pengaduan/").content.decode()
    second = client.get("/pengaduan/?page=2").content.decode()
    shown_first = [n for n in reversed(numbers) if f"/pengaduan/{n}/" in first]
    shown_second = [n for n in reversed(numbers) if f"/pengaduan/{n}/" in second]
    assert shown_first == list(reversed(numbers))[:20] and shown_second == list(reversed(numbers))[20:]
    assert first.index(numbers[-1]) < first.index(numbers[-2])  # newest on top
    assert "1 / 2" in first and "?page=2" in first and "2 / 2" in second
    assert foreign not in first + second
    assert client.get("/pengaduan/?page=x").status_code == 200 and client.get("/pengaduan/?page=99").status_code == 200


def test_incident_date_today_ok_yesterday_ok(client):
    client.post(URL, form_data(incident_date=(timezone.localdate() - dt.timedelta(days=1)).isoformat()))
    assert Complaint.objects.count() == 1


def test_truncated_photo_is_refused_without_error(client):
    data = jpeg_with_gps(size=(400, 300))
    broken = SimpleUploadedFile("rusak.jpg", data[: len(data) // 2], content_type="image/jpeg")
    response = client.post(URL, {**form_data(), "photos": [broken]})
    assert response.status_code == 200
    assert not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()
    assert "rusak.jpg" in response.content.decode()


def test_empty_post_shows_required_messages(client):
    response = client.post(URL, {})
    body = response.content.decode()
    assert response.status_code == 200 and "Uraian wajib diisi." in body and "Kelurahan wajib dipilih." in body
    assert not Complaint.objects.exists()
