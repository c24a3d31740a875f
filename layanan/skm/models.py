"""SKM tables: one survey per delivered service, one report per office and period, its RTL rows.

A ``SurveyResponse`` is linked to the application (or the closed complaint) that invited it so a
case is invited once and the resident finds the survey again on the case page. That link is never
shown to staff: the admin, the reports and the exports work on answers, office, service and month
only, and results are published in aggregate.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import UNSUR_CODES, AgeGroup, Education, FollowUpStatus, Occupation, PeriodKind, Sex


class SurveyResponse(models.Model):
    token = models.CharField(max_length=64, unique=True, editable=False)
    application = models.OneToOneField(
        "layanan.Application", on_delete=models.CASCADE, related_name="survey", null=True, blank=True,
        verbose_name=_("permohonan"),
    )
    complaint = models.OneToOneField(
        "pengaduan.Complaint", on_delete=models.CASCADE, related_name="survey", null=True, blank=True,
        verbose_name=_("pengaduan"),
    )
    service = models.ForeignKey(
        "layanan.Service", on_delete=models.PROTECT, related_name="survey_responses", null=True, blank=True,
        verbose_name=_("layanan"),
    )
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("OPD"))
    invited_at = models.DateTimeField(_("diundang"), auto_now_add=True)
    closes_at = models.DateTimeField(_("survei ditutup"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diisi"), null=True, blank=True, db_index=True)
    answers = models.JSONField(_("jawaban"), default=dict, blank=True)
    suggestion = models.TextField(_("saran"), blank=True, max_length=2000)
    # Respondent profile (PermenPANRB 14/2017), every item optional.
    age_group = models.CharField(_("kelompok umur"), max_length=8, choices=AgeGroup.choices, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(_("pendidikan terakhir"), max_length=8, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan utama"), max_length=20, choices=Occupation.choices, blank=True)
    visit_date = models.DateField(_("tanggal menerima layanan"), null=True, blank=True)
    # Moderation of the suggestion by the office head (the text stays, hidden from every report).
    suggestion_hidden = models.BooleanField(_("saran disembunyikan"), default=False)
    suggestion_hidden_reason = models.CharField(_("alasan disembunyikan"), max_length=300, blank=True)
    suggestion_hidden_at = models.DateTimeField(_("disembunyikan pada"), null=True, blank=True)
    suggestion_hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("disembunyikan oleh"),
    )

    class Meta:
        app_label = "layanan"
        verbose_name = _("jawaban survei kepuasan (SKM)")
        verbose_name_plural = _("jawaban survei kepuasan (SKM)")
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False, complaint__isnull=True) | Q(application__isnull=True, complaint__isnull=False),
                name="skm_response_one_case",
            ),
        ]
        indexes = [models.Index(fields=["office", "submitted_at"], name="skm_office_submitted_idx")]

    def __str__(self):
        return f"SKM #{self.pk}"

    def get_absolute_url(self):
        return reverse("skm:survey", args=[self.token])

    @property
    def is_open(self):
        return self.submitted_at is None and (self.closes_at is None or timezone.now() < self.closes_at)

    @property
    def for_complaint(self):
        return self.complaint_id is not None

    def answered_unsur(self):
        return [code for code in UNSUR_CODES if code in self.answers]


class SkmReport(models.Model):
    """The SKM of one office for one period: a draft until the office head publishes it.

    Publishing freezes the computed results in ``snapshot`` (later answers do not change a published
    report); the RTL rows stay editable so their progress is part of the publication.
    """

    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="skm_reports", verbose_name=_("OPD"))
    period_kind = models.CharField(_("jenis periode"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("ke"), default=1)
    conclusion = models.TextField(_("catatan kesimpulan kepala OPD"), blank=True, max_length=3000)
    published_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    published_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )
    snapshot = models.JSONField(_("hasil saat terbit"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        app_label = "layanan"
        ordering = ["-year", "period_kind", "-number", "office__name"]
        verbose_name = _("laporan SKM")
        verbose_name_plural = _("laporan SKM")
        constraints = [
            models.UniqueConstraint(fields=["office", "period_kind", "year", "number"], name="skm_report_unique"),
        ]

    def __str__(self):
        return f"SKM {self.office.short_name} {self.period_key}"

    def get_absolute_url(self):
        return reverse("skm:report", args=[self.office.code, self.period_key])

    @property
    def period_key(self):
        from .periods import Period

        return Period(self.period_kind, self.year, self.number).key

    @property
    def is_published(self):
        return self.published_at is not None


class FollowUpAction(models.Model):
    """One line of the rencana tindak lanjut (RTL) for a weak unsur of a report."""

    report = models.ForeignKey(SkmReport, on_delete=models.CASCADE, related_name="actions", verbose_name=_("laporan SKM"))
    unsur = models.CharField(_("unsur"), max_length=3, choices=[(code, code) for code in UNSUR_CODES])
    action = models.TextField(_("rencana tindak lanjut"), max_length=1000)
    responsible = models.CharField(_("penanggung jawab"), max_length=150)
    target_date = models.DateField(_("target waktu"))
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.PLANNED)
    evidence = models.TextField(_("catatan bukti/kemajuan"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("diperbarui oleh"),
    )

    class Meta:
        app_label = "layanan"
        ordering = ["unsur", "target_date", "pk"]
        verbose_name = _("rencana tindak lanjut (RTL)")
        verbose_name_plural = _("rencana tindak lanjut (RTL)")

    def __str__(self):
        return f"{self.unsur}: {self.action[:40]}"
