"""Points 10, 11 and 16 of the journeys issue: service pages in clean Indonesian (no English
research notes, raw dicts or source ids; a legal basis everywhere; the "unconfirmed" banner for
staff only), no fee on population documents, and the in-person step of KTP-el and KIA spelled out
on the page and in the completion notice."""

import re

import pytest

from kupang_portal.accounts.roles import Role
from kupang_portal.notifications.models import Notification
from kupang_portal.workflow import engine
from layanan.catalogue import clean_service_texts
from layanan.models import Service
from tests import factories

from .conftest import make_submitted

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(statement|examples?|covers|issued by|handled|assists|verifies|Under|replaces|regulation|"
                     r"not found|unconfirmed|truncated|per Dirjen|other regenc|fiktif positif)\b", re.I)


def _main(html):
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_every_service_page_is_clean_indonesian_with_a_legal_basis(client):
    services = list(Service.objects.filter(is_published=True))
    assert len(services) == 17
    for service in services:
        body = _main(client.get(service.get_absolute_url()).content.decode())
        assert "{'" not in body and "{&#x27;" not in body, service.code  # no raw dict
        assert not re.search(r"\(S\d+\)|\bS\d{2}\b", body), service.code  # no source ids
        assert not ENGLISH.search(body), (service.code, ENGLISH.search(body).group(0))
        assert "terkonfirmasi" not in body and "konfirmasi resmi" not in body, service.code  # staff-only notes
        basis = body.split('data-testid="service-legal-basis">')[1].split("<")[0].strip()
        assert len(basis) > 10, service.code


def test_divorce_certificate_page_has_no_raw_dict(client):
    body = client.get(Service.objects.get(code="AKTA_PERCERAIAN").get_absolute_url()).content.decode()
    assert "unconfirmed" not in body and "60 hari sejak putusan pengadilan berkekuatan hukum tetap" in body


def test_unconfirmed_banner_only_for_staff(client):
    ktp = Service.objects.get(code="KTP_EL_BARU")
    assert ktp.unconfirmed
    assert 'data-testid="unconfirmed-banner"' not in client.get(ktp.get_absolute_url()).content.decode()
    client.force_login(factories.staff(Role.CLERK, "DISDUKCAPIL"))
    assert 'data-testid="unconfirmed-banner"' in client.get(ktp.get_absolute_url()).content.decode()


def test_old_research_notes_are_cleaned_by_the_migration_helper():
    pbg = Service.objects.get(code="PBG")
    Service.objects.filter(pk=pbg.pk).update(legal_basis="PP 16/2021", fee_basis="retribusi PBG per Perda (Indeks x luas x tarif)")
    perceraian = Service.objects.get(code="AKTA_PERCERAIAN")
    Service.objects.filter(pk=perceraian.pk).update(eligibility=str({"value": "60 hari sejak putusan berkekuatan hukum tetap", "unconfirmed": True}),
                                                    legal_basis="")
    edited = Service.objects.get(code="KIA")
    Service.objects.filter(pk=edited.pk).update(legal_basis="Perwali Kupang 1/2026 (diubah admin)")
    clean_service_texts()
    pbg.refresh_from_db()
    perceraian.refresh_from_db()
    edited.refresh_from_db()
    assert pbg.legal_basis.startswith("PP 16/2021 tentang") and "(indeks × luas × tarif)" in pbg.fee_basis
    assert perceraian.eligibility.startswith("Dilaporkan paling lambat 60 hari") and perceraian.legal_basis
    assert edited.legal_basis == "Perwali Kupang 1/2026 (diubah admin)"  # an admin's text stays


def test_admin_refuses_a_fee_on_population_documents(client):
    admin_user = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    ktp = Service.objects.get(code="KTP_EL_BARU")
    page = client.get(f"/admin/layanan/service/{ktp.pk}/change/")
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"office": ktp.office_id, "fee_amount": "50000", "is_published": "on"})
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for index, inline_form in enumerate(formset.forms):
            for name, value in inline_form.initial.items():
                data[f"{formset.prefix}-{index}-{name}"] = value if value is not None else ""
    response = client.post(f"/admin/layanan/service/{ktp.pk}/change/", data)
    assert response.status_code == 200
    assert "UU 24/2013 Pasal 79A" in response.content.decode()
    ktp.refresh_from_db()
    assert ktp.fee_amount == 0


@pytest.mark.parametrize("code", ["KTP_EL_BARU", "KIA"])
def test_in_person_step_on_the_service_page(client, code):
    body = client.get(Service.objects.get(code=code).get_absolute_url()).content.decode()
    step = body.split('data-testid="in-person-step">')[1].split("</div>")[0]
    assert "Jl. Timor Raya" in step and "hari kerja" in step


def test_online_service_has_no_in_person_notice(client):
    body = client.get(Service.objects.get(code="NIB_OSS").get_absolute_url()).content.decode()
    assert 'data-testid="in-person-step"' not in body


def test_completion_notice_says_where_and_when():
    resident = factories.resident()
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    app = make_submitted(resident, "KTP_EL_BARU")
    for name in ("verify", "process"):
        engine.perform(app, name, clerk)
    from .conftest import pdf_file

    engine.perform(app, "complete", clerk, data={"issued_document": pdf_file("ktp.pdf")})
    notice = Notification.objects.get(recipient=resident, event="application_completed", channel="inapp")
    assert "Jl. Timor Raya" in notice.body and "hari kerja" in notice.body
