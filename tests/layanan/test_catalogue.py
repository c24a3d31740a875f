import pytest
from django.urls import reverse

from layanan.constants import Category
from layanan.models import Service

pytestmark = pytest.mark.django_db


def test_catalogue_has_17_services_with_offices_and_fees():
    assert Service.objects.count() == 17
    population = Service.objects.filter(category=Category.POPULATION)
    business = Service.objects.filter(category=Category.BUSINESS)
    assert population.count() == 11 and business.count() == 6
    assert set(population.values_list("office__code", flat=True)) == {"DISDUKCAPIL"}
    assert set(business.values_list("office__code", flat=True)) == {"DPMPTSP"}
    assert all(s.fee_amount == 0 and "79A" in s.fee_basis for s in population)
    pbg = Service.objects.get(code="PBG")
    assert pbg.fee_amount is None and "Retribusi" in pbg.fee_text
    assert pbg.completion_days == 28 and pbg.unconfirmed
    assert [s.office.code for s in pbg.chain()] == ["DPMPTSP", "PUPR", "DPMPTSP"]
    assert [s.office.code for s in Service.objects.get(code="SIP_NAKES").chain()][1] == "DINKES"
    prefixes = set(Service.objects.values_list("number_prefix", flat=True))
    assert prefixes == {"KTP", "KK", "AKL", "AKM", "PDH", "KIA", "AKW", "AKC", "NIB", "PBG", "SLF", "RKL", "SIP", "IUM"}
    assert all(s.requirements.filter(is_required=True).exists() for s in Service.objects.all())


def test_catalogue_page_search_and_filters(client):
    response = client.get(reverse("layanan:catalogue"))
    assert response.status_code == 200
    assert "Penerbitan KTP-el baru" in response.content.decode()
    body = client.get(reverse("layanan:catalogue"), {"q": "akta"}).content.decode()
    assert "Kutipan Akta Kelahiran" in body and "Persetujuan Bangunan Gedung" not in body
    body = client.get(reverse("layanan:catalogue"), {"opd": "PUPR"}).content.decode()
    assert "Persetujuan Bangunan Gedung" in body and "KTP-el" not in body
    body = client.get(reverse("layanan:catalogue"), {"kategori": "perizinan"}).content.decode()
    assert "Nomor Induk Berusaha" in body and "Kartu Keluarga baru" not in body
    body = client.get(reverse("layanan:catalogue"), {"q": "tidak-ada-xyz", "kategori": "bogus"}).content.decode()
    assert 'data-testid="catalogue-empty"' in body


def test_service_page_shows_standard(client):
    body = client.get("/layanan/pbg/").content.decode()
    assert "Persyaratan" in body and "28 hari kerja" in body and "PUPR" in body
    body = client.get("/layanan/ktp-el-baru/").content.decode()
    assert "Gratis (Rp0)" in body
    assert client.get("/layanan/tidak-ada/").status_code == 404


def test_home_page_slots(client):
    body = client.get("/").content.decode()
    assert 'data-testid="home-apply"' in body and 'data-testid="home-popular-services"' in body
    assert 'data-testid="nav-layanan"' in body


def test_apply_requires_login(client):
    response = client.get("/layanan/ktp-el-baru/ajukan/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
