"""SKM writes: invitations, answers, moderation, RTL rows and publication. Views and admin call these."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .constants import COMPLAINT_UNSUR, PROFILE_FIELDS, SURVEY_OPEN_DAYS, UNSUR_CODES
from .models import FollowUpAction, SkmReport, SurveyResponse


class AlreadySubmitted(Exception):
    pass


class SurveyClosed(Exception):
    pass


def _create(**fields):
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                token=secrets.token_urlsafe(32), closes_at=timezone.now() + dt.timedelta(days=SURVEY_OPEN_DAYS), **fields,
            )
    except IntegrityError:
        return None


def invite(application):
    """Create the survey for a completed application and invite the resident (idempotent)."""
    from kupang_portal.notifications.services import notify

    if SurveyResponse.objects.filter(application=application).exists():
        return None
    survey = _create(application=application, service=application.service,
                     office=application.office or application.service.office)
    if survey is None:
        return None
    notify(
        "survey_invitation", [application.applicant],
        {"survey_link": f"{settings.SITE_URL}{survey.get_absolute_url()}"},
        case_number=str(application), link=survey.get_absolute_url(),
    )
    return survey


def invite_for_complaint(complaint):
    """A survey for a complaint closed with a response (only the unsur a complaint can judge).

    The reporter finds it on the complaint page (or, anonymous, on the tracking page after the
    secret code); no extra message is sent, the closing notice already points to that page.
    """
    if complaint.office_id is None or not complaint.responses.exists():
        return None
    if SurveyResponse.objects.filter(complaint=complaint).exists():
        return None
    return _create(complaint=complaint, office=complaint.office)


def questions_for(survey):
    return COMPLAINT_UNSUR if survey.for_complaint else UNSUR_CODES


def submit(survey, answers, suggestion="", profile=None):
    """Store the answers once. ``answers`` maps unsur codes to 1..4; unanswered items are left out.

    At least one unsur must be answered; the profile (age group, sex, education, occupation, visit
    date) is optional.
    """
    allowed = questions_for(survey)
    clean = {code: int(value) for code, value in answers.items() if value not in (None, "")}
    if not clean or any(code not in allowed or value not in (1, 2, 3, 4) for code, value in clean.items()):
        raise ValidationError(_("Jawab paling sedikit satu pertanyaan dengan nilai 1 sampai 4."))
    if not survey.is_open:
        if survey.submitted_at:
            raise AlreadySubmitted()
        raise SurveyClosed()
    fields = {name: (profile or {}).get(name) or "" for name, _label, _choices in PROFILE_FIELDS}
    fields["visit_date"] = (profile or {}).get("visit_date")
    updated = SurveyResponse.objects.filter(pk=survey.pk, submitted_at__isnull=True).update(
        answers={code: clean[code] for code in UNSUR_CODES if code in clean}, suggestion=(suggestion or "")[:2000],
        submitted_at=timezone.now(), **fields,
    )
    if not updated:
        raise AlreadySubmitted()
    survey.refresh_from_db()
    return survey


def _public_changed():
    """Published material changed: drop the cached /transparansi/ figures after the commit."""
    from kupang_portal.transparency.selectors import invalidate

    transaction.on_commit(invalidate)


def _require_head(user, office):
    if not selectors.is_office_head(user, office):
        raise PermissionDenied(_("Hanya kepala OPD ini yang dapat mengubah laporan SKM-nya."))


def hide_suggestion(survey, user, reason):
    """The office head hides a suggestion (e.g. it names a person); the reason is kept."""
    _require_head(user, survey.office)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Tuliskan alasan menyembunyikan saran ini."))
    SurveyResponse.objects.filter(pk=survey.pk).update(
        suggestion_hidden=True, suggestion_hidden_reason=reason[:300], suggestion_hidden_at=timezone.now(),
        suggestion_hidden_by=user,
    )
    _public_changed()


def report_for_edit(office, period, user):
    _require_head(user, office)
    report, _created = SkmReport.objects.get_or_create(
        office=office, period_kind=period.kind, year=period.year, number=period.number,
    )
    return report


def save_follow_up(office, period, user, data, action=None):
    """Create or update one RTL row of the office's report for the period (office head only)."""
    report = report_for_edit(office, period, user)
    if action is not None and action.report_id != report.pk:
        raise PermissionDenied(_("Baris RTL ini bukan milik laporan tersebut."))
    action = action or FollowUpAction(report=report)
    for field in ("unsur", "action", "responsible", "target_date", "status", "evidence"):
        setattr(action, field, data[field])
    action.updated_by = user
    action.full_clean()
    action.save()
    _public_changed()
    return action


class AlreadyPublished(Exception):
    pass


@transaction.atomic
def publish(office, period, user, published_on, conclusion=""):
    """'Terbitkan': freeze the results computed now and make the report public from today."""
    report = report_for_edit(office, period, user)
    report = SkmReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise AlreadyPublished()
    now = timezone.now()
    results = selectors.office_results(office, period, until=now)
    if not results["result"]:
        raise ValidationError(_("Belum ada jawaban survei pada periode ini; laporan tidak dapat diterbitkan."))
    report.snapshot = selectors.to_json(results)
    report.published_at = now
    report.published_on = published_on
    report.published_by = user
    report.conclusion = conclusion or report.conclusion
    report.save()
    _public_changed()
    return report
