"""Filing a complaint from the web form: redirect-after-POST with the anonymous receipt kept for
that browser only, a re-posted form files once, photos survive other fields' errors, and the
limits hit the right people (per account, per browser, per IP with a high ceiling)."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pengaduan.models import Complaint
from tests import factories

from .conftest import png_bytes
from .test_views import URL, form_data

pytestmark = pytest.mark.django_db


def post(client, token, **overrides):
    return client.post(URL, {**form_data(**overrides), "form_token": str(token)})


# --- point 2: redirect-after-POST, one complaint per form, receipt for this browser only ------------

def test_reposted_form_files_one_complaint_and_shows_the_same_receipt(client):
    token = uuid.uuid4()
    first = post(client, token)
    again = post(client, token)  # the browser's "refresh" / a double tap
    assert Complaint.objects.count() == 1
    complaint = Complaint.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/pengaduan/terkirim/{complaint.number}/"
    body = client.get(first["Location"]).content.decode()
    code = re.search(r'data-testid="tracking-code">([^<]+)<', body).group(1)
    assert complaint.check_tracking_code(code)


def test_named_reposted_form_files_once(client, reporter):
    client.force_login(reporter)
    token = uuid.uuid4()
    post(client, token, privacy="terbuka")
    response = post(client, token, privacy="terbuka")
    assert Complaint.objects.count() == 1
    assert response["Location"] == f"/pengaduan/{Complaint.objects.get().number}/"
    assert "sudah terkirim sebelumnya" in client.get(response["Location"]).content.decode()


def test_receipt_is_shown_to_the_filing_browser_only(client):
    response = post(client, uuid.uuid4())
    complaint = Complaint.objects.get()
    stranger = Client()
    page = stranger.get(response["Location"])
    assert page.status_code == 404 and 'data-testid="tracking-code"' not in page.content.decode()
    assert stranger.get(f"/pengaduan/terkirim/{complaint.number}/bukti.pdf").status_code == 404
    assert client.get(response["Location"]).status_code == 200
    assert "no-store" in client.get(response["Location"])["Cache-Control"]


def test_receipt_lasts_a_short_time(client, settings):
    settings.PENGADUAN_RECEIPT_SECONDS = 0
    response = post(client, uuid.uuid4())
    page = client.get(response["Location"])
    assert page.status_code == 404 and 'data-testid="receipt-gone"' in page.content.decode()


def test_receipt_has_copy_buttons_and_a_pdf(client):
    response = post(client, uuid.uuid4())
    complaint = Complaint.objects.get()
    body = client.get(response["Location"]).content.decode()
    assert body.count('data-copy="receipt-') == 2 and "/static/js/copy.js" in body and "Salin" in body
    assert "Unduh bukti (PDF)" in body
    code = re.search(r'data-testid="tracking-code">([^<]+)<', body).group(1)
    pdf = client.get(f"/pengaduan/terkirim/{complaint.number}/bukti.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and complaint.number.encode() in pdf.content and code.encode() in pdf.content


# --- point 4: photos kept across a validation error ----------------------------------------------

def test_photos_survive_another_fields_error(client):
    token = uuid.uuid4()
    photo = SimpleUploadedFile("bukti.png", png_bytes(), content_type="image/png")
    failed = client.post(URL, {**form_data(description=""), "form_token": str(token), "photos": [photo]})
    body = failed.content.decode()
    assert failed.status_code == 200 and "Uraian wajib diisi." in body
    assert 'data-testid="kept-photos"' in body and "bukti.png" in body
    assert f'value="{token}"' in body  # the same form token goes round again
    sent = post(client, token)  # no file chosen again
    assert sent.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 1
    pending = Path(django_settings.STORAGES["private"]["OPTIONS"]["location"]) / "pengaduan" / "tunda" / str(token)
    assert not pending.exists() or not any(pending.iterdir())  # the kept copy is gone



def test_a_bad_photo_does_not_lose_the_good_ones_chosen_with_it(client):
    """Two photos chosen at once, one of them not an image: the message names the bad file and the
    good one is kept like after any other error (a browser empties the file input)."""
    token = uuid.uuid4()
    good = SimpleUploadedFile("bukti.png", png_bytes(), content_type="image/png")
    bad = SimpleUploadedFile("surat.pdf", b"MZ not an image at all" * 8, content_type="image/png")
    failed = client.post(URL, {**form_data(), "form_token": str(token), "photos": [good, bad]})
    body = failed.content.decode()
    assert failed.status_code == 200 and "surat.pdf" in body and not Complaint.objects.exists()
    assert 'data-testid="kept-photos"' in body and "bukti.png" in body
    assert post(client, token).status_code == 302  # sent again without choosing the good photo again
    assert Complaint.objects.get().photos.count() == 1

def test_kept_photo_can_be_removed_and_count_stays_within_three(client):
    token = uuid.uuid4()
    photos = [SimpleUploadedFile(f"f{i}.png", png_bytes(), content_type="image/png") for i in range(2)]
    client.post(URL, {**form_data(title=""), "form_token": str(token), "photos": photos})
    more = [SimpleUploadedFile(f"g{i}.png", png_bytes(), content_type="image/png") for i in range(2)]
    too_many = client.post(URL, {**form_data(), "form_token": str(token), "photos": more})
    assert "2 sudah tersimpan" in too_many.content.decode() and not Complaint.objects.exists()
    client.post(URL, {**form_data(), "form_token": str(token), "remove_photo": ["1"]})
    assert Complaint.objects.get().photos.count() == 1


def test_kept_photos_belong_to_the_browser(client):
    token = uuid.uuid4()
    client.post(URL, {**form_data(description=""), "form_token": str(token),
                      "photos": [SimpleUploadedFile("rahasia.png", png_bytes(), content_type="image/png")]})
    other = Client()
    other.post(URL, {**form_data(), "form_token": str(token)})
    assert Complaint.objects.get().photos.count() == 0


# --- point 5: limits that do not block a neighbourhood --------------------------------------------

def test_named_complaints_are_not_limited_per_ip(client, settings):
    settings.PENGADUAN_MAX_ANONYMOUS_PER_IP_PER_HOUR = 2
    settings.PENGADUAN_MAX_PER_USER_PER_DAY = 3
    for n in range(3):  # one kelurahan office's Wi-Fi, three residents, three complaints each
        resident = factories.resident(username=f"warga{n}")
        browser = Client(REMOTE_ADDR="36.80.1.1")
        browser.force_login(resident)
        for _ in range(3):
            browser.post(URL, form_data(privacy="terbuka"))
        refused = browser.post(URL, form_data(privacy="terbuka"))
        assert "batas harian tercapai" in refused.content.decode()
    assert Complaint.objects.count() == 9


def test_anonymous_limit_per_browser(client, settings):
    settings.PENGADUAN_MAX_ANONYMOUS_PER_BROWSER_PER_HOUR = 2
    for n in range(2):
        client.post(URL, form_data(), REMOTE_ADDR=f"36.80.2.{n}")
    refused = client.post(URL, form_data(title="Ketiga"), REMOTE_ADDR="36.80.2.9")
    assert "dari peramban ini" in refused.content.decode() and Complaint.objects.count() == 2
    assert Client().post(URL, form_data(), REMOTE_ADDR="36.80.2.9").status_code == 302  # another phone


def test_anonymous_ip_ceiling_is_much_higher_than_the_browser_limit():
    from pengaduan import app_settings

    assert app_settings.max_anonymous_per_ip_per_hour() >= 10 * app_settings.max_anonymous_per_browser_per_hour()


def test_limits_come_from_the_environment():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kupang_portal.settings", "PENGADUAN_MAX_ANONYMOUS_PER_IP_PER_HOUR": "250",
           "PENGADUAN_MAX_PER_USER_PER_DAY": "7", "PENGADUAN_MAX_ANONYMOUS_PER_BROWSER_PER_HOUR": "4"}
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); from pengaduan import app_settings as a; "
                          "print(a.max_anonymous_per_ip_per_hour(), a.max_per_user_per_day(), a.max_anonymous_per_browser_per_hour())"],
                         env=env, capture_output=True, text=True, check=True, cwd=django_settings.BASE_DIR)
    assert out.stdout.split() == ["250", "7", "4"]


def test_readme_documents_every_limit_setting():
    source = (Path(django_settings.BASE_DIR) / "kupang_portal" / "settings.py").read_text()
    names = set(re.findall(r'env_int\("((?:\w+_)?(?:MAX|LOCK|LOCKOUT)\w*)"', source))
    assert {"PENGADUAN_MAX_ANONYMOUS_PER_IP_PER_HOUR", "PENGADUAN_MAX_ANONYMOUS_PER_BROWSER_PER_HOUR",
            "PENGADUAN_MAX_PER_USER_PER_DAY", "PENGADUAN_MAX_CODE_FAILURES_PER_NUMBER"} <= names
    readme = (Path(django_settings.BASE_DIR) / "README.md").read_text()
    missing = [n for n in sorted(names) if f"`{n}`" not in readme]
    assert not missing, missing
