"""Cached catalogue fragments: served from the cache, replaced after any edit to the catalogue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layanan.models import Service

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.fixture
def svc():
    return Service.objects.published().filter(requirements__isnull=False).distinct().first()


def test_catalogue_and_service_page_are_read_from_the_cache(client, svc, django_capture_on_commit_callbacks):
    svc.is_popular = True
    with django_capture_on_commit_callbacks(execute=True):
        svc.save()
    for url in ("/layanan/", svc.get_absolute_url(), "/"):
        first, cold = get(client, url)
        second, warm = get(client, url)
        assert svc.get_absolute_url() in first and svc.get_absolute_url() in second
        assert warm < cold, url


def test_editing_a_service_shows_on_every_cached_page(client, svc, django_capture_on_commit_callbacks):
    svc.is_popular = True
    with django_capture_on_commit_callbacks(execute=True):
        svc.save()
    for url in ("/layanan/", svc.get_absolute_url(), "/"):
        get(client, url)  # fill the cache
    with django_capture_on_commit_callbacks(execute=True):
        svc.name = "Layanan Baru Diubah Admin"
        svc.save()
    for url in ("/layanan/", svc.get_absolute_url(), "/"):
        assert "Layanan Baru Diubah Admin" in get(client, url)[0], url


def test_editing_a_requirement_or_an_office_shows_on_the_service_page(client, svc, django_capture_on_commit_callbacks):
    get(client, svc.get_absolute_url())
    requirement = svc.requirements.first()
    with django_capture_on_commit_callbacks(execute=True):
        requirement.name = "Surat pengantar RT bermeterai"
        requirement.save()
    assert "Surat pengantar RT bermeterai" in get(client, svc.get_absolute_url())[0]
    office = svc.office
    with django_capture_on_commit_callbacks(execute=True):
        office.name = "Dinas Uji Nama Baru"
        office.save()
    assert "Dinas Uji Nama Baru" in get(client, svc.get_absolute_url())[0]


def test_unpublishing_removes_the_service_from_the_cached_catalogue(client, svc, django_capture_on_commit_callbacks):
    assert svc.get_absolute_url() in get(client, "/layanan/")[0]
    with django_capture_on_commit_callbacks(execute=True):
        svc.is_published = False
        svc.save()
    assert svc.get_absolute_url() not in get(client, "/layanan/")[0]
    assert client.get(svc.get_absolute_url()).status_code == 404


def test_nothing_changes_before_the_commit(client, svc):
    """A rendering between the save and the commit keeps the old version (no stale fill)."""
    from layanan import fragments

    before = fragments.catalogue_version()
    svc.name = "Belum dikomit"
    svc.save()  # inside the test transaction: on_commit never runs
    assert fragments.catalogue_version() == before
