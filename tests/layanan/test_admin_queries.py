"""The clerk's queue costs the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import make_submitted

pytestmark = pytest.mark.django_db


def queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/layanan/application/").status_code == 200
    return len(queries)


def test_queue_has_no_query_per_row(client, resident, clerk_dpmptsp):
    client.force_login(clerk_dpmptsp)
    make_submitted(resident, "PBG")
    queue_queries(client)  # the first page also fills per-user caches (the unread-notification count)
    few = queue_queries(client)
    for code in ("PBG", "SLF", "NIB_OSS", "PBG"):
        make_submitted(resident, code)
    assert queue_queries(client) == few


def test_queue_is_ordered_by_deadline_open_cases_first(client, resident, clerk):
    import datetime as dt

    from django.utils import timezone

    from layanan.models import Application

    later, sooner, closed = (make_submitted(resident) for _ in range(3))
    now = timezone.now()
    Application.objects.filter(pk=later.pk).update(deadline=now + dt.timedelta(days=9))
    Application.objects.filter(pk=sooner.pk).update(deadline=now + dt.timedelta(days=2))
    Application.objects.filter(pk=closed.pk).update(deadline=now - dt.timedelta(days=9), status="completed", is_open=False)
    client.force_login(clerk)
    assert closed.number not in client.get("/admin/layanan/application/").content.decode()  # open cases by default
    page = client.get("/admin/layanan/application/?keadaan=all").content.decode()
    positions = [page.index(app.number) for app in (sooner, later, closed)]
    assert positions == sorted(positions)
