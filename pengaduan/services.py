"""Writes for complaints. The web form, the Open311 API, the admin, the tasks and the demo data
all call these functions; each one is a single transaction (nothing half saved)."""

import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from kupang_portal.core import ratelimit, uploads
from kupang_portal.workflow import engine

from . import app_settings, routing
from .models import Complaint, Status

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 10


class FloodLimited(Exception):
    """Too many submissions from one IP address, user or API key; ``message`` is for the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


class ReporterActionError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class Submitted:
    complaint: Complaint
    code: str = ""  # the anonymous reporter's secret code, shown once
    duplicate: bool = False  # the same form was posted again: nothing new was filed


def new_tracking_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_code(code):
    code = (code or "").strip().upper().replace(" ", "")
    if len(code) == CODE_LENGTH and "-" not in code:
        code = f"{code[:5]}-{code[5:]}"
    return code


# --- flood limits (Django's cache; Redis in production, shared by every web node) ----------------
# A named complaint is limited per account only: many honest people share one address (carrier-grade
# NAT of mobile networks in NTT, a kelurahan office's Wi-Fi). An anonymous one is limited per
# browser (session) and, with a much higher ceiling, per IP address; an Open311 partner per API key.

def _limits(ip=None, user=None, api_key=None, browser=None):
    limits = []
    if api_key is not None:
        limits.append((ratelimit.cache_key("pengaduan:flood:apikey", api_key.pk), app_settings.max_per_api_key_per_hour(), 3600,
                       _("Batas pengiriman per jam untuk kunci API ini tercapai.")))
        return limits
    if user is not None and user.is_authenticated:
        limits.append((ratelimit.cache_key("pengaduan:flood:user", user.pk), app_settings.max_per_user_per_day(), 86400,
                       _("Anda sudah mengirim %(n)s pengaduan hari ini, batas harian tercapai. Coba lagi besok.")
                       % {"n": app_settings.max_per_user_per_day()}))
        return limits
    if browser:
        limits.append((ratelimit.cache_key("pengaduan:flood:browser", browser), app_settings.max_anonymous_per_browser_per_hour(), 3600,
                       _("Anda sudah mengirim %(n)s pengaduan anonim dalam satu jam terakhir dari peramban ini. Coba lagi nanti, "
                         "atau masuk akun untuk melapor dengan nama.") % {"n": app_settings.max_anonymous_per_browser_per_hour()}))
    if ip:
        limits.append((ratelimit.cache_key("pengaduan:flood:ip", ip), app_settings.max_anonymous_per_ip_per_hour(), 3600,
                       _("Terlalu banyak pengaduan anonim dari jaringan Anda dalam satu jam terakhir. Coba lagi nanti, "
                         "atau masuk akun untuk melapor dengan nama.")))
    return limits


def check_flood(ip=None, user=None, api_key=None, browser=None):
    for key, limit, _seconds, message in _limits(ip, user, api_key, browser):
        if ratelimit.reached(key, limit):
            raise FloodLimited(message)


def count_submission(ip=None, user=None, api_key=None, browser=None):
    for key, _limit, seconds, _message in _limits(ip, user, api_key, browser):
        ratelimit.hit(key, seconds)


# --- submission ------------------------------------------------------------------------------

def submit_complaint(*, category, title, description, kind, reporter=None, anonymous=False, confidential=False,
                     kelurahan=None, address="", landmark="", latitude=None, longitude=None, incident_date=None, photos=(),
                     channel="web", ip=None, api_key=None, browser=None, form_token=None, now=None, enforce_limits=True,
                     late_reason=""):
    """File a complaint. ``photos`` are ``uploads.CheckedFile`` (already content-checked).
    ``late_reason`` (why an event older than 30 days is reported now) is the note of the submit event.

    Anonymous: ``reporter`` is dropped (never stored) and a secret code is returned once.
    ``form_token`` (the web form's one-time token): a form posted again returns the complaint it
    already filed (``duplicate=True``, no code) instead of filing a second one.
    Raises FloodLimited or ValidationError (a photo that cannot be re-encoded) before anything
    is written.
    """
    if form_token is not None:
        existing = Complaint.objects.filter(submission_token=form_token).first()
        if existing is not None:
            return Submitted(existing, duplicate=True)
    flood_user = reporter if (reporter is not None and reporter.is_authenticated) else None
    if enforce_limits:
        check_flood(ip=ip, user=flood_user, api_key=api_key, browser=browser)
    if anonymous or flood_user is None:
        anonymous, reporter = True, None
    code = new_tracking_code() if anonymous else ""
    cleaned = []
    for checked in photos:  # re-encode before the transaction: EXIF (GPS) gone, nothing half saved
        try:
            cleaned.append((checked.content_type, uploads.strip_image_metadata(checked.file, checked.content_type)))
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
            raise ValidationError(_("Foto %(name)s tidak dapat diproses. Unggah foto JPEG/PNG lain.")
                                  % {"name": checked.original_name}, code="bad_image") from exc
    complaint = Complaint(
        kind=kind, reporter=reporter, is_anonymous=anonymous, is_confidential=bool(confidential), channel=channel,
        category=category, title=title.strip()[:150], description=description.strip(), kelurahan=kelurahan,
        address=(address or "").strip()[:255], latitude=latitude, longitude=longitude, incident_date=incident_date,
        landmark=(landmark or "").strip()[:150], submission_token=form_token,
    )
    if code:
        complaint.set_tracking_code(code)
    submitter = reporter or engine.CodeVerifiedOwner(str(_("Pelapor (anonim)") if anonymous else _("Pelapor")))
    note = _("Alasan baru melapor: %(reason)s") % {"reason": late_reason.strip()} if (late_reason or "").strip() else ""
    try:
        engine.create(complaint, "submit", submitter, note=note, data={"photos": cleaned}, now=now)
    except IntegrityError:
        existing = Complaint.objects.filter(submission_token=form_token).first() if form_token else None
        if existing is None:
            raise
        return Submitted(existing, duplicate=True)  # the same form posted twice at once
    if enforce_limits:
        count_submission(ip=ip, user=flood_user, api_key=api_key, browser=browser)
    return Submitted(complaint, code)


def route(complaint, now=None):
    """Apply the routing rules and record the proposal (once). Returns the event or None."""
    if complaint.status != Status.SUBMITTED or complaint.routed_at is not None:
        return None
    decision = routing.resolve(complaint.category, complaint.kelurahan)
    note = _("Usulan: %(office)s (%(reason)s)") % {"office": decision.office.short_name, "reason": decision.reason}
    return engine.perform(complaint, "route", None, note=note, data={"office": decision.office}, now=now)


def perform(complaint, name, actor, *, note="", data=None, expected_version=None, now=None):
    """A staff or reporter transition (thin wrapper so callers need only this module)."""
    return engine.perform(complaint, name, actor, note=note, data=data, expected_version=expected_version, now=now)


def dispose(complaint, verifier, office=None, *, note="", kind=None, confidential=False, now=None):
    office = office or complaint.proposed_office or complaint.office
    data = {"office": office, "kind": kind or complaint.kind, "is_confidential": confidential}
    return engine.perform(complaint, "dispose", verifier, note=note, data=data, now=now)


def respond(complaint, clerk, text, *, note="", now=None):
    return engine.perform(complaint, "respond", clerk, note=note, data={"text": text}, now=now)


def routing_waiting():
    """Complaints still waiting for their routing task (never routed)."""
    return Complaint.objects.filter(status=Status.SUBMITTED, routed_at__isnull=True)


def autoclose_due(now=None):
    """Close responded complaints whose 10 working days have passed. Idempotent; returns count."""
    now = now or timezone.now()
    closed = 0
    for pk in Complaint.objects.filter(status=Status.RESPONDED, deadline__lt=now).values_list("pk", flat=True):
        complaint = Complaint.objects.get(pk=pk)
        try:
            engine.perform(complaint, "autoclose", None, now=now)
            closed += 1
        except engine.TransitionError:
            continue  # changed meanwhile (reporter replied, another run closed it)
    return closed


# --- reporter actions --------------------------------------------------------------------------

def _reporter_call(complaint, user, code, verified=False):
    """(actor, data) for a reporter action: the owner by account, or a verified secret code
    (``verified``: the code was checked when this browser unlocked the complaint, see
    ``pengaduan.access``)."""
    if user is not None and complaint.is_owned_by(user):
        return user, {}
    if complaint.is_anonymous and (verified or complaint.check_tracking_code(normalize_code(code))):
        return engine.CodeVerifiedOwner(str(_("Pelapor"))), {}
    raise ReporterActionError(_("Anda tidak berhak melakukan tindakan ini pada pengaduan ini."))


def reporter_close(complaint, *, user=None, code="", verified=False):
    actor, data = _reporter_call(complaint, user, code, verified)
    try:
        return engine.perform(complaint, "close", actor, data=data)
    except engine.TransitionError as exc:
        raise ReporterActionError(exc.message) from exc


def reporter_reopen(complaint, reason, *, user=None, code="", verified=False):
    actor, data = _reporter_call(complaint, user, code, verified)
    try:
        return engine.perform(complaint, "reopen", actor, note=reason, data=data)
    except engine.TransitionError as exc:
        raise ReporterActionError(exc.message) from exc


def rate_response(complaint, rating, comment="", *, user=None, code="", verified=False, now=None):
    """Rate the latest response 1-5 (again if they change their mind)."""
    _reporter_call(complaint, user, code, verified)
    rating = int(rating)
    if not 1 <= rating <= 5:
        raise ReporterActionError(_("Nilai harus 1 sampai 5."))
    response = complaint.latest_response
    if response is None:
        raise ReporterActionError(_("Belum ada tanggapan yang dapat dinilai."))
    response.rating = rating
    response.rating_comment = (comment or "").strip()[:1000]
    response.rated_at = now or timezone.now()
    response.save(update_fields=["rating", "rating_comment", "rated_at"])
    return response
