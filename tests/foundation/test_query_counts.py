"""Every staff list, resident list and public page runs the same number of queries for 10 rows as
for 200 (no query per row; counts and filters that do not grow with the table)."""

import datetime as dt
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kupang_portal.accounts.roles import Role
from kupang_portal.notifications.models import Channel, Notification
from kupang_portal.organization.models import Kelurahan, Office
from kupang_portal.workflow.models import CaseEvent
from layanan.constants import ApplicationStatus
from layanan.models import Application, Service
from pengaduan.models import Category, Complaint, Status
from tests import factories

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


def add_applications(user, n):
    services = list(Service.objects.published().filter(office__code="DISDUKCAPIL")[:3])
    office = Office.objects.get(code="DISDUKCAPIL")
    now = timezone.now()
    states = [ApplicationStatus.SUBMITTED, ApplicationStatus.VERIFIED, ApplicationStatus.COMPLETED]
    rows = []
    for i in range(n):
        status = states[i % len(states)]
        rows.append(Application(
            service=services[i % len(services)], applicant=user, status=status, office=office,
            number=f"QC-2026-{next(_serial):06d}", applicant_name="Maria Ndolu", applicant_nik="5371014512920004",
            deadline=now + dt.timedelta(days=i % 9), is_open=status != ApplicationStatus.COMPLETED, submitted_at=now,
        ))
    Application.objects.bulk_create(rows)


def add_complaints(user, n):
    categories = list(Category.objects.filter(is_active=True)[:3])
    office = Office.objects.get(code="DLHK")
    kelurahan = Kelurahan.objects.first()
    now = timezone.now()
    states = [Status.SUBMITTED, Status.DISPOSED, Status.CLOSED]
    rows = []
    for i in range(n):
        status = states[i % len(states)]
        rows.append(Complaint(
            number=f"QCA-2026-{next(_serial):06d}", reporter=user, category=categories[i % len(categories)], status=status,
            office=office if status != Status.SUBMITTED else None, proposed_office=office, kelurahan=kelurahan,
            title="Sampah", description="Sampah menumpuk.", deadline=now + dt.timedelta(days=i % 9),
            is_open=status != Status.CLOSED, submitted_at=now,
        ))
    Complaint.objects.bulk_create(rows)


def add_notifications(user, n):
    Notification.objects.bulk_create([
        Notification(recipient=user, channel=Channel.INAPP, event="application_completed", subject="Selesai",
                     body="Permohonan selesai.", status=Notification.Status.SENT, case_number=f"QC-{i}")
        for i in range(n)
    ])


def add_events(case, n):
    ct = ContentType.objects.get_for_model(type(case))
    CaseEvent.objects.bulk_create([
        CaseEvent(content_type=ct, object_id=case.pk, transition="note", transition_label="Catatan", from_state=case.status,
                  to_state=case.status, actor_label="Sistem", is_public=True)
        for _ in range(n)
    ])


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def same_for_10_and_200(client, url, add):
    add(10)
    queries(client, url)  # warm-up: per-process caches (content types, holidays, session)
    few = queries(client, url)
    add(190)
    many = queries(client, url)
    assert many == few, f"{url}: {few} queries for 10 rows, {many} for 200"


@pytest.fixture
def resident():
    return factories.resident(first_name="Maria", last_name="Ndolu")


@pytest.mark.parametrize("role,office,url,kind", [
    (Role.CLERK, "DISDUKCAPIL", "/admin/layanan/application/", "applications"),
    (Role.SUPERVISOR, None, "/admin/layanan/application/", "applications"),
    (Role.CLERK, "DLHK", "/admin/pengaduan/complaint/", "complaints"),
    (Role.VERIFIER, "BAG_ORGANISASI", "/admin/pengaduan/complaint/", "complaints"),
    (Role.SUPERVISOR, None, "/admin/pengaduan/complaint/", "complaints"),
])
def test_staff_queues(client, resident, role, office, url, kind):
    staff = factories.staff(role, office)
    client.force_login(staff)
    add = {"applications": add_applications, "complaints": add_complaints}[kind]
    same_for_10_and_200(client, url, lambda n: add(resident, n))


@pytest.mark.parametrize("url", ["/admin/layanan/application/?status=submitted", "/admin/pengaduan/complaint/?status=disposed&sla=on_time"])
def test_filtered_staff_queues(client, resident, url):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    add = add_applications if "layanan" in url else add_complaints
    same_for_10_and_200(client, url, lambda n: add(resident, n))


@pytest.mark.parametrize("url,add", [
    ("/admin/notifications/notification/", add_notifications),
    ("/admin/accounts/user/", lambda user, n: [factories.resident() for _ in range(n)]),
])
def test_other_admin_lists(client, resident, url, add):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    same_for_10_and_200(client, url, lambda n: add(resident, n))


@pytest.mark.parametrize("url,add", [
    ("/layanan/permohonan/", add_applications),
    ("/pengaduan/", add_complaints),
    ("/akun/notifikasi/", add_notifications),
])
def test_resident_lists(client, resident, url, add):
    client.force_login(resident)
    same_for_10_and_200(client, url, lambda n: add(resident, n))


@pytest.mark.parametrize("url,add,shown", [
    ("/pengaduan/?page={}", add_complaints, "/pengaduan/QCA-"),
    ("/layanan/permohonan/?page={}", add_applications, 'data-testid="application-QC-'),
])
def test_resident_lists_are_paginated_with_constant_queries(client, resident, url, add, shown):
    """The first and the last page read one page of rows: 10 rows or 200, the same queries."""
    client.force_login(resident)
    add(resident, 10)
    queries(client, url.format(1))  # warm-up
    few = queries(client, url.format(1))
    add(resident, 190)
    many_first, many_last = queries(client, url.format(1)), queries(client, url.format(10))
    assert few == many_first == many_last, f"{url}: {few} queries for 10 rows, {many_first} / {many_last} for 200"
    first, last = client.get(url.format(1)).content.decode(), client.get(url.format(10)).content.decode()
    assert first.count(shown) == last.count(shown) == 20
    assert "1 / 10" in first and "10 / 10" in last


@pytest.mark.parametrize("url", ["/", "/layanan/", "/layanan/ktp-el-baru/"])
def test_public_pages_do_not_grow_with_cases(client, resident, url):
    if url.count("/") == 3:
        url = Service.objects.published().first().get_absolute_url()
    same_for_10_and_200(client, url, lambda n: (add_applications(resident, n), add_complaints(resident, n)))


def test_public_catalogue_does_not_grow_with_services(client):
    office = Office.objects.get(code="DISDUKCAPIL")

    def add(n):
        start = Service.objects.count()
        Service.objects.bulk_create([
            Service(code=f"QC{start + i}", slug=f"qc-{start + i}", name=f"Layanan uji {i}", category=Service.objects.first().category,
                    office=office, number_prefix="QC", is_popular=True)
            for i in range(n)
        ])

    same_for_10_and_200(client, "/layanan/", add)


@pytest.mark.parametrize("kind", ["application", "complaint"])
def test_public_tracking_page_does_not_grow_with_the_timeline(client, resident, kind):
    if kind == "application":
        add_applications(resident, 1)
        case = Application.objects.get(applicant=resident)
    else:
        add_complaints(resident, 2)
        case = Complaint.objects.filter(reporter=resident, status=Status.DISPOSED).first()
        Complaint.objects.filter(pk=case.pk).update(is_confidential=False)
    same_for_10_and_200(client, f"/lacak/{case.number}/", lambda n: add_events(case, n))
