"""Writes for applications. Views, the admin, tasks and the demo seeder all call these.

State changes go through ``kupang_portal.workflow.engine.perform`` (see ``layanan.workflow``);
the functions here prepare drafts, store checked files and wrap the transitions.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kupang_portal.core import ratelimit, uploads
from kupang_portal.workflow import engine

from .constants import ApplicationStatus, DocumentKind
from .models import Application, ApplicationDocument

logger = logging.getLogger(__name__)

DRAFT_FIELDS = ("applicant_nik", "phone", "notes")


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


def start_application(user, service, token, ip):
    """A new draft, within the per-user and per-IP limits against flooding."""
    limits = _new_application_limits(user, ip)
    for key, limit, _seconds, message in limits:
        if ratelimit.reached(key, limit):
            raise TooManyApplications(message)
    application = create_draft(user, service, token)
    for key, _limit, seconds, _message in limits:
        ratelimit.hit(key, seconds)
    return application


class DraftGone(Exception):
    """The draft changed state under us (e.g. a double-clicked submit already submitted it)."""

    def __init__(self, application):
        self.application = application
        super().__init__(str(application))


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
    """Required requirements without a current document."""
    # One query: required requirements of the service without a current document of this case.
    from .models import Requirement

    have = ApplicationDocument.objects.filter(application=application, is_current=True, requirement=OuterRef("pk"))
    return list(Requirement.objects.filter(service_id=application.service_id, is_required=True).exclude(Exists(have)))


def current_total_bytes(application, excluding_requirements=()):
    qs = application.documents.filter(is_current=True).exclude(kind=DocumentKind.ISSUED)
    if excluding_requirements:
        qs = qs.exclude(requirement_id__in=list(excluding_requirements))
    return qs.aggregate(total=Sum("size"))["total"] or 0


def _prepared(checked):
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
        return []
    prepared = {req: _prepared(checked) + (checked,) for req, checked in checked_by_requirement.items()}
    # A draft created in this request has no documents yet: nothing to add up or supersede.
    fresh = getattr(application, "_created_now", False) and application.status == ApplicationStatus.DRAFT
    application._created_now = False
    kept = 0 if fresh else current_total_bytes(application, excluding_requirements=[r.pk for r in prepared])
    uploads.check_total([kept, *(size for _file, size, _c in prepared.values())])
    stored = []
    with transaction.atomic():
        previous_by_requirement = {}
        if not fresh:
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
            doc = ApplicationDocument(
                application=application, requirement=requirement, kind=kind, original_name=checked.original_name,
                content_type=checked.content_type, size=size, uploaded_by=user,
            )
            doc.file.save(f"{uuid.uuid4().hex}.{uploads.EXTENSIONS[checked.content_type]}", content, save=False)
            stored.append(doc)
        ApplicationDocument.objects.bulk_create(stored)  # one INSERT for all files
    return stored


def attach_issued_document(application, uploaded, actor):
    """Store the issued document given with "complete" (already checked by the form)."""
    if not uploaded:
        return None
    checked = uploads.check_upload(uploaded)
    content, size = _prepared(checked)
    application.documents.filter(kind=DocumentKind.ISSUED, is_current=True).update(is_current=False)
    doc = ApplicationDocument(
        application=application, kind=DocumentKind.ISSUED, original_name=checked.original_name,
        content_type=checked.content_type, size=size, uploaded_by=actor,
    )
    doc.file.save(f"{uuid.uuid4().hex}.{uploads.EXTENSIONS[checked.content_type]}", content, save=False)
    doc.save()
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
    """
    if token:
        app = Application.objects.filter(form_token=token, applicant=user, service=service).first()
        if app is not None:
            return app
    return (
        Application.objects.filter(applicant=user, service=service, status=ApplicationStatus.DRAFT)
        .order_by("-updated_at").first()
    )


def create_draft(user, service, token=None):
    """A new draft; a concurrent request with the same token gets the same row."""
    token = token or uuid.uuid4()
    try:
        with transaction.atomic():
            app = Application.objects.create(
                service=service, applicant=user, status=ApplicationStatus.DRAFT, form_token=token,
                applicant_name=user.display_name[:150], applicant_nik=user.nik or "", phone=user.phone or "",
            )
            app._created_now = True
            return app
    except IntegrityError:
        app = Application.objects.filter(form_token=token).first()
        if app is not None and app.applicant_id == user.pk and app.service_id == service.pk:
            # The same form, sent twice at once: the other request's application, in whatever state
            # (a submitted one makes the caller answer "already submitted", never a second case).
            return app
        if app is None:
            raise
        # Someone else's (or a finished) form token: never reuse it, start a fresh draft.
        return create_draft(user, service, None)


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
def submit(application, user, expected_version=None):
    return engine.perform(application, "submit", user, expected_version=expected_version)


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
                application, user, "upload_correction", _("Unggah berkas perbaikan"), application.status,
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


def routing_overdue(older_than_seconds=120, limit=500, now=None):
    """(id, step) of applications whose hand-on to the next office has waited too long."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=older_than_seconds)
    rows = Application.objects.filter(routing_pending=True, updated_at__lt=cutoff).order_by("updated_at")
    return list(rows.values_list("pk", "current_step")[:limit])


# --- notifications -------------------------------------------------------------------------------
def office_clerks(office):
    from django.contrib.auth import get_user_model

    if office is None:
        return []
    return list(
        get_user_model().objects.filter(
            is_active=True, is_staff=True, office_memberships__office=office, office_memberships__is_active=True,
        ).distinct()
    )


def notify_office_queue(application, event):
    from kupang_portal.notifications.services import notify

    office = application.office
    deadline = formats.date_format(timezone.localtime(application.deadline), "j F Y") if application.deadline else "-"
    notify(
        "case_new_in_queue", office_clerks(office),
        {"office": office.short_name if office else "-", "title": application.service.name, "deadline": deadline},
        link=reverse("admin:layanan_application_change", args=[application.pk]), case_number=application.number,
        dedupe_key=f"layanan:{application.pk}:queue:{event.pk}",
    )


def check_files(files_by_requirement):
    """check_upload each file; returns ({requirement: CheckedFile}, {requirement: message})."""
    checked, errors = {}, {}
    for requirement, uploaded in files_by_requirement.items():
        try:
            checked[requirement] = uploads.check_upload(uploaded, allowed=requirement.allowed_mimes())
        except ValidationError as exc:
            errors[requirement] = exc.messages[0]
    return checked, errors
