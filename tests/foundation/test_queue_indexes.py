"""The staff queues' order is served by an index, with and without the status filter, so a page
reads its 50 index entries however many cases an office has (EXPLAIN at 1M: docs/performance.md).

The first test ties the indexes to ``CaseAdmin.get_ordering``: change one without the other and it
fails. The second reads PostgreSQL's plan of the page's real query on a few thousand closed
complaints without a deadline (the case that made the desk read and sort every one of them)."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kupang_portal.accounts.roles import Role
from kupang_portal.organization.models import Office
from layanan.models import Application
from pengaduan.models import Category, Complaint, Status
from tests import factories

pytestmark = pytest.mark.django_db
QUEUE_ORDER = 'ORDER BY "pengaduan_complaint"."is_open" DESC'


def index_fields(expression):
    """``F("is_open").desc()`` → ``"-is_open"``; ascending → the bare name."""
    name = expression.expression.name if hasattr(expression, "expression") else expression.name
    return f"-{name}" if getattr(expression, "descending", False) else name


@pytest.mark.parametrize("model", [Application, Complaint])
def test_queue_indexes_follow_the_queue_order(model):
    admin = site._registry[model]
    order = [index_fields(e) for e in admin.get_ordering(RequestFactory().get("/"))]
    assert order == ["-is_open", "deadline", "created_at"]
    indexed = [list(index.fields) for index in model._meta.indexes if index.condition is None]
    assert ["office", *order] in indexed  # the queue of an office
    assert ["office", "status", *order] in indexed  # the same queue filtered by ?status=


def desk_complaints(n, status):
    desk = Office.objects.get(code="BAG_ORGANISASI")
    category = Category.objects.filter(is_active=True).first()
    start = timezone.now() - dt.timedelta(days=400)
    open_ = status == Status.SUBMITTED
    Complaint.objects.bulk_create([
        Complaint(number=f"IDX-2026-{i:06d}", category=category, office=desk, status=status, is_open=open_,
                  title="Bukan kewenangan", description="Ditolak.", deadline=None, submitted_at=start,
                  created_at=start + dt.timedelta(minutes=i))
        for i in range(n)
    ], batch_size=1000)


@pytest.mark.parametrize("url,status", [
    ("/admin/pengaduan/complaint/?status=submitted", Status.SUBMITTED),
    ("/admin/pengaduan/complaint/?status=rejected&keadaan=closed", Status.REJECTED),
])
def test_status_filter_is_one_condition_on_the_stored_open_flag(client, url, status):
    desk_complaints(3, status)
    client.force_login(factories.staff(Role.VERIFIER, "BAG_ORGANISASI"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    page_query = next(q["sql"] for q in captured.captured_queries if QUEUE_ORDER in q["sql"])
    where = page_query.split(" WHERE ", 1)[1]
    assert f"\"pengaduan_complaint\".\"status\" = '{status}'" in where and '"status" IN (' not in where
    assert '"pengaduan_complaint"."is_open"' in where


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's query plan")
@pytest.mark.parametrize("url", [
    "/admin/pengaduan/complaint/?status=rejected&keadaan=closed",
    "/admin/pengaduan/complaint/?keadaan=closed",
])
def test_closed_desk_queue_reads_an_index_in_order_not_a_sort_of_every_row(client, url):
    desk_complaints(4000, Status.REJECTED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pengaduan_complaint")
    client.force_login(factories.staff(Role.VERIFIER, "BAG_ORGANISASI"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    page_query = next(q["sql"] for q in captured.captured_queries if QUEUE_ORDER in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + page_query)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    scan = next(line for line in plan.splitlines() if "on pengaduan_complaint" in line)
    assert "Index Scan using complaint_" in scan and "_queue" in scan, plan
    assert "rows=51 " in scan or "rows=50 " in scan, plan  # one page read from the index, not 4,000 rows sorted
