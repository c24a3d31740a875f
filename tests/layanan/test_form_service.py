"""The application form's service (with its requirements and steps) is read once per process and
catalogue version, never staler than the last committed change to the catalogue, and each
request gets its own copies."""

import pytest
from django.http import Http404

from layanan import services
from layanan.models import Requirement

from .conftest import service

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_read_once_then_without_a_query(django_assert_num_queries):
    svc = service("KTP_EL_BARU")
    first = services.form_service(svc.slug)
    with django_assert_num_queries(0):
        again = services.form_service(svc.slug)
        assert [r.pk for r in again.requirements.all()] == [r.pk for r in first.requirements.all()]
        assert again.chain() == first.chain() and again.office.pk == svc.office_id
        assert all(r.service is again for r in again.requirements.all())


def test_a_committed_change_to_the_catalogue_is_read_on_the_next_request(committed):
    svc = service("KTP_EL_BARU")
    before = services.form_service(svc.slug)
    with committed():
        added = Requirement.objects.create(service=svc, name="Surat baru", order=99, is_required=True)
    assert added.pk in [r.pk for r in services.form_service(svc.slug).requirements.all()]
    assert added.pk not in [r.pk for r in before.requirements.all()]
    with committed():
        svc.is_published = False
        svc.save()
    with pytest.raises(Http404):
        services.form_service(svc.slug)


def test_each_request_gets_its_own_copies():
    svc = service("KTP_EL_BARU")
    mine = services.form_service(svc.slug)
    mine.name = "diubah oleh satu permintaan"
    mine.requirements.all()[0].name = "diubah juga"
    other = services.form_service(svc.slug)
    assert other.name == svc.name and other.requirements.all()[0].name != "diubah juga"


def test_an_unknown_slug_is_404():
    with pytest.raises(Http404):
        services.form_service("tidak-ada")
