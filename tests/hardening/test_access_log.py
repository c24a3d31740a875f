"""Issue 12, item 13: staff views of personal data are recorded (who, when, which case, from
where); office heads and admins read the record per case and per staff member; the resident sees
which office opened the case, never a name."""

import pytest
from django.test import Client

from kupang_portal.accounts.roles import Role
from kupang_portal.workflow.models import CaseAccess
from pengaduan import services as complaint_services
from tests import factories
from tests.layanan.conftest import make_submitted
from tests.pengaduan.conftest import file_complaint, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "resident": factories.resident(username="maria.akses", first_name="Maria", last_name="Ndolu"),
        "clerk": factories.staff(Role.CLERK, "DISDUKCAPIL", username="yohanes.bria", first_name="Yohanes", last_name="Bria"),
        "head": factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL", username="kadis.akses"),
        "other_head": factories.staff(Role.OFFICE_HEAD, "PUPR", username="kadis.pupr"),
        "admin": factories.UserFactory(username="it.akses", is_staff=True, is_superuser=True),
    }


def staff_client(user, ip="10.10.0.5"):
    client = Client(REMOTE_ADDR=ip)
    client.force_login(user)
    return client


def test_application_view_and_document_download_are_recorded(people):
    application = make_submitted(people["resident"])
    clerk = staff_client(people["clerk"], ip="10.10.0.5")
    change = f"/admin/layanan/application/{application.pk}/change/"
    assert clerk.get(change).status_code == 200
    doc = application.documents.first()
    assert clerk.get(f"/admin/layanan/application/{application.pk}/berkas/{doc.pk}/").status_code == 200
    rows = list(CaseAccess.objects.order_by("pk").values_list("case_number", "user__username", "office__code", "action", "ip_address"))
    assert rows == [
        (application.number, "yohanes.bria", "DISDUKCAPIL", "view", "10.10.0.5"),
        (application.number, "yohanes.bria", "DISDUKCAPIL", "document", "10.10.0.5"),
    ]
    # The queue itself records nothing and costs no query per row.
    before = CaseAccess.objects.count()
    clerk.get("/admin/layanan/application/")
    assert CaseAccess.objects.count() == before


def test_office_head_and_admin_read_the_record_per_case_and_per_staff_member(people):
    application = make_submitted(people["resident"])
    staff_client(people["clerk"]).get(f"/admin/layanan/application/{application.pk}/change/")
    change = f"/admin/layanan/application/{application.pk}/change/"
    # On the case page: the head of the office and the admin see the log, the clerk does not.
    head_page = staff_client(people["head"]).get(change).content.decode()
    assert 'data-testid="case-access-log"' in head_page and "Yohanes Bria" in head_page and "10.10.0.5" in head_page
    assert 'data-testid="case-access-log"' in staff_client(people["admin"]).get(change).content.decode()
    assert 'data-testid="case-access-log"' not in staff_client(people["clerk"]).get(change).content.decode()
    # Per staff member: the access list filtered by user.
    clerk_id = people["clerk"].pk
    listing = staff_client(people["head"]).get(f"/admin/workflow/caseaccess/?user__id__exact={clerk_id}")
    assert listing.status_code == 200 and application.number in listing.content.decode()
    # Another office's head sees nothing of Dukcapil's record; a clerk has no access list.
    other = staff_client(people["other_head"]).get("/admin/workflow/caseaccess/")
    assert other.status_code == 200 and application.number not in other.content.decode()
    assert application.number in staff_client(people["admin"]).get("/admin/workflow/caseaccess/").content.decode()
    assert staff_client(people["clerk"]).get("/admin/workflow/caseaccess/").status_code == 403


def test_resident_sees_which_office_opened_the_case_not_who(people):
    application = make_submitted(people["resident"])
    resident = Client()
    resident.force_login(people["resident"])
    page = resident.get(f"/layanan/permohonan/{application.number}/").content.decode()
    assert "Belum ada petugas yang membuka data Anda" in page
    staff_client(people["clerk"]).get(f"/admin/layanan/application/{application.pk}/change/")
    page = resident.get(f"/layanan/permohonan/{application.number}/").content.decode()
    section = page.split('data-testid="opened-by"')[1].split("</section>")[0]
    assert "Dinas Kependudukan" in section and "Yohanes" not in section and "yohanes.bria" not in section


def test_complaint_page_and_photo_are_recorded_for_the_reporter_to_see(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kupang_portal.core import uploads

    desk = factories.staff(Role.VERIFIER, "BAG_ORGANISASI", username="meja.akses")
    dlhk = factories.staff(Role.CLERK, "DLHK", username="dlhk.akses")
    photo = uploads.check_upload(SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"), allowed=uploads.ALLOWED_PHOTO_TYPES)
    complaint = file_complaint(people["resident"], photos=[photo]).complaint
    complaint_services.dispose(complaint, desk)
    clerk = staff_client(dlhk, ip="10.30.0.9")
    clerk.get(f"/admin/pengaduan/complaint/{complaint.pk}/change/")
    clerk.get(f"/pengaduan/staf/foto/{complaint.photos.get().pk}/")
    assert list(CaseAccess.objects.order_by("pk").values_list("action", "office__code", "ip_address")) == [
        ("view", "DLHK", "10.30.0.9"), ("photo", "DLHK", "10.30.0.9")]
    reporter = Client()
    reporter.force_login(people["resident"])
    page = reporter.get(f"/pengaduan/{complaint.number}/").content.decode()
    assert 'data-testid="opened-by"' in page and "Lingkungan Hidup" in page and "dlhk.akses" not in page
