"""The replica router: lag-tolerant reads go to ``replica`` when it is configured, nothing else does.

(A real streaming replica: tests/integration/test_replica.py.)"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from kupang_portal.core import db
from pengaduan.models import Complaint

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}


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
