"""The replica router: lag-tolerant reads go to ``replica`` when it is configured, nothing else does.

(A real streaming replica: tests/integration/test_replica.py.)"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from kupang_portal.core import db
from pengaduan.models import Complaint

pytestmark = [pytest.mark.filterwarnings("ignore:Overriding setting DATABASES"), pytest.mark.django_db]


@pytest.fixture
def with_replica(settings):
    """A "replica" alias: configured in settings, and served by the test's own connection (like
    Django's TEST MIRROR), so reads routed to it see the test's rows."""
    from django.db import connections

    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    connections["replica"] = connections["default"]
    yield
    del connections["replica"]


def test_without_a_replica_everything_reads_the_primary():
    with db.lag_tolerant():
        assert Complaint.objects.all().db == "default"
        assert db.read_alias() == "default"


def test_lag_tolerant_reads_go_to_the_replica_writes_never(with_replica):
    router = db.ReplicaRouter()
    assert Complaint.objects.all().db == "default"  # outside the scope: read your own writes
    with db.lag_tolerant():
        assert Complaint.objects.all().db == "replica"
        assert router.db_for_write(Complaint) == "default"
        assert db.read_alias() == "replica"
    assert Complaint.objects.all().db == "default"
    assert router.allow_migrate("replica", "pengaduan") is False and router.allow_migrate("default", "pengaduan")


def test_replica_reads_decorator_covers_gets_only(with_replica):
    seen = []

    @db.replica_reads
    def view(request):
        seen.append(Complaint.objects.all().db)
        return HttpResponse("ok")

    factory = RequestFactory()
    view(factory.get("/x"))
    view(factory.post("/x"))
    assert seen == ["replica", "default"]


def test_open311_gets_are_lag_tolerant(with_replica, monkeypatch):
    from django.urls import resolve

    from pengaduan.open311 import views as open311

    seen = []
    monkeypatch.setattr(open311, "list_requests", lambda request, fmt: seen.append(Complaint.objects.all().db) or HttpResponse())
    match = resolve("/api/open311/v2/requests.json")
    match.func(RequestFactory().get("/api/open311/v2/requests.json"), **match.kwargs)
    assert seen == ["replica"]


# --- the pages and jobs whose reads tolerate lag (issue 13) -----------------------------------------

def _recorder(seen, response=None):
    def record(*args, **kwargs):
        seen.append(db.reading_replica())
        return response if response is not None else HttpResponse("ok")
    return record


@pytest.mark.parametrize("name", ["home", "performance", "staff", "definitions"])
def test_dashboard_pages_read_the_replica(with_replica, monkeypatch, name):
    from kupang_portal.accounts.roles import Role
    from kupang_portal.dashboards import views
    from tests import factories

    seen = []
    monkeypatch.setattr(views, "render", _recorder(seen))
    request = RequestFactory().get("/dasbor/")
    request.user = factories.staff(Role.SUPERVISOR)
    getattr(views, name)(request)
    assert seen == [True]


def test_dashboard_exports_are_written_and_read_back_on_the_primary(with_replica, monkeypatch):
    """export_start writes the job; its status page must find it at once: never the replica."""
    from kupang_portal.dashboards import views

    seen = []
    monkeypatch.setattr(views, "render", _recorder(seen))
    request = RequestFactory().post("/dasbor/ekspor/?format=xyz")  # exports start by a POST only
    from kupang_portal.accounts.roles import Role
    from tests import factories

    request.user = factories.staff(Role.SUPERVISOR)
    views.export_start(request)
    assert seen == [False]


@pytest.mark.parametrize("name", ["page", "export_csv", "export_json"])
def test_transparency_pages_read_the_replica(with_replica, monkeypatch, name):
    from django.contrib.auth.models import AnonymousUser

    from kupang_portal.transparency import views

    seen = []
    from django.utils import timezone

    monkeypatch.setattr(views.selectors, "figures", lambda: seen.append(db.reading_replica()) or {"generated_at": timezone.now()})
    monkeypatch.setattr(views.selectors, "open_data_rows", lambda *args: seen.append(db.reading_replica()) or [])
    monkeypatch.setattr(views, "render", _recorder(seen))
    monkeypatch.setattr(views, "_charts", lambda data: {})
    request = RequestFactory().get("/transparansi/")
    request.user = AnonymousUser()
    getattr(views, name)(request)
    assert seen and all(seen)


def test_skm_results_read_the_replica(with_replica, monkeypatch):
    from django.contrib.auth.models import AnonymousUser

    from layanan.skm import views

    seen = []
    monkeypatch.setattr(views.selectors, "offices_with_results", lambda period: seen.append(db.reading_replica()) or [])
    monkeypatch.setattr(views, "render", _recorder(seen))
    request = RequestFactory().get("/survei/hasil/")
    request.user = AnonymousUser()
    views.results(request)
    assert seen == [True, True]


def test_export_job_reads_the_replica_and_writes_the_primary(with_replica, monkeypatch):
    from kupang_portal.accounts.roles import Role
    from kupang_portal.dashboards import services
    from kupang_portal.dashboards.models import ExportJob
    from tests import factories

    owner = factories.staff(Role.SUPERVISOR)
    job = ExportJob.objects.create(owner=owner, format="csv", content="kasus", params={"angka": "diterima"})
    seen = []

    def rows(scope, filters, figure):
        seen.append(db.reading_replica())
        yield ["ADU-1"] + [""] * (len(services.CASE_COLUMNS) - 1)

    monkeypatch.setattr(services, "export_case_rows", rows)
    services.run_export(job.pk)
    job.refresh_from_db()
    assert seen == [True]  # the rows were read in the lag-tolerant scope
    assert job.status == ExportJob.Status.DONE and job.row_count == 1  # the job's writes: the primary
    assert not db.reading_replica()


def test_session_and_user_load_on_the_primary_before_the_replica_scope(with_replica):
    from django.utils.functional import SimpleLazyObject

    loaded_on = []

    def load_user():
        from django.contrib.auth.models import AnonymousUser

        loaded_on.append(db.reading_replica())
        return AnonymousUser()

    @db.replica_reads
    def view(request):
        request.user.is_authenticated  # noqa: B018
        return HttpResponse("ok")

    request = RequestFactory().get("/x")
    request.user = SimpleLazyObject(load_user)
    view(request)
    assert loaded_on == [False]


def test_dashboard_scope_is_computed_on_the_primary(with_replica, monkeypatch):
    from kupang_portal.accounts.roles import Role
    from kupang_portal.dashboards import selectors
    from tests import factories

    seen = []
    real = selectors._scope_uncached
    monkeypatch.setattr(selectors, "_scope_uncached", lambda user: seen.append(db.reading_replica()) or real(user))
    user = factories.staff(Role.CLERK, "DLHK")
    with db.lag_tolerant():
        assert db.reading_replica()
        selectors.scope_for(user)
        assert db.reading_replica()
    assert seen == [False]


def test_a_browser_that_wrote_reads_its_writes_from_the_primary(with_replica, client, settings):
    settings.REPLICA_PIN_SECONDS = 5
    response = client.post("/lacak/", {"nomor": "ADU-2026-000001"})
    pin = response.cookies[db.PIN_COOKIE]
    assert pin["max-age"] == 5 and pin["httponly"]
    seen = []

    @db.replica_reads
    def view(request):
        seen.append(db.reading_replica())
        return HttpResponse("ok")

    pinned = RequestFactory().get("/x")
    pinned.COOKIES[db.PIN_COOKIE] = pin.value
    stale = RequestFactory().get("/x")
    stale.COOKIES[db.PIN_COOKIE] = "1.0"  # expired (or tampered with): no effect
    view(pinned)
    view(stale)
    view(RequestFactory().get("/x"))
    assert seen == [False, True, True]


def test_no_pin_cookie_without_a_replica(client):
    response = client.post("/lacak/", {"nomor": "ADU-2026-000001"})
    assert db.PIN_COOKIE not in response.cookies


def test_values_computed_from_the_replica_are_cached_briefly(with_replica, settings):
    settings.REPLICA_CACHE_SECONDS = 30
    assert db.cache_seconds(3600) == 3600  # outside a lag-tolerant scope
    with db.lag_tolerant():
        assert db.cache_seconds(3600) == 30 and db.cache_seconds(10) == 10 and db.cache_seconds(None) == 30
        with db.primary():
            assert db.cache_seconds(3600) == 3600


def test_open311_list_rendered_from_the_replica_is_cached_briefly(with_replica, settings, monkeypatch):
    """The Open311 list is read from the replica and its response cached under the list stamp:
    a copy that raced the lag must not outlive REPLICA_CACHE_SECONDS."""
    from kupang_portal.core import pagecache

    settings.REPLICA_CACHE_SECONDS = 30
    stored = []
    monkeypatch.setattr(pagecache.cache, "set", lambda key, value, timeout: stored.append((key, timeout)))
    response = HttpResponse("[]", content_type="application/json")
    request = RequestFactory().get("/api/open311/v2/requests.json")
    pagecache._store(request, response, "k-primary", {}, 600)
    with db.lag_tolerant():
        pagecache._store(request, response, "k-replica", {}, 600)
    assert stored == [("k-primary", 600), ("k-replica", 30)]
