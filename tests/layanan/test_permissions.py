import pytest
from django.urls import reverse

from layanan.constants import ApplicationStatus as S

from .conftest import make_submitted, pdf_file

pytestmark = pytest.mark.django_db


def test_resident_sees_own_and_404_for_others(client, resident, other_resident):
    mine = make_submitted(resident)
    theirs = make_submitted(other_resident)
    client.force_login(resident)
    assert client.get(f"/layanan/permohonan/{mine.number}/").status_code == 200
    assert client.get(f"/layanan/permohonan/{theirs.number}/").status_code == 404
    assert client.get(f"/layanan/permohonan/{theirs.number}/bukti.pdf").status_code == 404
    doc = theirs.documents.first()
    assert client.get(f"/layanan/permohonan/{theirs.number}/berkas/{doc.pk}/").status_code == 404
    # own number with another's document id
    assert client.get(f"/layanan/permohonan/{mine.number}/berkas/{doc.pk}/").status_code == 404
    assert client.post(f"/layanan/permohonan/{theirs.number}/batalkan/").status_code == 404
    assert client.post(f"/layanan/permohonan/{theirs.number}/perbaikan/").status_code == 404
    assert client.get("/layanan/permohonan/TIDAK-ADA-1/").status_code == 404
    own_doc = mine.documents.first()
    response = client.get(f"/layanan/permohonan/{mine.number}/berkas/{own_doc.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    body = client.get("/layanan/permohonan/").content.decode()
    assert mine.number in body and theirs.number not in body


def test_anonymous_is_sent_to_login(client, resident):
    app = make_submitted(resident)
    response = client.get(f"/layanan/permohonan/{app.number}/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_clerk_of_other_office_sees_nothing(client, resident, clerk, clerk_dpmptsp):
    app = make_submitted(resident)  # DISDUKCAPIL
    doc = app.documents.first()
    client.force_login(clerk_dpmptsp)
    changelist = client.get(reverse("admin:layanan_application_changelist"))
    assert changelist.status_code == 200 and app.number not in changelist.content.decode()
    assert client.get(reverse("admin:layanan_application_change", args=[app.pk])).status_code == 404
    assert client.get(reverse("admin:layanan_application_history", args=[app.pk])).status_code == 404
    assert client.get(reverse("admin:layanan_application_document", args=[app.pk, doc.pk])).status_code == 404
    assert client.get(reverse("admin:layanan_application_transition", args=[app.pk, "verify"])).status_code == 404
    assert client.post(reverse("admin:layanan_application_transition", args=[app.pk, "verify"]), {"version": app.version}).status_code == 404
    app.refresh_from_db()
    assert app.status == S.SUBMITTED


def test_clerk_of_own_office_works_in_admin(client, resident, clerk):
    app = make_submitted(resident)
    doc = app.documents.first()
    client.force_login(clerk)
    body = client.get(reverse("admin:layanan_application_changelist")).content.decode()
    assert app.number in body and "537101******0004" in body and "5371014512920004" not in body
    body = client.get(reverse("admin:layanan_application_changelist"), {"q": "5371014512920004"}).content.decode()
    assert app.number in body
    page = client.get(reverse("admin:layanan_application_change", args=[app.pk]))
    assert page.status_code == 200 and 'data-testid="action-verify"' in page.content.decode()
    response = client.get(reverse("admin:layanan_application_document", args=[app.pk, doc.pk]))
    assert response.status_code == 200
    # request a revision without a reason -> message, nothing changes
    url = reverse("admin:layanan_application_transition", args=[app.pk, "request_revision"])
    response = client.post(url, {"version": app.version, "note": ""})
    assert response.status_code == 200
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    client.post(url, {"version": app.version, "note": "KK buram"})
    app.refresh_from_db()
    assert app.status == S.NEEDS_REVISION and app.sla_paused


def test_complete_form_refuses_bad_issued_document(client, resident, clerk):
    from kupang_portal.workflow import engine

    from .conftest import exe_as_pdf

    app = make_submitted(resident)
    engine.perform(app, "verify", clerk)
    engine.perform(app, "process", clerk)
    client.force_login(clerk)
    url = reverse("admin:layanan_application_transition", args=[app.pk, "complete"])
    response = client.post(url, {"version": app.version, "issued_document": exe_as_pdf()})
    assert response.status_code == 200 and "bukan PDF" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.IN_PROCESS
    client.post(url, {"version": app.version, "issued_document": pdf_file("hasil.pdf")})
    app.refresh_from_db()
    assert app.status == S.COMPLETED and app.issued_document()


def test_drafts_are_not_in_the_staff_queue(client, resident):
    from tests import factories

    from .conftest import make_draft

    draft = make_draft(resident)
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:layanan_application_change", args=[draft.pk])).status_code in (302, 404)


def test_role_groups_have_view_permissions(db):
    from django.contrib.auth.models import Group

    petugas = Group.objects.get(name="Petugas")
    assert petugas.permissions.filter(codename="view_application").exists()
    admin = Group.objects.get(name="Admin")
    assert admin.permissions.filter(codename="change_service").exists()


def test_transition_page_renders_on_get(client, resident, clerk):
    app = make_submitted(resident)
    client.force_login(clerk)
    response = client.get(reverse("admin:layanan_application_transition", args=[app.pk, "request_revision"]), {"version": app.version})
    assert response.status_code == 200 and f'value="{app.version}"' in response.content.decode()
    complete = reverse("admin:layanan_application_transition", args=[app.pk, "complete"])
    response = client.get(complete)  # not offered before the application is in process
    assert response.status_code == 302 and response["Location"].endswith(f"/{app.pk}/change/")
    from kupang_portal.workflow import engine

    engine.perform(app, "verify_and_process", clerk)
    response = client.get(complete)
    assert response.status_code == 200 and 'name="issued_document"' in response.content.decode()
