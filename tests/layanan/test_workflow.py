import pytest

from kupang_portal.notifications.models import Notification
from kupang_portal.organization import calendar
from kupang_portal.workflow import engine
from layanan import selectors, services
from layanan.constants import ApplicationStatus as S
from layanan.models import Application

from .conftest import make_draft, make_submitted, pdf_file

pytestmark = pytest.mark.django_db


def perform(app, name, actor, **kwargs):
    engine.perform(app, name, actor, **kwargs)
    app.refresh_from_db()
    return app


def test_happy_path_every_transition(resident, clerk):
    app = make_submitted(resident)
    assert app.status == S.SUBMITTED
    perform(app, "verify", clerk)
    assert app.status == S.VERIFIED
    assert Notification.objects.filter(recipient=resident, event="application_verified").exists()
    perform(app, "process", clerk)
    assert app.status == S.IN_PROCESS
    perform(app, "complete", clerk, data={"issued_document": pdf_file("ktp.pdf")}, note="Silakan unduh.")
    assert app.status == S.COMPLETED and app.completed_at
    assert app.issued_document().original_name == "ktp.pdf"
    assert Notification.objects.filter(recipient=resident, event="application_completed").exists()
    assert Notification.objects.filter(recipient=resident, event="survey_invitation").exists()
    labels = list(app.history().values_list("transition", flat=True))
    assert labels == ["start", "submit", "verify", "process", "complete"]
    assert not app.history().get(transition="start").is_public  # the draft's creation is not on the timeline


def test_reject_requires_reason(resident, clerk):
    app = make_submitted(resident)
    with pytest.raises(engine.NoteRequired):
        perform(app, "reject", clerk)
    perform(app, "reject", clerk, note="Dokumen bukan milik pemohon")
    assert app.status == S.REJECTED and app.rejection_reason == "Dokumen bukan milik pemohon"
    assert Notification.objects.filter(recipient=resident, event="application_rejected").exists()


@pytest.mark.parametrize("state,name", [
    (S.SUBMITTED, "process"), (S.SUBMITTED, "complete"), (S.DRAFT, "verify"), (S.SUBMITTED, "resubmit"),
])
def test_forbidden_from_state(resident, clerk, state, name):
    app = make_draft(resident) if state == S.DRAFT else make_submitted(resident)
    actor = resident if name == "resubmit" else clerk
    with pytest.raises(engine.TransitionNotAllowed):
        perform(app, name, actor)


def test_forbidden_actors(resident, other_resident, clerk, clerk_dpmptsp):
    app = make_submitted(resident)
    with pytest.raises(engine.ActorNotPermitted):
        perform(app, "verify", resident)  # resident can't verify own application
    with pytest.raises(engine.ActorNotPermitted):
        perform(app, "verify", clerk_dpmptsp)  # another office
    with pytest.raises(engine.ActorNotPermitted):
        perform(app, "withdraw", other_resident)
    perform(app, "verify", clerk)
    perform(app, "process", clerk)
    with pytest.raises(engine.ActorNotPermitted):
        perform(app, "route", clerk)  # system only


def test_withdraw_allowed_only_before_processing(resident, clerk):
    app = make_submitted(resident)
    perform(app, "withdraw", resident)
    assert app.status == S.WITHDRAWN
    app2 = make_submitted(resident, "KK_BARU")
    perform(app2, "verify", clerk)
    with pytest.raises(engine.TransitionNotAllowed):
        perform(app2, "withdraw", resident)


def test_submit_guard_missing_documents(resident):
    app = make_draft(resident, with_files=False)
    with pytest.raises(engine.TransitionError) as exc:
        perform(app, "submit", resident)
    assert "Dokumen wajib belum lengkap" in str(exc.value.message)


def test_stale_version_is_refused(resident, clerk):
    app = make_submitted(resident)
    stale = Application.objects.get(pk=app.pk)
    perform(app, "verify", clerk)
    with pytest.raises(engine.ConcurrentTransition):
        perform(stale, "request_revision", clerk, note="x")


def test_sla_pauses_on_revision_and_resumes_on_resubmit(resident, clerk, client):
    app = make_submitted(resident, "AKTA_KELAHIRAN")  # 5 working days
    with pytest.raises(engine.NoteRequired):
        perform(app, "request_revision", clerk)
    perform(app, "request_revision", clerk, note="Foto KK buram")
    assert app.status == S.NEEDS_REVISION and app.sla_paused and app.sla_remaining_days is not None
    assert app.revision_reason == "Foto KK buram"
    assert Notification.objects.filter(recipient=resident, event="application_revision_requested").exists()
    remaining = app.sla_remaining_days
    requirement = app.service.requirements.filter(is_required=True).first()
    from kupang_portal.core import uploads

    services.resubmit(app, resident, {requirement: uploads.check_upload(pdf_file("kk-baru.pdf"))}, note="Sudah diganti")
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and not app.sla_paused
    assert app.deadline == calendar.deadline_after(app.updated_at, remaining)
    assert app.documents.filter(is_current=False).count() == 1  # the old file is kept for the clerk
    # The history tells what happened (past tense), like every other row; it read like an order to
    # the resident ("Unggah berkas perbaikan") next to the status "Perlu perbaikan".
    client.force_login(resident)
    page = client.get(f"/layanan/permohonan/{app.number}/").content.decode()
    assert "Berkas perbaikan diunggah." in page and "Unggah berkas perbaikan" not in page


def test_resubmit_needs_a_file_or_note(resident, clerk):
    app = make_submitted(resident)
    perform(app, "request_revision", clerk, note="kurang")
    with pytest.raises(engine.TransitionError):
        services.resubmit(app, resident, {}, note="")


def test_routing_chain_pbg(resident, clerk_dpmptsp, clerk_pupr, django_capture_on_commit_callbacks):
    app = make_submitted(resident, "PBG")
    assert app.office.code == "DPMPTSP" and app.current_step == 0
    perform(app, "verify", clerk_dpmptsp)
    perform(app, "process", clerk_dpmptsp)
    with pytest.raises(engine.TransitionError):
        perform(app, "complete", clerk_dpmptsp)  # not the last step yet
    with django_capture_on_commit_callbacks(execute=True):
        perform(app, "finish_step", clerk_dpmptsp, note="Ke PUPR")  # task runs eagerly on commit
    app.refresh_from_db()
    assert app.office.code == "PUPR" and app.current_step == 1 and app.status == S.IN_PROCESS
    assert Notification.objects.filter(recipient=clerk_pupr, event="case_new_in_queue").exists()
    route_event = app.history().get(transition="route")
    assert route_event.actor is None and route_event.actor_label == "Sistem"
    # replayed task does nothing
    assert services.route_application(app.pk, 0) is False
    with pytest.raises(engine.ActorNotPermitted):
        perform(app, "finish_step", clerk_dpmptsp)
    with django_capture_on_commit_callbacks(execute=True):
        perform(app, "finish_step", clerk_pupr)
    app.refresh_from_db()
    assert app.office.code == "DPMPTSP" and app.current_step == 2
    with pytest.raises(engine.TransitionError):
        perform(app, "finish_step", clerk_dpmptsp)  # last step
    perform(app, "complete", clerk_dpmptsp)
    assert app.status == S.COMPLETED


def test_route_task_via_celery(resident, clerk_dpmptsp):
    from layanan.tasks import route_application

    app = make_submitted(resident, "SLF")
    perform(app, "verify", clerk_dpmptsp)
    perform(app, "process", clerk_dpmptsp)
    assert route_application.delay(app.pk, 0).get() is True
    app.refresh_from_db()
    assert app.office.code == "PUPR"
    assert route_application.delay(app.pk, 0).get() is False  # redelivered: idempotent


def test_routing_lost_to_a_broker_outage_is_swept_again(resident, clerk_dpmptsp, monkeypatch):
    """finish_step commits but its routing task never reaches the broker: the beat sweep re-enqueues it."""
    import datetime as dt

    from django.utils import timezone

    from layanan import tasks
    from layanan.models import Application

    app = make_submitted(resident, "PBG")
    perform(app, "verify", clerk_dpmptsp)
    perform(app, "process", clerk_dpmptsp)
    monkeypatch.setattr(tasks.route_application, "delay", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("broker down")))
    perform(app, "finish_step", clerk_dpmptsp)  # the enqueue fails (in tests on-commit callbacks are not run anyway)
    app.refresh_from_db()
    assert app.routing_pending and app.office.code == "DPMPTSP"
    assert tasks.periodic_route_pending() == 0  # not stale yet
    Application.objects.filter(pk=app.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    monkeypatch.undo()
    assert tasks.periodic_route_pending() == 1  # eager: routed now
    app.refresh_from_db()
    assert app.office.code == "PUPR" and not app.routing_pending
    assert tasks.periodic_route_pending() == 0


def _offered(app, actor):
    return [t.name for t in type(app).workflow.available(app, actor)]


def test_only_transitions_that_fit_the_case_are_offered(resident, clerk, clerk_dpmptsp, clerk_pupr, django_capture_on_commit_callbacks):
    """Issue 11 point 7: no "next office" on a single-office service or at the last step, no
    "complete" before the last step; one "verify & process" step for a single-office service."""
    ktp = make_submitted(resident)
    assert "verify_and_process" in _offered(ktp, clerk)
    perform(ktp, "verify_and_process", clerk)
    assert ktp.status == S.IN_PROCESS
    assert "finish_step" not in _offered(ktp, clerk) and "complete" in _offered(ktp, clerk)
    assert Notification.objects.filter(recipient=resident, event="application_verified").exists()

    pbg = make_submitted(resident, "PBG")
    assert "verify_and_process" not in _offered(pbg, clerk_dpmptsp)  # a chain of offices: verify, then process
    perform(pbg, "verify", clerk_dpmptsp)
    perform(pbg, "process", clerk_dpmptsp)
    assert "finish_step" in _offered(pbg, clerk_dpmptsp) and "complete" not in _offered(pbg, clerk_dpmptsp)
    with pytest.raises(engine.TransitionNotAllowed):
        perform(pbg, "complete", clerk_dpmptsp)  # PBG must not skip PUPR's technical review
    with django_capture_on_commit_callbacks(execute=True):
        perform(pbg, "finish_step", clerk_dpmptsp)
    pbg.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        perform(pbg, "finish_step", clerk_pupr)
    pbg.refresh_from_db()
    assert pbg.current_step == 2
    assert "finish_step" not in _offered(pbg, clerk_dpmptsp) and "complete" in _offered(pbg, clerk_dpmptsp)
    # The timeline names the office and the step, in past tense (issue 11 point 12).
    sentences = [row["label"] for row in selectors.public_timeline(pbg)]
    pupr = pbg.service.chain()[1]
    assert f"Berkas diteruskan ke {pupr.office.name} untuk {pupr.label[0].lower()}{pupr.label[1:]}." in sentences
    assert sentences[0].startswith("Anda mengajukan permohonan ke ")
    public = [row["label"] for row in selectors.tracking_lookup(pbg.number).timeline]
    assert public[0].startswith("Permohonan diajukan ke ") and all("Anda" not in s for s in public)


def test_a_failed_completion_leaves_no_issued_file_behind(resident, clerk, settings):
    """The issued document is stored by the effect; a transition that fails afterwards removes it."""
    from pathlib import Path

    app = make_submitted(resident)
    perform(app, "verify_and_process", clerk)
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    before = {p for p in root.rglob("*") if p.is_file()}
    Application.objects.filter(pk=app.pk).update(version=app.version + 1)  # another clerk got there first
    with pytest.raises(engine.ConcurrentTransition):
        engine.perform(app, "complete", clerk, data={"issued_document": pdf_file("hasil.pdf")})
    assert {p for p in root.rglob("*") if p.is_file()} == before
    assert not app.documents.filter(kind="issued").exists()
    app.refresh_from_db()
    engine.perform(app, "complete", clerk, data={"issued_document": pdf_file("hasil.pdf")})
    assert len({p for p in root.rglob("*") if p.is_file()} - before) == 1
