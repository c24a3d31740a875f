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
    few = queue_queries(client)
    for code in ("PBG", "SLF", "NIB_OSS", "PBG"):
        make_submitted(resident, code)
    assert queue_queries(client) == few
