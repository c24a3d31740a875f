"""The anonymity promise and confidentiality."""

import pytest

from kupang_portal.core import tracking
from pengaduan import services
from pengaduan.models import Complaint

from .conftest import file_complaint

pytestmark = pytest.mark.django_db

SECRET_NAME = ("Yosefina", "Mbatu", "yosefina.reporter", "yosefina.mbatu@example.id")


def assert_no_identity(text):
    for needle in SECRET_NAME:
        assert needle not in text, needle


@pytest.fixture
def anonymous_complaint(reporter, verifier, dlhk_clerk, client):
    """Filed by a logged-in resident who chose anonymity, then handled to the end."""
    client.force_login(reporter)
    from django.utils import timezone

    from .conftest import category, kelurahan

    client.post("/pengaduan/baru/", {
        "kind": "pengaduan", "privacy": "anonim", "category": category("sampah").pk, "title": "Sampah liar",
        "description": "Tumpukan sampah liar di tepi jalan.", "kelurahan": kelurahan().pk, "incident_date": timezone.localdate().isoformat(),
    })
    client.logout()
    complaint = Complaint.objects.get()
    services.route(complaint)
    complaint.refresh_from_db()
    services.dispose(complaint, verifier)
    services.respond(complaint, dlhk_clerk, "Sudah dibersihkan.")
    complaint.refresh_from_db()
    return complaint


def test_anonymous_complaint_stores_no_user(anonymous_complaint):
    assert anonymous_complaint.reporter_id is None and anonymous_complaint.is_anonymous
    assert not anonymous_complaint.history().filter(actor__username="yosefina.reporter").exists()
    assert all(e.actor_id is None or e.actor.is_staff for e in anonymous_complaint.history())


def _stored_sessions():
    """Every server-side session as stored, decoded."""
    from django.contrib.sessions.models import Session

    return [str(session.get_decoded()) for session in Session.objects.all()]


def test_anonymous_complaint_of_a_logged_in_resident_is_not_tied_to_their_session(client, reporter):
    """The receipt (number and secret code) and the unlock stay in that browser (a signed cookie):
    a session row is stored with the account, and would link the account to the complaint."""
    import re

    from django.test import Client

    from .conftest import category, kelurahan

    client.force_login(reporter)
    from django.utils import timezone

    response = client.post("/pengaduan/baru/", {
        "kind": "pengaduan", "privacy": "anonim", "category": category("sampah").pk, "title": "Sampah liar",
        "description": "Tumpukan sampah liar di tepi jalan.", "kelurahan": kelurahan().pk,
        "incident_date": timezone.localdate().isoformat(),
    })
    complaint = Complaint.objects.get()
    assert complaint.reporter_id is None and response["Location"] == f"/pengaduan/terkirim/{complaint.number}/"
    receipt = client.get(response["Location"])
    code = re.search(r'data-testid="tracking-code">([^<]+)<', receipt.content.decode()).group(1)
    assert receipt.status_code == 200 and complaint.check_tracking_code(code)
    assert client.get(f"/pengaduan/lacak/{complaint.number}/").status_code == 200
    assert 'name="kode"' not in client.get(f"/pengaduan/lacak/{complaint.number}/").content.decode()  # opened
    sessions = _stored_sessions()
    assert sessions and not any(complaint.number in s or code in s for s in sessions)
    # Another browser of the same account sees neither the receipt nor the complaint.
    other = Client()
    other.force_login(reporter)
    assert other.get(response["Location"]).status_code == 404
    assert 'name="kode"' in other.get(f"/pengaduan/lacak/{complaint.number}/").content.decode()
    # The code typed on /lacak/ by a logged-in resident opens it, again without the session.
    opened = other.post("/lacak/", {"nomor": complaint.number, "kode": code})
    assert opened.status_code == 302 and opened["Location"] == f"/pengaduan/lacak/{complaint.number}/"
    assert 'name="kode"' not in other.get(opened["Location"]).content.decode()
    assert not any(complaint.number in s or code in s for s in _stored_sessions())
    # A cookie that was not written by the portal opens nothing.
    forged = Client()
    forged.cookies["kupang_pengaduan_anonim"] = other.cookies["kupang_pengaduan_anonim"].value[:-2] + "xx"
    assert 'name="kode"' in forged.get(f"/pengaduan/lacak/{complaint.number}/").content.decode()


def test_anonymous_identity_appears_nowhere(client, anonymous_complaint, superuser, verifier, dlhk_clerk):
    c = anonymous_complaint
    pages = []
    for staff in (superuser, dlhk_clerk):
        client.force_login(staff)
        pages.append(client.get("/admin/pengaduan/complaint/").content.decode())
        pages.append(client.get(f"/admin/pengaduan/complaint/{c.pk}/change/").content.decode())
        pages.append(client.get(f"/admin/pengaduan/complaint/?q={c.number}").content.decode())
    assert c.number in pages[0] and "Anonim" in pages[1]
    client.logout()
    for url in ("/api/open311/v2/requests.json", "/api/open311/v2/requests.xml", f"/api/open311/v2/requests/{c.number}.json",
                f"/api/open311/v2/requests/{c.number}.xml", f"/lacak/?nomor={c.number}", f"/pengaduan/lacak/{c.number}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    assert c.number in pages[-2]
    for page in pages:
        assert_no_identity(page)


def test_named_reporter_shown_to_staff_but_confidential_only_to_the_handling_office(client, reporter, verifier, dlhk_clerk, supervisor):
    named = file_complaint(reporter, title="Bernama").complaint
    secret = file_complaint(reporter, confidential=True, title="Rahasia").complaint
    client.force_login(verifier)
    assert "Yosefina Mbatu" in client.get(f"/admin/pengaduan/complaint/{named.pk}/change/").content.decode()
    services.dispose(secret, verifier)
    client.force_login(dlhk_clerk)
    assert "Yosefina Mbatu" in client.get(f"/admin/pengaduan/complaint/{secret.pk}/change/").content.decode()
    client.force_login(supervisor)
    page = client.get(f"/admin/pengaduan/complaint/{secret.pk}/change/").content.decode()
    assert page.count("Yosefina") == 0 and "Dirahasiakan" in page
    # Never in the changelist, even for named complaints.
    client.force_login(verifier)
    assert_no_identity(client.get("/admin/pengaduan/complaint/").content.decode())


def test_public_tracking_shows_no_content_of_a_confidential_complaint(client, reporter, verifier, dlhk_clerk):
    complaint = file_complaint(reporter, confidential=True, title="Judul rahasia sekali",
                               description="Uraian rahasia tentang pihak ketiga").complaint
    services.dispose(complaint, verifier)
    services.respond(complaint, dlhk_clerk, "Tanggapan rahasia untuk pelapor")
    client.logout()
    body = client.get(f"/lacak/?nomor={complaint.number}").content.decode()
    assert complaint.number in body and "Kebersihan dan sampah" in body
    for secret in ("Judul rahasia sekali", "Uraian rahasia", "Tanggapan rahasia"):
        assert secret not in body
    api = client.get(f"/api/open311/v2/requests/{complaint.number}.json").json()[0]
    assert "description" not in api and api["lat"] is None and api["address"] == ""
    assert_no_identity(body)


def test_public_tracking_of_a_public_complaint_shows_the_response(client, reporter, verifier, dlhk_clerk):
    complaint = file_complaint(reporter).complaint
    services.dispose(complaint, verifier)
    services.respond(complaint, dlhk_clerk, "Sampah sudah diangkut truk DLHK")
    body = client.get(f"/lacak/?nomor={complaint.number}").content.decode()
    assert "Sampah sudah diangkut truk DLHK" in body
    assert_no_identity(body)


def test_anonymous_confidential_response_needs_the_code(verifier, dlhk_clerk):
    result = file_complaint(None, confidential=True)
    services.dispose(result.complaint, verifier)
    services.respond(result.complaint, dlhk_clerk, "Hanya untuk pelapor")
    without = tracking.find(result.complaint.number, "")
    assert "Hanya untuk pelapor" not in str(without.extra)
    with_code = tracking.find(result.complaint.number, result.code)
    assert "Hanya untuk pelapor" in str(with_code.extra)
    assert with_code.detail_url == f"/pengaduan/lacak/{result.complaint.number}/"
    assert tracking.find("ADU-2026-999999", "") is None


def test_timeline_never_names_staff(client, reporter, verifier, dlhk_clerk):
    complaint = file_complaint(reporter).complaint
    services.dispose(complaint, verifier)
    client.force_login(reporter)
    body = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    for name in (verifier.username, verifier.last_name, dlhk_clerk.username):
        assert name not in body
