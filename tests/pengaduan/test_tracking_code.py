"""The secret code of an anonymous complaint: one POST form on /lacak/ (also shown on the
complaint's own page), a clear answer for a wrong code, the detail unlocked directly for a right
one, limited attempts per number and per IP, never in a URL or a log line."""

import logging

import pytest

from pengaduan import services
from pengaduan.models import Status

from .conftest import file_complaint

pytestmark = pytest.mark.django_db

TRACK = "/lacak/"


@pytest.fixture
def answered(verifier, dlhk_clerk):
    result = file_complaint(None, confidential=True)  # the response is for the code holder only
    services.dispose(result.complaint, verifier)
    services.respond(result.complaint, dlhk_clerk, "Sampah sudah diangkut hari ini")
    result.complaint.refresh_from_db()
    return result


def test_wrong_code_says_clearly_it_does_not_match(client, answered):
    response = client.post(TRACK, {"nomor": answered.complaint.number, "kode": "AAAAA-BBBBB"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Kode rahasia tidak cocok dengan nomor {answered.complaint.number}" in body
    assert "Sampah sudah diangkut hari ini" not in body and "AAAAA-BBBBB" not in body


def test_right_code_unlocks_the_detail_directly(client, answered):
    number = answered.complaint.number
    response = client.post(TRACK, {"nomor": number.lower(), "kode": answered.code.replace("-", "").lower()})
    assert response.status_code == 302 and response["Location"] == f"/pengaduan/lacak/{number}/"
    assert answered.code not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Sampah sudah diangkut hari ini" in page and 'data-testid="rating-form"' in page
    assert 'data-testid="track-form"' not in page  # no second prompt
    # The reporter acts without typing the code again.
    client.post(f"/pengaduan/lacak/{number}/", {"action": "rate", "rating": "4"})
    assert answered.complaint.responses.get().rating == 4
    client.post(f"/pengaduan/lacak/{number}/", {"action": "close"})
    answered.complaint.refresh_from_db()
    assert answered.complaint.status == Status.CLOSED


def test_other_browser_is_not_unlocked(client, answered, django_user_model):
    from django.test import Client

    client.post(TRACK, {"nomor": answered.complaint.number, "kode": answered.code})
    other = Client()
    page = other.get(f"/pengaduan/lacak/{answered.complaint.number}/").content.decode()
    assert "Sampah sudah diangkut hari ini" not in page and 'data-testid="track-form"' in page
    other.post(f"/pengaduan/lacak/{answered.complaint.number}/", {"action": "close"})
    answered.complaint.refresh_from_db()
    assert answered.complaint.status == Status.RESPONDED


def test_code_in_the_query_string_is_never_used(client, answered):
    number = answered.complaint.number
    for url, clean in ((f"/lacak/{number}/?kode={answered.code}", f"/lacak/{number}/"),
                       (f"/lacak/?nomor={number}&kode={answered.code}", f"/lacak/?nomor={number}")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == clean  # gone from the address bar
        body = client.get(clean).content.decode()
        assert "Sampah sudah diangkut hari ini" not in body  # the response is for the code holder only
        assert "kode rahasia tidak dibaca dari alamat halaman" in body and answered.code not in body
        assert 'data-testid="track-detail-link"' not in body
    assert "Sampah sudah diangkut hari ini" not in client.get(f"/pengaduan/lacak/{number}/").content.decode()


def test_the_form_posts_and_never_echoes_the_code(client, answered):
    body = client.get(f"/lacak/{answered.complaint.number}/").content.decode()
    form = body.split('data-testid="track-form"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form and 'action="/lacak/"' in form
    assert 'type="password"' in body


def test_code_is_never_logged(client, answered, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(TRACK, {"nomor": answered.complaint.number, "kode": "ZZZZZ-YYYYY"})
    client.post(TRACK, {"nomor": answered.complaint.number, "kode": answered.code})
    client.get(f"/pengaduan/lacak/{answered.complaint.number}/")
    text = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert answered.code not in text and "ZZZZZ-YYYYY" not in text


def test_attempts_are_limited_per_number_from_any_address(client, settings, answered):
    settings.PENGADUAN_MAX_CODE_FAILURES_PER_NUMBER = 2
    for i in range(2):
        client.post(TRACK, {"nomor": answered.complaint.number, "kode": "WRONG-CODE1"}, REMOTE_ADDR=f"10.0.0.{i + 1}")
    response = client.post(TRACK, {"nomor": answered.complaint.number, "kode": answered.code}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200 and "Terlalu banyak percobaan kode yang salah" in response.content.decode()
    assert client.get(f"/pengaduan/lacak/{answered.complaint.number}/").content.decode().count("Sampah sudah diangkut") == 0


def test_attempts_are_limited_per_address_across_numbers(client, settings, answered):
    settings.PENGADUAN_MAX_CODE_FAILURES_PER_IP = 2
    others = [file_complaint(None).complaint for _ in range(2)]
    for complaint in others:
        client.post(TRACK, {"nomor": complaint.number, "kode": "WRONG-CODE1"}, REMOTE_ADDR="10.1.1.1")
    locked = client.post(TRACK, {"nomor": answered.complaint.number, "kode": answered.code}, REMOTE_ADDR="10.1.1.1")
    assert "Terlalu banyak percobaan kode yang salah" in locked.content.decode()
    elsewhere = client.post(TRACK, {"nomor": answered.complaint.number, "kode": answered.code}, REMOTE_ADDR="10.2.2.2")
    assert elsewhere.status_code == 302


def test_unlock_lasts_a_short_time(client, settings, answered):
    settings.PENGADUAN_UNLOCK_SECONDS = 0
    client.post(TRACK, {"nomor": answered.complaint.number, "kode": answered.code})
    page = client.get(f"/pengaduan/lacak/{answered.complaint.number}/").content.decode()
    assert "Sampah sudah diangkut hari ini" not in page and 'data-testid="track-form"' in page


def test_anonymous_page_shows_the_same_form(client, answered):
    page = client.get(f"/pengaduan/lacak/{answered.complaint.number}/").content.decode()
    assert 'data-testid="track-form"' in page and 'action="/lacak/"' in page
    assert f'name="nomor" value="{answered.complaint.number}"' in page


def test_named_complaint_and_application_numbers_take_no_code(client, reporter):
    complaint = file_complaint(reporter).complaint
    body = client.post(TRACK, {"nomor": complaint.number, "kode": "ABCDE-FGHJK"}).content.decode()
    assert "tidak memakai kode rahasia" in body


def test_resident_uses_the_same_form_without_code(client, reporter):
    complaint = file_complaint(reporter).complaint
    client.force_login(reporter)
    response = client.post(TRACK, {"nomor": complaint.number, "kode": ""})
    assert response.status_code == 302 and response["Location"] == f"/lacak/?nomor={complaint.number}"
    body = client.get(response["Location"]).content.decode()
    assert f'href="/pengaduan/{complaint.number}/"' in body


def test_missing_number_is_a_clear_message(client):
    body = client.post(TRACK, {"nomor": "", "kode": "x"}).content.decode()
    assert "Masukkan nomor pendaftaran atau nomor pengaduan." in body
