"""The public page cache (kupang_portal/core/pagecache.py): anonymous public responses are served
from the cache, with each visitor's own CSRF token, in their language, and renewed after every
committed change they show; logged-in users and visitors with a session always get a rendering."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kupang_portal.accounts.roles import Role
from kupang_portal.core import pagecache
from kupang_portal.workflow import engine
from layanan.models import Service
from pengaduan import services as pengaduan_services
from pengaduan.models import Complaint
from tests import factories
from tests.layanan.conftest import make_submitted
from tests.pengaduan.conftest import file_complaint

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True
    pagecache.local.clear()
    yield
    pagecache.local.clear()


@pytest.fixture
def svc():
    return Service.objects.published().select_related("office").first()


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, len(queries)


@pytest.mark.parametrize("url", ["/", "/layanan/", "service"])
def test_anonymous_pages_come_from_the_cache_without_any_per_visitor_part(url, svc):
    url = svc.get_absolute_url() if url == "service" else url
    first, _ = get(Client(), url)
    second, queries = get(Client(), url)
    assert first.templates and not second.templates and queries == 0, url  # nothing rendered
    assert first.content == second.content and not TOKEN.findall(second.content.decode())
    assert not second.cookies  # no CSRF cookie either: the language switch needs no token


def test_a_cached_tracking_page_carries_each_visitors_own_token(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = make_submitted(factories.resident())
    url = f"/lacak/{app.number}/"
    first, _ = get(Client(), url)
    visitor = Client(enforce_csrf_checks=True)
    second, queries = get(visitor, url)
    assert not second.templates and queries == 0
    tokens = [TOKEN.findall(r.content.decode()) for r in (first, second)]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]  # never the token of the visitor who filled it
    assert "csrftoken" in second.cookies and "Cookie" in second["Vary"]
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())
    # The token works: the code form posts (a wrong code answers in the page, not with a CSRF 403).
    posted = visitor.post("/lacak/", {"nomor": app.number, "kode": "SALAH123", "csrfmiddlewaretoken": tokens[1][0]})
    assert posted.status_code == 200
    assert Client(enforce_csrf_checks=True).post("/lacak/", {"nomor": app.number, "kode": "X"}).status_code == 403


def test_each_language_has_its_own_copy():
    indonesian, _ = get(Client(), "/")
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english, _ = get(english_client, "/")
    assert 'lang="id"' in indonesian.content.decode() and 'lang="en"' in english.content.decode()
    again, queries = get(Client(), "/")
    assert 'lang="id"' in again.content.decode()


def test_logged_in_users_and_sessions_are_never_served_a_cached_page(client, svc):
    get(Client(), svc.get_absolute_url())
    resident = factories.resident(first_name="Maria", last_name="Ndolu")
    client.force_login(resident)
    page, queries = get(client, svc.get_absolute_url())
    assert queries > 0 and "nav-profile" in page.content.decode() and "Maria" in page.content.decode()
    filled, _ = get(Client(), svc.get_absolute_url())
    assert "nav-profile" not in filled.content.decode()  # and the resident's page was not stored for others


def test_query_strings_are_rendered(svc):
    get(Client(), "/layanan/?q=akta")
    _, queries = get(Client(), "/layanan/?q=akta")
    assert queries > 0


def test_an_admin_edit_shows_at_once(svc, django_capture_on_commit_callbacks):
    get(Client(), svc.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        svc.name = "Layanan Diubah Admin Tadi"
        svc.save()
    page, _ = get(Client(), svc.get_absolute_url())
    assert "Layanan Diubah Admin Tadi" in page.content.decode()


def test_a_cache_outage_renders_the_page(monkeypatch, svc):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get_many", broken)
    page, queries = get(Client(), svc.get_absolute_url())
    assert queries > 0 and svc.name in page.content.decode()


def test_the_tracking_page_follows_every_transition(django_capture_on_commit_callbacks):
    resident = factories.resident()
    with django_capture_on_commit_callbacks(execute=True):
        app = make_submitted(resident)
    url = f"/lacak/{app.number}/"
    first, _ = get(Client(), url)
    cached, queries = get(Client(), url)
    assert queries == 0 and not cached.templates and "max-age=0" in cached["Cache-Control"]  # browsers still ask every time
    assert "Maria" not in cached.content.decode() and app.applicant_nik not in cached.content.decode()
    clerk = factories.staff(Role.CLERK, app.office.code)
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(app, "verify", clerk)
    after, queries = get(Client(), url)
    assert queries > 0 and status(after) == app.get_status_display() != status(first)
    # The owner sees their own link to the details; the anonymous copy never carries it.
    owner = Client()
    owner.force_login(resident)
    assert 'data-testid="track-detail-link"' in owner.get(url).content.decode()
    assert 'data-testid="track-detail-link"' not in get(Client(), url)[0].content.decode()


def status(response):
    return re.search(r'data-testid="track-status">([^<]+)<', response.content.decode()).group(1)


def test_unknown_numbers_are_not_kept():
    get(Client(), "/lacak/KTP-2099-999999/")
    again, queries = get(Client(), "/lacak/KTP-2099-999999/")
    assert queries > 0 and again.templates and 'data-testid="track-not-found"' in again.content.decode()


def test_open311_list_is_cached_until_a_complaint_changes(django_capture_on_commit_callbacks):
    verifier = factories.staff(Role.VERIFIER, "BAG_ORGANISASI")
    with django_capture_on_commit_callbacks(execute=True):
        public = file_complaint(factories.resident(), description="Lampu jalan mati di depan sekolah.").complaint
        secret = file_complaint(factories.resident(), confidential=True, description="Pungli oleh oknum petugas.").complaint
    url = "/api/open311/v2/requests.json"
    first, _ = get(Client(), url)
    again, queries = get(Client(), url)
    assert queries == 0 and again.content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        for complaint in (public, secret):
            pengaduan_services.dispose(complaint, verifier)
    after, queries = get(Client(), url)
    assert queries > 0
    rows = {row["service_request_id"]: row for row in json.loads(after.content)}
    assert rows[public.number]["description"] == "Lampu jalan mati di depan sekolah."  # verified: public now
    assert "description" not in rows[secret.number] and "Pungli" not in after.content.decode()  # confidential
    assert rows[public.number]["status_notes"] != {r["service_request_id"]: r for r in json.loads(first.content)}[public.number]["status_notes"]
    with django_capture_on_commit_callbacks(execute=True):
        Complaint.objects.get(pk=public.pk).save()  # a direct save (the admin's form) renews it too
    assert get(Client(), url)[1] > 0


def test_each_process_keeps_its_copy_for_a_second(settings, svc, django_capture_on_commit_callbacks, monkeypatch):
    settings.PUBLIC_PAGE_CACHE_LOCAL_SECONDS = 1
    get(Client(), svc.get_absolute_url())
    from django.core.cache import cache

    asked = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: asked.append(keys) or real_get_many(keys))
    page, queries = get(Client(), svc.get_absolute_url())
    assert queries == 0 and not page.templates and not asked
    with django_capture_on_commit_callbacks(execute=True):
        svc.name = "Nama Baru Dari Proses Ini"
        svc.save()  # a change committed in this process drops its copies at once
    assert "Nama Baru Dari Proses Ini" in get(Client(), svc.get_absolute_url())[0].content.decode()


def test_a_response_naming_its_host_is_kept_per_host(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            file_complaint(factories.resident())
    url = "/api/open311/v2/requests.json?page_size=1"
    assert get(Client(), url)[0]["Link"].startswith("<http://testserver/")
    other, _ = get(Client(), url, HTTP_HOST="localhost")
    assert other["Link"].startswith("<http://localhost/")
    again, queries = get(Client(), url, HTTP_HOST="localhost")
    assert queries == 0 and again["Link"] == other["Link"]


def test_open311_list_keeps_no_copy_for_parameters_it_does_not_know():
    """The list is keyed on its query string: a parameter the API does not define (?x=<random>)
    must not add a cached copy per value (anyone could fill the shared cache, like random
    tracking numbers); the same request with known parameters only is still cached."""
    known = "/api/open311/v2/requests.json?status=open&page_size=5"
    get(Client(), known)
    assert get(Client(), known)[1] == 0
    junk = "/api/open311/v2/requests.json?status=open&utm=1"
    for _ in range(2):
        response, queries = get(Client(), junk)
        assert response.status_code == 200 and queries > 0
    repeated = "/api/open311/v2/requests.json?status=open&status=closed"
    get(Client(), repeated)
    assert get(Client(), repeated)[1] > 0
    unknown_number = "/api/open311/v2/requests.json?service_request_id=ADU-2026-999999"
    get(Client(), unknown_number)
    assert get(Client(), unknown_number)[1] > 0
