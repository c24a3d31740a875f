"""Role x URL matrix for the dashboards and exports; scoping is enforced in the selectors."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kupang_portal.accounts.roles import Role
from kupang_portal.dashboards import selectors, services
from kupang_portal.dashboards.filters import Filters
from kupang_portal.dashboards.models import ExportJob
from tests import factories

pytestmark = pytest.mark.django_db
PAGES = ["/dasbor/", "/dasbor/kinerja/", "/dasbor/staf/", "/dasbor/cara-menghitung/"]
EXPORT = "/dasbor/ekspor/?format=csv&isi=kasus"


@pytest.fixture
def people(db):
    return {
        "pimpinan": factories.staff(Role.SUPERVISOR),
        "kadis": factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL"),
        "verifikator": factories.staff(Role.VERIFIER, "BAG_ORGANISASI"),
        "petugas": factories.staff(Role.CLERK, "DISDUKCAPIL"),
        "warga": factories.resident(),
        "staf_tanpa_peran": factories.UserFactory(is_staff=True),
    }


@pytest.mark.parametrize("url", PAGES + [EXPORT])
def test_anonymous_visitors_go_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["warga", "staf_tanpa_peran"])
@pytest.mark.parametrize("url", PAGES + [EXPORT])
def test_residents_and_staff_without_a_dashboard_role_get_403(client, people, who, url):
    client.force_login(people[who])
    assert (client.post if url == EXPORT else client.get)(url).status_code == 403
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("who", ["pimpinan", "kadis", "verifikator", "petugas"])
@pytest.mark.parametrize("url", PAGES)
def test_dashboard_roles_see_the_pages(client, people, who, url):
    client.force_login(people[who])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"].find("unsafe-inline") == -1


@pytest.mark.parametrize("who", ["pimpinan", "kadis", "verifikator", "petugas"])
def test_exports_start_redirect_and_are_owner_only(client, people, who, django_capture_on_commit_callbacks):
    client.force_login(people[who])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT)
    job = ExportJob.objects.get(owner=people[who])
    assert response.status_code == 302 and response["Location"] == f"/dasbor/ekspor/{job.pk}/"
    assert client.get(f"/dasbor/ekspor/{job.pk}/").status_code == 200
    assert client.get(f"/dasbor/ekspor/{job.pk}/unduh/").status_code == 200  # the job ran on commit (eager Celery)
    for other in ("pimpinan", "kadis", "verifikator", "petugas"):
        if other == who:
            continue
        client.force_login(people[other])
        assert client.get(f"/dasbor/ekspor/{job.pk}/").status_code == 404
        assert client.get(f"/dasbor/ekspor/{job.pk}/unduh/").status_code == 404


def test_an_export_is_started_only_by_a_post_from_the_portals_page(client, people):
    """Starting an export records a job in the person's name and runs it: a link, an image or
    another site's form must not do that (GET refused, POST needs the page's CSRF token)."""
    from django.test import Client

    client.force_login(people["pimpinan"])
    assert client.get(EXPORT).status_code == 405
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(people["pimpinan"])
    assert forged.post(EXPORT).status_code == 403
    assert not ExportJob.objects.exists()
    page = client.get("/dasbor/kinerja/").content.decode()
    assert 'method="post" action="/dasbor/ekspor/?format=csv&amp;isi=kasus' in page and "csrfmiddlewaretoken" in page


def test_bad_export_parameters_get_a_message_not_an_error(client, people):
    client.force_login(people["pimpinan"])
    for query in ("format=pdf", "format=csv&isi=semua", "format=csv&angka=gaji"):
        response = client.post(f"/dasbor/ekspor/?{query}")
        assert response.status_code == 400 and "tidak dikenali" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_bad_filters_show_a_message_and_the_default_period(client, people):
    client.force_login(people["pimpinan"])
    response = client.get("/dasbor/?periode=kustom&dari=2026-11-30&sampai=2026-11-01")
    assert response.status_code == 200
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in response.content.decode()
    response = client.get("/dasbor/kinerja/?dari=bukan-tanggal&opd=999999")
    assert response.status_code == 200


def test_scopes_by_role(people):
    from kupang_portal.organization.models import Office

    dukcapil = Office.objects.get(code="DISDUKCAPIL").pk
    assert selectors.scope_for(people["pimpinan"]).office_ids is None
    assert selectors.scope_for(people["kadis"]).office_ids == {dukcapil}
    assert selectors.scope_for(people["kadis"]).staff_all
    verifier = selectors.scope_for(people["verifikator"])
    assert verifier.office_ids is None and verifier.case_types == {"pengaduan"}
    clerk = selectors.scope_for(people["petugas"])
    assert clerk.office_ids == {dukcapil} and not clerk.staff_all
    for who in ("warga", "staf_tanpa_peran"):
        with pytest.raises(PermissionDenied):
            selectors.scope_for(people[who])


def test_office_head_figures_are_only_their_office(november):
    """kadis.dukcapil sees Dukcapil's applications and nothing of DLHK's complaints."""
    services.fill_range(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    period = Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), preset="kustom")
    head = selectors.period_figures(selectors.scope_for(november.head), period, use_cache=False)
    assert head["layanan"]["received"] == 6 and head["pengaduan"]["received"] == 0
    desk = selectors.period_figures(selectors.scope_for(november.verifier), period, use_cache=False)
    assert desk["types"] == ["pengaduan"] and desk["pengaduan"]["received"] == 5
    # Another office's id in the query string does not widen the scope.
    other = Filters(start=period.start, end=period.end, preset="kustom", office=november.complaints[0].office_id)
    assert selectors.period_figures(selectors.scope_for(november.head), other, use_cache=False)["total"]["received"] == 0


def test_the_desk_is_offered_links_only_to_what_its_admin_opens(client, people):
    """The desk's dashboard counts every complaint; its admin shows the desk's. A count linked to a
    queue holding fewer cases, and another office's case linked to a page answering "does not
    exist, perhaps deleted", were dead ends: those are shown without a link."""
    from pengaduan import services as complaint_services
    from tests.pengaduan.conftest import file_complaint

    at_desk = file_complaint(factories.resident(), route=False).complaint
    disposed = file_complaint(factories.resident(), title="Sampah di pasar").complaint  # routed: DLHK proposed
    complaint_services.dispose(disposed, people["verifikator"], disposed.proposed_office)
    disposed.refresh_from_db()
    assert disposed.office.code != "BAG_ORGANISASI"
    client.force_login(people["verifikator"])
    html = client.get("/dasbor/").content.decode()
    oldest = html.split('data-testid="oldest"')[1]
    assert f'/admin/pengaduan/complaint/{at_desk.pk}/change/">{at_desk.number}</a>' in oldest
    assert disposed.number in oldest and f"/admin/pengaduan/complaint/{disposed.pk}/change/" not in oldest
    assert client.get(f"/admin/pengaduan/complaint/{disposed.pk}/change/").status_code == 404  # indeed not opened
    assert "?pengecualian=" not in html and 'data-testid="exceptions-counts-only"' in html
    # Roles whose admin opens every case they count keep their links.
    client.force_login(people["pimpinan"])
    html = client.get("/dasbor/").content.decode()
    assert "?pengecualian=" in html and f"/admin/pengaduan/complaint/{disposed.pk}/change/" in html
    assert 'data-testid="exceptions-counts-only"' not in html
