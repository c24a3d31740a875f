"""Issue 12, items 9 and 10: a NUL byte anywhere in a request is a 400 (never a 500), and control
characters never reach the database through a form."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.http import QueryDict

from kupang_portal.core.text import CleanTextMixin, strip_control
from tests import factories

pytestmark = pytest.mark.django_db

# Every URL of the issue, anonymously (a 500 on main each).
ISSUE_URLS = ["/lacak/?nomor=%00", "/lacak/%00/", "/layanan/?q=%00", "/layanan/?opd=%00", "/survei/%00/",
              "/layanan/permohonan/%00/"]
MORE_URLS = ["/lacak/?nomor=ADU-2026-000001&kode=%00", "/akun/masuk/?next=%00", "/?q=%00", "/pengaduan/?x=%00"]
# Paths no URL pattern matches with a NUL: the usual 404, as for any unknown address.
UNMATCHED_URLS = ["/pengaduan/%00/", "/pengaduan/lacak/%00/", "/layanan/%00/"]


def assert_bad_request_page(response):
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="bad-request"' in body and "Permintaan tidak valid" in body
    assert "</nav>" in body and "</footer>" in body  # the usual page: header, footer


@pytest.mark.parametrize("url", ISSUE_URLS + MORE_URLS)
def test_nul_in_path_or_query_is_400_with_the_usual_page(client, url):
    client.raise_request_exception = True  # a 500 would raise here
    assert_bad_request_page(client.get(url))


@pytest.mark.parametrize("url", UNMATCHED_URLS)
def test_nul_in_an_unmatched_path_is_404(client, url):
    client.raise_request_exception = True
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ISSUE_URLS + MORE_URLS)
def test_nul_is_400_for_a_logged_in_resident_too(client, url):
    user = factories.resident(first_name="Maria")
    client.force_login(user)
    response = client.get(url)
    assert_bad_request_page(response)
    assert "Maria" in response.content.decode()  # rendered like every page, with the user's header


def test_nul_in_a_form_body_is_400_and_nothing_is_stored(client):
    from pengaduan.models import Complaint

    response = client.post("/pengaduan/baru/", {"description": "ada\x00nul", "title": "x"})
    assert_bad_request_page(response)
    response = client.post("/akun/masuk/", {"username": "warga\x00", "password": "x"})
    assert_bad_request_page(response)
    assert not Complaint.objects.exists()


def test_nul_in_a_multipart_field_name_is_400(client):
    assert_bad_request_page(client.post("/pengaduan/baru/", {"ti\x00tle": "x"}))


def test_a_cookie_with_nul_is_ignored_not_a_500(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    client.cookies["django_language"] = "en\x00"
    response = client.get("/layanan/")
    assert response.status_code == 200


def test_clean_requests_are_untouched(client):
    assert client.get("/lacak/?nomor=ADU-2026-000001").status_code == 200
    assert client.get("/layanan/?q=ktp").status_code == 200


# --- Open311 answers NUL in its own error format ---------------------------------------------------

OPEN311_URLS = [
    "/api/open311/v2/requests.{fmt}?service_code=%00",
    "/api/open311/v2/requests.{fmt}?service_request_id=ADU%00",
    "/api/open311/v2/requests.{fmt}?start_date=2026-01-01%00",
    "/api/open311/v2/requests.{fmt}?page=1&x%00=1",
    "/api/open311/v2/services/sampah.{fmt}?x=%00",
    "/api/open311/v2/discovery.{fmt}?x=%00",
    "/api/open311/v2/requests/%00.{fmt}",
    "/api/open311/v2/%00.{fmt}",
]


def open311_errors(response, fmt):
    if fmt == "json":
        return [(e["code"], e["description"]) for e in json.loads(response.content)]
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    return [(int(e.find("code").text), e.find("description").text) for e in root.findall("error")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("url", OPEN311_URLS)
def test_nul_in_open311_is_400_in_the_open311_error_format(client, url, fmt):
    response = client.get(url.format(fmt=fmt))
    assert response.status_code == 400
    errors = open311_errors(response, fmt)
    assert errors and all(code == 400 for code, _description in errors) and "NUL" in errors[0][1]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_nul_in_an_open311_post_is_400_in_the_open311_error_format(client, fmt):
    from pengaduan.models import Complaint

    response = client.post(f"/api/open311/v2/requests.{fmt}", {"api_key": "x", "service_code": "sampah",
                                                                "description": "Sampah\x00", "address_string": "Jl. El Tari"})
    assert response.status_code == 400 and open311_errors(response, fmt)[0][0] == 400
    assert not Complaint.objects.exists()


# --- control characters: one cleaning mechanism for every form ------------------------------------

def test_strip_control_keeps_tab_newline_and_text():
    assert strip_control("a\x0bb\x01c\x00d\x7fe\x85f\ufffe\tg\nh\r\ni é ü 🙂") == "abcdef\tg\nh\r\ni é ü 🙂"


def test_mixin_cleans_every_value_but_not_passwords():
    from django import forms

    class Sample(CleanTextMixin, forms.Form):
        name = forms.CharField()
        tags = forms.MultipleChoiceField(choices=[("a", "a"), ("b", "b")])
        password = forms.CharField(widget=forms.PasswordInput)

    data = QueryDict(mutable=True)
    data.update({"name": " Maria\x0b Ndolu\x01 ", "password": "pa\x01ss"})
    data.setlist("tags", ["a\x01", "b"])
    form = Sample(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "Maria Ndolu", "tags": ["a", "b"], "password": "pa\x01ss"}
    assert data["name"] == " Maria\x0b Ndolu\x01 "  # the request's own data is not modified
    only_controls = Sample({"name": "\x01\x0b", "tags": ["a"], "password": "x"})
    assert not only_controls.is_valid() and "name" in only_controls.errors  # "required" sees the clean value


def test_application_form_notes_are_cleaned(client):
    from layanan.models import Application, Service

    user = factories.resident()
    client.force_login(user)
    svc = Service.objects.get(code="KTP_EL_BARU")
    client.post(svc.get_apply_url(), {"action": "save", "applicant_nik": "5371014512920004", "phone": "081234567890",
                                      "notes": "Mohon\x0b dipercepat\x01"})
    assert Application.objects.get(applicant=user).notes == "Mohon dipercepat"


def test_profile_form_is_cleaned(client):
    user = factories.resident(first_name="Maria", last_name="Ndolu", email="maria@example.id")
    client.force_login(user)
    response = client.post("/akun/profil/", {"first_name": "Ma\x0bria", "last_name": "Nd\x01olu", "email": "maria@example.id",
                                             "phone": "", "nik": "", "preferred_language": "id", "notify_email": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Maria", "Ndolu")


@pytest.mark.parametrize("url", ["/dasbor/", "/antrean/loket/"])
def test_a_forbidden_page_is_the_usual_page_in_indonesian(client, url):
    """A resident opening a staff page got Django's bare English "403 Forbidden" (no header, no
    way back, lang="en")."""
    client.force_login(factories.resident())
    response = client.get(url)
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="error-403"' in body and "Akses ditolak" in body and "Forbidden" not in body
    assert "</nav>" in body and "</footer>" in body and 'lang="id"' in body


def test_a_refused_form_token_is_explained(client):
    """CSRF failure (a form left open too long, cookies refused): the usual page, in Indonesian."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/lacak/", {"nomor": "ADU-2026-000001"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="error-403-csrf"' in body and "muat ulang" in body and "CSRF verification failed" not in body
    assert "</nav>" in body and "</footer>" in body
