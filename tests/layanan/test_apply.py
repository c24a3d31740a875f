import re

import pytest

from kupang_portal.notifications.models import Notification
from layanan.constants import ApplicationStatus
from layanan.models import Application, ApplicationDocument

from .conftest import exe_as_pdf, pdf_file, png_file, post_data, service

pytestmark = pytest.mark.django_db
URL = "/layanan/ktp-el-baru/ajukan/"


def kk_field():
    return service("KTP_EL_BARU").requirements.get(is_required=True).field_name


def test_form_renders_one_input_per_requirement(resident_client):
    body = resident_client.get(URL).content.decode()
    for requirement in service("KTP_EL_BARU").requirements.all():
        assert f'name="{requirement.field_name}"' in body
    assert 'name="token"' in body and 'enctype="multipart/form-data"' in body


def test_submit_creates_numbered_application_with_deadline_and_notifications(resident_client, resident, clerk):
    response = resident_client.post(URL, post_data(None, files={kk_field(): pdf_file("kk.pdf")}))
    app = Application.objects.get(applicant=resident)
    assert response.status_code == 302 and response["Location"] == f"/layanan/permohonan/{app.number}/?diajukan=1"
    # The success notice comes from the application page (no flash message, no session write).
    page = resident_client.get(response["Location"]).content.decode()
    assert f"Permohonan berhasil diajukan dengan nomor {app.number}" in page
    assert "berhasil diajukan" not in resident_client.get(app.get_absolute_url()).content.decode()
    assert re.fullmatch(r"KTP-\d{4}-\d{6}", app.number)
    assert app.status == ApplicationStatus.SUBMITTED and app.deadline and app.office.code == "DISDUKCAPIL"
    assert app.applicant_nik == "5371014512920004" and app.phone == "+6281234567890"
    assert Notification.objects.filter(recipient=resident, event="application_submitted").exists()
    assert Notification.objects.filter(recipient=clerk, event="case_new_in_queue").exists()
    stored = app.documents.get()
    from django.core.files.storage import storages

    assert stored.file.path.startswith(storages["private"].location)  # private storage, served by a view only
    with pytest.raises(ValueError):
        _ = stored.file.url  # never a public URL


@pytest.mark.parametrize("later", ["rejected", "withdrawn", "completed", "next week"])
def test_the_submitted_notice_is_not_shown_when_the_link_is_opened_later(resident_client, resident, later):
    """?diajukan=1 is the address the browser lands on after the submit, so it stays in the history
    and in bookmarks: opened later it must not say "submitted successfully" on an application that
    was rejected, withdrawn or completed since, nor days after the submit."""
    import datetime as dt

    from django.utils import timezone

    response = resident_client.post(URL, post_data(None, files={kk_field(): pdf_file("kk.pdf")}))
    app = Application.objects.get(applicant=resident)
    assert "berhasil diajukan" in resident_client.get(response["Location"]).content.decode()
    assert "berhasil diajukan" in resident_client.get(response["Location"]).content.decode()  # a reload right away
    if later == "next week":
        Application.objects.filter(pk=app.pk).update(submitted_at=timezone.now() - dt.timedelta(days=7))
    else:
        Application.objects.filter(pk=app.pk).update(status=later)
    page = resident_client.get(response["Location"]).content.decode()
    assert "berhasil diajukan" not in page and app.number in page


def test_executable_renamed_pdf_is_refused(resident_client, resident):
    response = resident_client.post(URL, post_data(None, files={kk_field(): exe_as_pdf()}))
    assert response.status_code == 200
    assert "bukan PDF/JPEG/PNG" in response.content.decode()
    assert "Unggah hasil pindaian atau foto dokumen" in response.content.decode()
    app = Application.objects.get(applicant=resident)
    assert app.status == ApplicationStatus.DRAFT and not app.documents.exists()
    assert app.applicant_nik == "5371014512920004"  # valid data kept


def test_oversized_file_is_refused(resident_client, resident, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1024
    response = resident_client.post(URL, post_data(None, files={kk_field(): pdf_file(size=4096)}))
    assert response.status_code == 200 and "batasnya" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_total_limit(resident_client, resident, settings):
    settings.UPLOAD_MAX_TOTAL_BYTES = 1500
    settings.UPLOAD_MAX_FILE_BYTES = 1000
    svc = service("KK_BARU")
    fields = [r.field_name for r in svc.requirements.all()[:2]]
    response = resident_client.post("/layanan/kk-baru/ajukan/", post_data(
        None, action="save", files={fields[0]: pdf_file("a.pdf", 900), fields[1]: pdf_file("b.pdf", 900)}))
    assert response.status_code == 200 and "Total ukuran berkas" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_missing_required_document_keeps_draft(resident_client, resident):
    response = resident_client.post(URL, post_data(None))
    assert response.status_code == 200
    assert "wajib diunggah" in response.content.decode()
    assert Application.objects.get(applicant=resident).status == ApplicationStatus.DRAFT


def test_invalid_nik_message_and_file_kept(resident_client, resident):
    response = resident_client.post(URL, post_data(None, applicant_nik="123", files={kk_field(): png_file()}))
    body = response.content.decode()
    assert response.status_code == 200 and "NIK harus terdiri dari 16 angka" in body
    app = Application.objects.get(applicant=resident)
    assert app.status == ApplicationStatus.DRAFT and app.documents.count() == 1
    assert "Sudah diunggah" in body  # the stored file is shown


def test_draft_keeps_files_and_later_submit_uses_them(resident_client, resident):
    resident_client.post(URL, post_data(None, action="save", files={kk_field(): pdf_file("kk.pdf")}))
    app = Application.objects.get(applicant=resident)
    assert app.status == ApplicationStatus.DRAFT and app.documents.count() == 1
    body = resident_client.get(URL).content.decode()
    assert "kk.pdf" in body and str(app.form_token) in body
    response = resident_client.post(URL, post_data(None, token=app.form_token))
    app.refresh_from_db()
    assert response.status_code == 302 and app.status == ApplicationStatus.SUBMITTED


def test_replacing_a_draft_file_keeps_one(resident_client, resident):
    resident_client.post(URL, post_data(None, action="save", files={kk_field(): pdf_file("a.pdf")}))
    app = Application.objects.get(applicant=resident)
    resident_client.post(URL, post_data(None, action="save", token=app.form_token, files={kk_field(): pdf_file("b.pdf")}))
    assert list(app.documents.values_list("original_name", flat=True)) == ["b.pdf"]


def test_double_submit_gives_one_application(resident_client, resident):
    resident_client.get(URL)
    token = "3f0b8a1e-1111-4222-8333-444455556666"
    first = resident_client.post(URL, post_data(None, token=token, files={kk_field(): pdf_file()}))
    second = resident_client.post(URL, post_data(None, token=token, files={kk_field(): pdf_file()}))
    assert Application.objects.filter(applicant=resident).count() == 1
    app = Application.objects.get()
    assert first["Location"] == app.get_absolute_url() + "?diajukan=1"  # submitted
    assert second["Location"] == app.get_absolute_url()  # "already submitted" (a flash message)
    assert app.history().filter(transition="submit").count() == 1


def test_xhr_submit_answers_json(resident_client):
    response = resident_client.post(URL, post_data(None, files={kk_field(): pdf_file()}), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200 and response.json()["redirect"].startswith("/layanan/permohonan/KTP-")


def test_tampered_token_and_action_are_harmless(resident_client, resident, other_resident):
    from .conftest import make_draft

    foreign = make_draft(other_resident)
    response = resident_client.post(URL, post_data(None, action="hack", token=foreign.form_token, files={kk_field(): pdf_file()}))
    assert response.status_code == 302  # saved as a draft of the resident's own
    foreign.refresh_from_db()
    assert foreign.applicant == other_resident and foreign.documents.count() == 1
    mine = Application.objects.get(applicant=resident)
    assert mine.pk != foreign.pk and mine.status == ApplicationStatus.DRAFT
    assert resident_client.post(URL, {"token": "not-a-uuid", "action": "save"}).status_code in (200, 302)


def test_unpublished_or_unknown_service_is_404(resident_client):
    svc = service("KIA")
    svc.is_published = False
    svc.save()
    assert resident_client.get("/layanan/kartu-identitas-anak/ajukan/").status_code == 404
    assert resident_client.get("/layanan/xyz/ajukan/").status_code == 404


def test_discard_draft(resident_client, resident):
    resident_client.post(URL, post_data(None, action="save"))
    app = Application.objects.get(applicant=resident)
    resident_client.post(URL, {"action": "discard", "token": str(app.form_token)})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN


def test_flooding_new_applications_is_refused_with_message_and_entries_kept(resident_client, resident, settings):
    from layanan.models import Service

    settings.LAYANAN_MAX_NEW_PER_USER_PER_DAY = 2
    first, second, third = Service.objects.published().order_by("pk")[:3]
    for svc in (first, second):  # one draft per service
        resident_client.post(svc.get_apply_url(), post_data(None, action="save", notes="draf"))
    assert Application.objects.filter(applicant=resident).count() == 2
    response = resident_client.post(third.get_apply_url(), post_data(None, action="save", notes="catatan ketiga"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "batas harian tercapai" in body
    assert "catatan ketiga" in body  # what the resident typed is still in the form
    assert Application.objects.filter(applicant=resident).count() == 2


def test_submit_is_one_transaction_of_few_statements(resident_client, resident, clerk):
    """Issue 13 (fast submit): the whole post of a new form is one transaction (draft, files,
    number, history, outbox rows), the success notice costs no session write, and the statement
    count stays what docs/performance.md explains (it was 55, then 36 with two commits, 16, now
    12 with Redis: the session is read from Redis, the service, its requirements and steps are
    kept per process under the catalogue's version). The number: on PostgreSQL ``nextval`` of
    the prefix and year's sequence (a SELECT that never waits), on SQLite the counter row's
    upsert (an INSERT)."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kupang_portal.organization.calendar import holiday_dates
    from kupang_portal.workflow.numbering import next_number

    ContentType.objects.get_for_model(Application), holiday_dates()  # cached in a running portal
    next_number(service("KTP_EL_BARU").number_prefix)  # in a running portal the year's sequence exists
    data = post_data(None, files={kk_field(): pdf_file("kk.pdf")})
    resident_client.get(URL)  # the form was shown first: its service is remembered
    with CaptureQueriesContext(connection) as captured:
        response = resident_client.post(URL, data)
    assert response.status_code == 302
    sql = [q["sql"] for q in captured.captured_queries]
    assert not any("django_session" in s and not s.startswith("SELECT") for s in sql)  # no session write
    # The test runs inside a transaction, so the view's atomic block shows as the first SAVEPOINT;
    # every write happens between it and its RELEASE (one commit in production).
    outer = next(i for i, s in enumerate(sql) if s.startswith("SAVEPOINT"))
    name = sql[outer].split()[1]
    release = sql.index(f"RELEASE SAVEPOINT {name}")
    writes = [i for i, s in enumerate(sql) if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes and outer < min(writes) and max(writes) < release
    # draft + its history (2), both files (1), submit UPDATE + history (2), outbox (1); the number
    sequence = connection.vendor == "postgresql"
    assert sum(s.startswith("INSERT") for s in sql) == (5 if sequence else 6) and sum(s.startswith("UPDATE") for s in sql) == 1
    assert sum(s.startswith("SELECT nextval(") for s in sql) == (1 if sequence else 0)
    assert not any(s.startswith("SAVEPOINT") for s in sql[outer + 1:])  # none inside the view's transaction
    assert not any('"layanan_service"' in s or '"layanan_requirement"' in s or '"layanan_servicestep"' in s for s in sql)
    cached_sessions = settings.SESSION_ENGINE == "kupang_portal.core.sessions"  # with REDIS_URL
    if cached_sessions:
        assert not any("django_session" in s for s in sql)
    assert len(sql) <= (12 if cached_sessions else 13), "\n".join(sql)
    app = Application.objects.get(applicant=resident)
    assert app.number and app.documents.count() == 1
    assert Notification.objects.filter(case_number=app.number).count() >= 2


def test_a_submit_refused_after_the_fast_attempt_keeps_the_draft_and_no_stray_file(resident_client, resident, settings, monkeypatch):
    """The post runs first without savepoints; a refusal inside the submit rolls that attempt
    back as a whole and the post runs again with savepoints: the draft (data and file) is kept,
    the refusal is shown, the first attempt's file is deleted and the draft counted once."""
    from pathlib import Path

    from kupang_portal.core import ratelimit
    from layanan import services

    real = services.missing_requirements
    calls = []

    def refusing_guard(application):
        calls.append(application.pk)
        # The form's own check (odd calls) passes; the workflow's guard (even calls) refuses.
        return real(application) if len(calls) % 2 else list(application.service.requirements.filter(is_required=True))

    monkeypatch.setattr(services, "missing_requirements", refusing_guard)
    response = resident_client.post(URL, post_data(None, files={kk_field(): pdf_file("kk.pdf")}))
    assert response.status_code == 200 and len(calls) == 4  # two attempts, each: form check + guard
    assert "Dokumen wajib belum lengkap" in response.content.decode()
    app = Application.objects.get(applicant=resident)
    assert app.status == ApplicationStatus.DRAFT and not app.number and app.applicant_nik == "5371014512920004"
    doc = app.documents.get()
    files = [p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()]
    assert files == [Path(doc.file.path)]
    key = services._new_application_limits(resident, "127.0.0.1")[0][0]
    assert ratelimit.count(key) == 1
