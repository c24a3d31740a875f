"""Writes for applications. Views, the admin, tasks and the demo seeder all call these.

State changes go through ``kupang_portal.workflow.engine.perform`` (see ``layanan.workflow``);
the functions here prepare drafts, store checked files and wrap the transitions.
"""

import copy
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case as DbCase
from django.db.models import Exists, F, OuterRef, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from kupang_portal.core import ratelimit, uploads
from kupang_portal.workflow import engine

from .constants import ApplicationStatus, DocumentKind
from .models import Application, ApplicationDocument

logger = logging.getLogger(__name__)

DRAFT_FIELDS = ("applicant_nik", "phone", "notes")
# Query flag of the application page right after a successful submit (it shows the success notice).
SUBMITTED_FLAG = "diajukan"
# The ?diajukan=1 address stays in the browser's history and bookmarks: its notice is shown only
# while the application is still as the submit left it, and not for long.
SUBMITTED_NOTICE_SECONDS = 3600


class TooManyApplications(Exception):
    """Flood limit on new applications; ``message`` is for the resident."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def _new_application_limits(user, ip):
    per_user = settings.LAYANAN_MAX_NEW_PER_USER_PER_DAY
    per_ip = settings.LAYANAN_MAX_NEW_PER_IP_PER_HOUR
    return [
        (ratelimit.cache_key("layanan:new:user", user.pk), per_user, 86400,
         _("Anda sudah memulai %(n)s permohonan baru hari ini; batas harian tercapai. Lanjutkan draf yang ada atau coba lagi besok.") % {"n": per_user}),
        (ratelimit.cache_key("layanan:new:ip", ip), per_ip, 3600,
         _("Terlalu banyak permohonan baru dari jaringan Anda dalam satu jam terakhir. Coba lagi nanti.")),
    ]


def start_application(user, service, token, ip, values=None, *, savepoint=True, counted=False, on_counted=None):
    """A new draft (with the form's valid ``values``), within the per-user and per-IP limits
    against flooding: one cache round trip checks both counters and, when both are below their
    limits, counts the new draft (``counted``: this post's draft was counted already, by an
    attempt that was rolled back; ``on_counted()`` is called once it is counted, before the draft
    is created, so an attempt rolled back while creating it is not counted twice)."""
    if not counted:
        limits = _new_application_limits(user, ip)
        reached = ratelimit.hit_within([(key, seconds, limit) for key, limit, seconds, _message in limits])
        if reached is not None:
            raise TooManyApplications(limits[reached][3])
        if on_counted is not None:
            on_counted()
    return create_draft(user, service, token, values=values, savepoint=savepoint)


class StartAgain(Exception):
    """A form post's first attempt (without savepoints) met a refusal or a concurrent post of the
    same form: its transaction is rolled back as a whole and the post runs again with savepoints."""


class DraftGone(Exception):
    """The draft changed state under us (e.g. a double-clicked submit already submitted it)."""

    def __init__(self, application):
        self.application = application
        super().__init__(str(application))


# --- the form's service ---------------------------------------------------------------------------
_FORM_SERVICES = {}  # slug -> (catalogue version, service with its office, requirements, steps)


def form_service(slug):
    """The published service ``slug`` with its office, requirements and processing steps, as the
    application form and the submit use them; Http404 like ``get_object_or_404``.

    Read once per process and catalogue version (``fragments.catalogue_version``, one Redis GET:
    replaced after every committed change to a service, requirement, step or office) instead of
    three queries per form request. The version is read before the rows, so rows are never
    older than the version they are kept under. Each request gets its own copies (the form and
    the submit set attributes on them). Redis down: every request reads a new version, so the
    rows come from the database as before."""
    from django.http import Http404

    from .fragments import catalogue_version
    from .models import Service

    version = catalogue_version()
    entry = _FORM_SERVICES.get(slug)
    if entry is None or entry[0] != version:
        service = Service.objects.published().select_related("office").filter(slug=slug).first()
        if service is None:
            raise Http404("No Service matches the given query.")
        entry = (version, service, list(service.requirements.all()), service.chain())
        if len(_FORM_SERVICES) > 1000:  # slugs of deleted services
            _FORM_SERVICES.clear()
        _FORM_SERVICES[slug] = entry
    _version, cached, requirements, steps = entry
    service = copy.copy(cached)
    mine = service.requirements.all()  # the related queryset, filled as prefetch_related fills it
    mine._result_cache = [copy.copy(r) for r in requirements]
    mine._prefetch_done = True
    service._prefetched_objects_cache = {"requirements": mine}
    service.prefetched_steps = [copy.copy(step) for step in steps]
    for row in (*mine._result_cache, *service.prefetched_steps):
        row._state.fields_cache["service"] = service
    return service


# --- the processing chain ------------------------------------------------------------------------
def step_office(service, index):
    steps = service.chain()
    if steps and 0 <= index < len(steps):
        return steps[index].office
    return service.office


def current_step(case):
    steps = case.service.chain()
    return steps[case.current_step] if 0 <= case.current_step < len(steps) else None


def next_step(case):
    steps = case.service.chain()
    index = case.current_step + 1
    return steps[index] if index < len(steps) else None


# --- documents ---------------------------------------------------------------------------------
def missing_requirements(application):
    """Required requirements without a current document.

    A draft created in this request knows its documents (``store_uploads`` records them) and its
    service's requirements were read for the form: answered without a query. Otherwise one query.
    """
    from .models import Requirement

    known = getattr(application, "_current_requirement_ids", None)
    if known is not None:
        requirements = getattr(application.service, "_prefetched_objects_cache", {}).get("requirements")
        if requirements is not None:
            return [r for r in requirements if r.is_required and r.pk not in known]
    have = ApplicationDocument.objects.filter(application=application, is_current=True, requirement=OuterRef("pk"))
    return list(Requirement.objects.filter(service_id=application.service_id, is_required=True).exclude(Exists(have)))


def current_total_bytes(application, excluding_requirements=()):
    qs = application.documents.filter(is_current=True).exclude(kind=DocumentKind.ISSUED)
    if excluding_requirements:
        qs = qs.exclude(requirement_id__in=list(excluding_requirements))
    return qs.aggregate(total=Sum("size"))["total"] or 0


def prepared_file(checked):
    """The file to store: images re-encoded without metadata (EXIF location), PDFs as they are."""
    if checked.content_type in (uploads.JPEG, uploads.PNG):
        clean = uploads.strip_image_metadata(checked.file, checked.content_type)
        return clean, clean.size
    checked.file.seek(0)
    return checked.file, checked.size


def store_uploads(application, checked_by_requirement, user, kind=DocumentKind.REQUIREMENT):
    """Store already checked files (``{requirement: CheckedFile}``) for ``application``.

    The per-application total limit is checked first against the documents that stay; a file
    replacing an earlier one for the same requirement supersedes it (a draft's old file is
    deleted, a submitted application's is kept for the clerk, no longer current).
    Raises ValidationError (nothing stored) when the total would be too large.
    """
    if not checked_by_requirement:
        if getattr(application, "_created_now", False):
            application._current_requirement_ids = set()  # a draft created in this request: no documents
        return []
    prepared = {req: prepared_file(checked) + (checked,) for req, checked in checked_by_requirement.items()}
    # A draft created in this request has no documents yet: nothing to add up or supersede.
    fresh = getattr(application, "_created_now", False) and application.status == ApplicationStatus.DRAFT
    application._created_now = False
    if not fresh:
        application._current_requirement_ids = None  # documents not known in memory: ask the database
    kept = 0 if fresh else current_total_bytes(application, excluding_requirements=[r.pk for r in prepared])
    uploads.check_total([kept, *(size for _file, size, _c in prepared.values())])
    if fresh:
        # Nothing to supersede: one INSERT, atomic by itself (no savepoint around it).
        stored = [_new_document(application, requirement, kind, checked, content, size, user)
                  for requirement, (content, size, checked) in prepared.items()]
        ApplicationDocument.objects.bulk_create(stored)
        application._current_requirement_ids = {r.pk for r in prepared}
        return stored
    stored = []
    with transaction.atomic():
        previous_by_requirement = {}
        for old in application.documents.filter(requirement__in=list(prepared), is_current=True):
            previous_by_requirement.setdefault(old.requirement_id, []).append(old)
        for requirement, (content, size, checked) in prepared.items():
            for old in previous_by_requirement.get(requirement.pk, []):
                if application.status == ApplicationStatus.DRAFT:
                    old.file.delete(save=False)
                    old.delete()
                else:
                    old.is_current = False
                    old.save(update_fields=["is_current"])
            stored.append(_new_document(application, requirement, kind, checked, content, size, user))
        ApplicationDocument.objects.bulk_create(stored)  # one INSERT for all files
    return stored


def _new_document(application, requirement, kind, checked, content, size, user):
    """An unsaved document row whose file is already in the storage."""
    doc = ApplicationDocument(
        application=application, requirement=requirement, kind=kind, original_name=checked.original_name,
        content_type=checked.content_type, size=size, uploaded_by=user,
    )
    doc.file.save(f"{uuid.uuid4().hex}.{uploads.EXTENSIONS[checked.content_type]}", content, save=False)
    return doc


# --- drafts --------------------------------------------------------------------------------------
def parse_token(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def find_draft(user, service, token=None):
    """The application this form belongs to: by its token (any state) or the user's open draft.

    A token of another user or another service is ignored (tampered form), never revealed.
    One query: the token's application first, else the most recently changed draft.
    """
    mine = Application.objects.filter(applicant=user, service=service)
    if not token:
        return mine.filter(status=ApplicationStatus.DRAFT).order_by("-updated_at").first()
    return (
        mine.filter(Q(form_token=token) | Q(status=ApplicationStatus.DRAFT))
        .order_by(DbCase(When(form_token=token, then=Value(0)), default=Value(1)), "-updated_at").first()
    )


def create_draft(user, service, token=None, values=None, savepoint=True):
    """A new draft, with the form's valid ``values`` (DRAFT_FIELDS) in its INSERT; a concurrent
    request with the same token gets the same row (without ``values``: save them with
    ``save_draft_data``, which checks it is still a draft). ``savepoint=False``: raises
    ``StartAgain`` instead (the caller's transaction is then marked for rollback)."""
    token = token or uuid.uuid4()
    application = Application(
        service=service, applicant=user, form_token=token,
        applicant_name=user.display_name[:150], applicant_nik=user.nik or "", phone=user.phone or "",
    )
    for key, value in (values or {}).items():
        if key in DRAFT_FIELDS:
            setattr(application, key, value or "")
    try:
        engine.create(application, "start", user, savepoint=savepoint)
        application._created_now = True
        return application
    except IntegrityError:
        if not savepoint:
            raise StartAgain() from None
        app = Application.objects.filter(form_token=token).first()
        if app is not None and app.applicant_id == user.pk and app.service_id == service.pk:
            # The same form, sent twice at once: the other request's application, in whatever state
            # (a submitted one makes the caller answer "already submitted", never a second case).
            return app
        if app is None:
            raise
        # Someone else's (or a finished) form token: never reuse it, start a fresh draft.
        return create_draft(user, service, None, values)


def save_draft_data(application, values):
    """Save the data section of a draft (only the fields given), with a version check.

    Raises ``DraftGone`` when the application is no longer a draft (already submitted by a
    double click), ``engine.ConcurrentTransition`` when another change reached it first.
    """
    changes = {k: (v or "") for k, v in values.items() if k in DRAFT_FIELDS}
    changes["applicant_name"] = application.applicant.display_name[:150]
    updated = Application.objects.filter(
        pk=application.pk, version=application.version, status=ApplicationStatus.DRAFT,
    ).update(**changes, version=F("version") + 1, updated_at=timezone.now())
    if updated != 1:
        fresh = Application.objects.get(pk=application.pk)
        if fresh.status != ApplicationStatus.DRAFT:
            raise DraftGone(fresh)
        raise engine.ConcurrentTransition()
    for key, value in changes.items():
        setattr(application, key, value)
    application.version += 1
    return application


# --- transitions ---------------------------------------------------------------------------------
def submit(application, user, expected_version=None, savepoint=True):
    return engine.perform(application, "submit", user, expected_version=expected_version, savepoint=savepoint)


def resubmit(application, user, checked_by_requirement, note="", expected_version=None):
    """The resident's correction: store the files, record them, resubmit (the SLA clock resumes)."""
    if not checked_by_requirement and not (note or "").strip():
        raise engine.TransitionError(_("Unggah berkas perbaikan atau tulis tanggapan Anda untuk petugas."))
    if application.status != ApplicationStatus.NEEDS_REVISION:
        raise engine.TransitionNotAllowed()
    with transaction.atomic():
        stored = store_uploads(application, checked_by_requirement, user, kind=DocumentKind.CORRECTION)
        if stored:
            engine.record_event(
                application, user, "upload_correction", _("Berkas perbaikan diunggah."), application.status,
                application.status, note=", ".join(d.label for d in stored), public=True,
                from_office_id=application.office_id,
            )
        return engine.perform(application, "resubmit", user, note=note, expected_version=expected_version)


def withdraw(application, user, expected_version=None):
    return engine.perform(application, "withdraw", user, expected_version=expected_version)


def route_application(application_id, from_step):
    """Hand the application to the next office of its chain (as SYSTEM). Idempotent."""
    application = Application.objects.filter(pk=application_id).select_related("service").first()
    if application is None or application.current_step != int(from_step):
        return False
    try:
        engine.perform(application, "route", None, data={"from_step": from_step})
    except engine.TransitionError as exc:
        logger.info("routing %s skipped: %s", application, exc.message)
        return False
    return True


def routing_waiting():
    """Applications whose hand-on to the next office has not happened yet."""
    return Application.objects.filter(routing_pending=True)


def check_files(files_by_requirement):
    """check_upload each file; returns ({requirement: CheckedFile}, {requirement: message})."""
    checked, errors = {}, {}
    for requirement, uploaded in files_by_requirement.items():
        try:
            checked[requirement] = uploads.check_upload(uploaded, allowed=requirement.allowed_mimes())
        except ValidationError as exc:
            errors[requirement] = exc.messages[0]
    return checked, errors



def check_revision_files(files_by_requirement):
    """``check_files`` for a revision, which is sent whole or not at all: when a file is refused,
    the files that passed are not saved either (and the browser empties their inputs), so each of
    them gets a message to choose it again."""
    checked, errors = check_files(files_by_requirement)
    if errors:
        for requirement, passed in checked.items():
            errors[requirement] = _("Berkas %(name)s lolos pemeriksaan, tetapi belum terkirim karena ada berkas lain yang "
                                    "ditolak. Pilih berkas ini lagi.") % {"name": passed.original_name}
    return checked, errors

# --- the application form (one call per request of /layanan/<slug>/ajukan/) ---------------------
@dataclass
class FormStep:
    """What the application page does next: show ``form`` again, or go to ``redirect``; with
    ``messages`` [(level, text)], level one of "info", "success", "warning", "error"."""

    form: object
    application: Application | None
    token: object
    redirect: str = ""
    messages: list = field(default_factory=list)
    stored: list = field(default_factory=list)  # documents stored by this post (files to delete if it starts again)
    counted: bool = False  # a new draft of this post was counted against the flood limits


def _existing_documents(application):
    if application is None:
        return {}
    return {d.requirement_id: d for d in application.current_documents() if d.requirement_id}


def _form_initial(user, application):
    if application is not None:
        return {"applicant_nik": application.applicant_nik, "phone": application.phone, "notes": application.notes}
    return {"applicant_nik": user.nik or "", "phone": user.phone or ""}


def application_form(user, service, *, data=None, files=None, ip=None, _again=None):
    """The application form of ``service`` for ``user``: shown (``data`` None) or posted.

    A post keeps everything valid (data and files that pass the checks) in the draft, whatever
    else fails, then submits when asked and complete; "discard" withdraws the draft. A replayed
    or double-clicked submit goes to the application already submitted.
    ``_again``: the step of a first attempt rolled back by ``StartAgain``.
    """
    from .forms import ApplicationForm

    posted = data is not None
    token = parse_token(data.get("token")) if posted else None
    application = find_draft(user, service, token)
    if application is not None and application.status != ApplicationStatus.DRAFT:
        if application.number:
            return FormStep(None, application, token, redirect=application.get_absolute_url(), messages=[
                ("info", _("Permohonan ini sudah diajukan dengan nomor %(number)s.") % {"number": application.number})])
        application, token = None, None
    action = (data.get("action", "save") if posted else None)
    if action not in (None, "save", "submit", "discard"):
        action = "save"
    form = ApplicationForm(data, files, service=service, existing=_existing_documents(application),
                           submitting=action == "submit", initial=_form_initial(user, application))
    step = FormStep(form, application, token)
    if action == "discard":
        return _discard_draft(step, user, service)
    if posted:
        # One transaction (one commit) for draft, files and submission: a submit used to commit
        # four times. First without savepoints around the draft's creation and the submission
        # (four statements fewer): the usual post meets no refusal. When one comes (a concurrent
        # double submit of the same new form waits on the form token's unique index, then fails;
        # a refused or concurrent transition), the whole transaction rolls back and the post runs
        # again with savepoints, which keep the valid parts as a draft or find the first post's
        # application (create_draft) and go there.
        careful = _again is not None
        step.counted = careful and _again.counted
        try:
            with transaction.atomic():
                _save_and_maybe_submit(step, user, service, action, ip, careful=careful)
        except StartAgain:
            for doc in step.stored:  # the rolled back rows' files
                doc.file.storage.delete(doc.file.name)
            return application_form(user, service, data=data, files=files, ip=ip, _again=step)
        if not step.redirect:
            step.application = find_draft(user, service, token) or step.application
            form.existing = _existing_documents(step.application)
            for field_ in form.fields.values():
                if hasattr(field_, "requirement"):
                    field_.existing = form.existing.get(field_.requirement.pk)
    if step.application is not None:
        step.token = step.application.form_token
    step.token = step.token or uuid.uuid4()
    return step


def _discard_draft(step, user, service):
    application = step.application
    if application is not None and application.status == ApplicationStatus.DRAFT:
        try:
            withdraw(application, user)
        except engine.TransitionError as exc:
            step.messages.append(("error", exc.message))
            step.redirect = service.get_apply_url()
            return step
        step.messages.append(("info", _("Draf permohonan dibatalkan.")))
    step.redirect = service.get_absolute_url()
    return step


def _save_and_maybe_submit(step, user, service, action, ip, careful=True):
    """Keep everything valid in the draft, then submit if asked and complete (sets ``step``).
    ``careful=False``: no savepoints; a refusal raises ``StartAgain`` (see application_form)."""
    form = step.form
    form_ok = form.is_valid()
    checked, file_errors = check_files(form.uploaded_files())
    for requirement, message in file_errors.items():
        form.add_error(requirement.field_name, message)
    valid_data = {k: form.cleaned_data[k] for k in DRAFT_FIELDS if k in getattr(form, "cleaned_data", {})}
    if step.application is None:
        try:
            step.application = start_application(user, service, step.token, ip, values=valid_data, savepoint=careful,
                                                 counted=step.counted, on_counted=lambda: setattr(step, "counted", True))
        except TooManyApplications as exc:
            form.add_error(None, exc.message)
            return
    application = step.application
    try:
        if not getattr(application, "_created_now", False):  # a new draft got the data in its INSERT
            save_draft_data(application, valid_data)
        step.stored = store_uploads(application, checked, user)
    except DraftGone as gone:
        step.messages.append(("info", _("Permohonan ini sudah diajukan dengan nomor %(number)s.") % {"number": gone.application.number}))
        step.redirect = gone.application.get_absolute_url()
        return
    except ValidationError as exc:
        form.add_error(None, exc.messages[0] + " " + _("Berkas baru belum disimpan; perkecil ukurannya lalu unggah lagi."))
        return
    except engine.TransitionError as exc:
        form.add_error(None, exc.message)
        return
    if not form_ok or file_errors:
        step.messages.append(("warning", _("Isian yang benar dan berkas yang lolos pemeriksaan sudah disimpan sebagai draf. Perbaiki bagian yang ditandai.")))
        return
    if action != "submit":
        step.messages.append(("success", _("Draf tersimpan. Anda dapat melanjutkannya kapan saja dari halaman Permohonan Saya.")))
        step.redirect = service.get_apply_url()
        return
    _submit_from_form(step, user, careful)


def _submit_from_form(step, user, careful=True):
    form, application = step.form, step.application
    missing = missing_requirements(application)
    if missing:
        for requirement in missing:
            form.add_error(requirement.field_name, _("Dokumen ini wajib diunggah sebelum permohonan diajukan."))
        step.messages.append(("warning", _("Draf tersimpan, tetapi dokumen wajib belum lengkap.")))
        return
    try:
        submit(application, user, savepoint=careful)
    except engine.TransitionError as exc:
        if not careful:  # the transaction is marked for rollback: start again with savepoints
            raise StartAgain() from None
        _submit_refused(step, application, exc)
        return
    # The success notice is shown by the application page itself (``?diajukan=1``), not stored as
    # a flash message: a message in the session cost a second transaction (and commit) per submit.
    step.redirect = application.get_absolute_url() + "?" + SUBMITTED_FLAG + "=1"


def shows_submitted_notice(application, flag, now=None):
    """The success notice of the application page opened with ``?diajukan=1`` (the submit's
    redirect): only while the application is still submitted and for SUBMITTED_NOTICE_SECONDS,
    never on one rejected, withdrawn or completed since."""
    if flag != "1" or application.status != ApplicationStatus.SUBMITTED or application.submitted_at is None:
        return False
    return ((now or timezone.now()) - application.submitted_at).total_seconds() <= SUBMITTED_NOTICE_SECONDS


def _submit_refused(step, application, exc):
    """The draft stays (its data and files are saved); say why it was not submitted, or go to
    the application a concurrent post of the same draft submitted."""
    if isinstance(exc, engine.ConcurrentTransition):
        application.refresh_from_db()
        if application.number:
            step.redirect = application.get_absolute_url()
            return
    step.form.add_error(None, exc.message)
