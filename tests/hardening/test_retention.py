"""Issue 12, item 14: personal data removed after the retention period, idempotently, with a
dry run; figures and history stay."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from kupang_portal.accounts.roles import Role
from kupang_portal.core import retention, uploads
from kupang_portal.core.tasks import periodic_retention
from kupang_portal.notifications.models import Notification
from kupang_portal.workflow.engine import perform
from layanan.constants import DocumentKind
from layanan.models import Application, ApplicationDocument
from pengaduan import services as complaint_services
from pengaduan.models import Complaint, ComplaintPhoto, Status
from tests import factories
from tests.layanan.conftest import make_submitted, pdf_file
from tests.pengaduan.conftest import file_complaint, png_bytes

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def closed_days_ago(obj, days):
    type(obj).objects.filter(pk=obj.pk).update(closed_at=NOW - dt.timedelta(days=days))


def closed_complaint(reporter, desk, clerk, days):
    photo = uploads.check_upload(SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"), allowed=uploads.ALLOWED_PHOTO_TYPES)
    complaint = file_complaint(reporter, photos=[photo]).complaint
    complaint_services.dispose(complaint, desk)
    complaint_services.respond(complaint, clerk, "Sudah diangkut.")
    complaint.refresh_from_db()
    perform(complaint, "close", reporter)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and not complaint.is_open
    closed_days_ago(complaint, days)
    return complaint


def completed_application(resident, clerk, days):
    app = make_submitted(resident)
    for name in ("verify", "process"):
        perform(app, name, clerk)
    perform(app, "complete", clerk, data={"issued_document": pdf_file("ktp.pdf")})
    app.refresh_from_db()
    closed_days_ago(app, days)
    return app


def dry_run_output():
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    return out.getvalue()


def test_complaint_reporter_and_photos_removed_after_two_years_figures_and_history_stay(settings):
    assert settings.RETENTION_COMPLAINT_DAYS == 730
    reporter = factories.resident(username="yosefina.ret", phone="+6281299911111", notify_whatsapp=True)
    desk = factories.staff(Role.VERIFIER, "BAG_ORGANISASI")
    clerk = factories.staff(Role.CLERK, "DLHK")
    old = closed_complaint(reporter, desk, clerk, days=731)
    recent = closed_complaint(reporter, desk, clerk, days=700)
    photo_path = ComplaintPhoto.objects.get(complaint=old).file.path
    history_before = old.history().count()
    figures_before = Complaint.objects.filter(pk=old.pk).values("status", "category_id", "kelurahan_id", "closed_at",
                                                                 "working_days_taken", "closed_on_time").get()

    listed = dry_run_output()
    assert old.number in listed and "identitas dan kontak pelapor, 1 foto" in listed and recent.number not in listed
    assert "1 kasus: data pribadi akan dihapus" in listed
    old.refresh_from_db()
    assert old.reporter_id == reporter.pk and ComplaintPhoto.objects.filter(complaint=old).exists()  # dry run: nothing removed

    assert periodic_retention() == 1
    old.refresh_from_db()
    assert old.reporter_id is None and not ComplaintPhoto.objects.filter(complaint=old).exists()
    # No history row names the account any more either (the reporter filed and closed it).
    assert not old.history().filter(actor=reporter).exists() and recent.history().filter(actor=reporter).exists()
    assert old.history().filter(transition="close", actor_label__gt="").exists()
    import os

    assert not os.path.exists(photo_path)
    assert set(Notification.objects.filter(case_number=old.number, recipient=reporter).values_list("address", flat=True)) == {""}
    assert Notification.objects.filter(case_number=recent.number, recipient=reporter).exclude(address="").exists()
    assert Complaint.objects.filter(pk=old.pk).values(*figures_before).get() == figures_before
    assert old.history().count() == history_before + 1
    assert old.history().last().transition == "retention"
    recent.refresh_from_db()
    assert recent.reporter_id == reporter.pk and recent.photos.count() == 1
    # Idempotent: nothing is due any more.
    assert periodic_retention() == 0
    assert old.history().count() == history_before + 1
    assert "0 kasus" in dry_run_output()


def test_uploaded_documents_of_closed_applications_deleted_except_the_issued_one(settings):
    assert settings.RETENTION_APPLICATION_DOCUMENTS_DAYS == 365
    resident = factories.resident(username="maria.ret")
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    old = completed_application(resident, clerk, days=366)
    recent = completed_application(resident, clerk, days=300)
    open_app = make_submitted(resident)
    uploaded = list(ApplicationDocument.objects.filter(application=old).exclude(kind=DocumentKind.ISSUED))
    assert uploaded
    paths = [doc.file.path for doc in uploaded]
    issued = old.issued_document()

    listed = dry_run_output()
    assert old.number in listed and f"{len(uploaded)} berkas unggahan" in listed
    assert recent.number not in listed and open_app.number not in listed

    items = retention.run(now=NOW)
    assert [item.number for item in items] == [old.number]
    remaining = ApplicationDocument.objects.filter(application=old)
    assert list(remaining) == [issued] and all(not __import__("os").path.exists(p) for p in paths)
    assert issued.file.storage.exists(issued.file.name)
    assert ApplicationDocument.objects.filter(application=recent, kind=DocumentKind.REQUIREMENT).exists()
    assert ApplicationDocument.objects.filter(application=open_app).exists()
    assert Application.objects.get(pk=old.pk).status == "completed"
    assert retention.run(now=NOW) == []
