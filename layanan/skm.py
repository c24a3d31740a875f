"""SKM (Survei Kepuasan Masyarakat) per PermenPANRB 14/2017: nine elements (unsur), scale 1-4.

One invitation per completed application (a secret token in the link, no login needed); the
answers are kept apart from the resident's identity in every report: IKM is computed over
responses of a service or office only.
"""

import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kupang_portal.organization.reference import reference_data


def unsur():
    """[(code, name, question, [answer 1..4])] from the reference data (PermenPANRB 14/2017)."""
    return [(u["code"], u["name"], u["question"], u["answers"]) for u in reference_data()["skm"]["unsur"]]


UNSUR_CODES = tuple(f"U{i}" for i in range(1, 10))


class SurveyResponse(models.Model):
    token = models.CharField(max_length=64, unique=True, editable=False)
    application = models.OneToOneField("layanan.Application", on_delete=models.CASCADE, related_name="survey", verbose_name=_("permohonan"))
    service = models.ForeignKey("layanan.Service", on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("layanan"))
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("OPD"))
    invited_at = models.DateTimeField(_("diundang"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("diisi"), null=True, blank=True, db_index=True)
    answers = models.JSONField(_("jawaban"), default=dict, blank=True)
    suggestion = models.TextField(_("saran"), blank=True, max_length=2000)

    class Meta:
        app_label = "layanan"
        verbose_name = _("survei kepuasan (SKM)")
        verbose_name_plural = _("survei kepuasan (SKM)")

    def __str__(self):
        return f"SKM {self.application}"

    def get_absolute_url(self):
        return reverse("skm:survey", args=[self.token])


def invite(application):
    """Create the survey for a completed application and invite the resident (idempotent)."""
    from kupang_portal.notifications.services import notify

    if SurveyResponse.objects.filter(application=application).exists():
        return None
    try:
        with transaction.atomic():
            survey = SurveyResponse.objects.create(
                token=secrets.token_urlsafe(32), application=application,
                service=application.service, office=application.office or application.service.office,
            )
    except IntegrityError:
        return None
    notify(
        "survey_invitation", [application.applicant],
        {"survey_link": f"{_site_url()}{survey.get_absolute_url()}"},
        case_number=str(application), link=survey.get_absolute_url(),
    )
    return survey


def _site_url():
    from django.conf import settings

    return settings.SITE_URL


class AlreadySubmitted(Exception):
    pass


def submit(survey, answers, suggestion=""):
    """Store the answers once. ``answers`` maps U1..U9 to 1..4."""
    if set(answers) != set(UNSUR_CODES) or not all(int(v) in (1, 2, 3, 4) for v in answers.values()):
        raise ValueError("every element needs an answer from 1 to 4")
    updated = SurveyResponse.objects.filter(pk=survey.pk, submitted_at__isnull=True).update(
        answers={code: int(answers[code]) for code in UNSUR_CODES}, suggestion=suggestion[:2000], submitted_at=timezone.now()
    )
    if not updated:
        raise AlreadySubmitted()
    survey.refresh_from_db()
    return survey


def mutu(ikm_konversi):
    """(grade, performance) for an IKM on the 25-100 scale, intervals of PermenPANRB 14/2017."""
    for interval in reference_data()["skm"]["mutu_intervals"]:
        low, high = interval["interval_konversi"]
        if low <= ikm_konversi <= high:
            return interval["mutu"], interval["kinerja"]
    # Values between two published bounds (e.g. 64.995) belong to the upper interval.
    for interval in reference_data()["skm"]["mutu_intervals"]:
        if ikm_konversi < interval["interval_konversi"][0]:
            return interval["mutu"], interval["kinerja"]
    return "A", "Sangat Baik"


def ikm(responses):
    """IKM over submitted responses: mean of the nine element averages (NRR) x 25, rounded last."""
    rows = [r.answers for r in responses if r.submitted_at and r.answers]
    if not rows:
        return None
    nrr = {code: Decimal(sum(row[code] for row in rows)) / len(rows) for code in UNSUR_CODES}
    value = (sum(nrr.values()) / len(UNSUR_CODES) * 25).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grade, performance = mutu(float(value))
    return {
        "respondents": len(rows),
        "nrr": {code: nrr[code].quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) for code in UNSUR_CODES},
        "ikm": value,
        "grade": grade,
        "performance": performance,
    }
