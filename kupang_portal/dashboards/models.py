"""Rollups behind the dashboards, the record of how far each fill got, and export jobs.

``DailyRollup`` has one row per (day, case type, office, service or category, kecamatan,
kelurahan, report kind, channel): the grain the dashboards group and filter by, nothing finer.
A day is a WITA date. Each measure is counted on the day its event happened (received on the day
of submission, completed/rejected/withdrawn on the day of closing, verified on the day of
disposition, responded on the day of the response). Processing times are kept as a histogram
(``wd_hist``: working days -> number of cases), so medians and 90th percentiles over any period
and filter are exact to the working day (times are whole working days).

``StaffDaily`` has the same per clerk (assignee): cases handled (closed), on time, working days,
revisions requested. Both tables are rebuilt per day by ``services.fill_day`` (delete + insert in
one transaction: idempotent per bucket); ``FillRun`` records how far a fill over a range got, so a
crashed fill resumes at the next day.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.uploads import private_storage


class CaseType(models.TextChoices):
    APPLICATION = "layanan", _("Permohonan layanan")
    COMPLAINT = "pengaduan", _("Pengaduan")


class DailyRollup(models.Model):
    day = models.DateField(_("tanggal (WITA)"))
    case_type = models.CharField(_("jenis kasus"), max_length=10, choices=CaseType.choices)
    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, null=True, related_name="+")
    service = models.ForeignKey("layanan.Service", on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey("pengaduan.Category", on_delete=models.CASCADE, null=True, related_name="+")
    kecamatan = models.ForeignKey("organization.Kecamatan", on_delete=models.CASCADE, null=True, related_name="+")
    kelurahan = models.ForeignKey("organization.Kelurahan", on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.CharField(_("jenis laporan"), max_length=20, blank=True)
    channel = models.CharField(_("kanal"), max_length=10, blank=True)

    received = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    completed_on_time = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    wd_sum = models.PositiveIntegerField(default=0)
    wd_count = models.PositiveIntegerField(default=0)
    wd_hist = models.JSONField(default=dict)
    reopened_completed = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    verified_on_time = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    responded_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rekap harian")
        verbose_name_plural = _("rekap harian")
        indexes = [
            models.Index(fields=["day", "office"], name="dash_rollup_day_office_idx"),
            models.Index(fields=["office", "day"], name="dash_rollup_office_day_idx"),
        ]


    def __str__(self):
        return f"{self.day} {self.case_type} office={self.office_id}"

class StaffDaily(models.Model):
    day = models.DateField(_("tanggal (WITA)"))
    case_type = models.CharField(_("jenis kasus"), max_length=10, choices=CaseType.choices)
    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    handled = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    wd_hist = models.JSONField(default=dict)
    revisions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rekap harian petugas")
        verbose_name_plural = _("rekap harian petugas")
        indexes = [models.Index(fields=["office", "day"], name="dash_staff_office_day_idx")]


    def __str__(self):
        return f"{self.day} {self.case_type} user={self.user_id}"

class FillRun(models.Model):
    """One fill of the rollups over a range of days; ``done_through`` is the last finished day."""

    class Status(models.TextChoices):
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    kind = models.CharField(_("jenis"), max_length=20)  # today | nightly | backfill
    first_day = models.DateField(_("hari pertama"))
    last_day = models.DateField(_("hari terakhir"))
    done_through = models.DateField(_("selesai sampai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("pengisian rekap")
        verbose_name_plural = _("pengisian rekap")

    def __str__(self):
        return f"{self.kind} {self.first_day}..{self.last_day} ({self.status}, {self.done_through or '-'})"


def export_path(instance, filename):
    return f"dasbor/ekspor/{instance.pk}/{filename}"


class ExportJob(models.Model):
    """An export requested on the dashboard: who, when, which filters; the file once ready."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        RUNNING = "running", _("sedang dibuat")
        DONE = "done", _("siap")
        FAILED = "failed", _("gagal")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Content(models.TextChoices):
        CASES = "kasus", _("Daftar kasus")
        BREAKDOWN = "rekap", _("Tabel rincian")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dashboard_exports")
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    content = models.CharField(_("isi"), max_length=10, choices=Content.choices, default=Content.CASES)
    params = models.JSONField(_("filter"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("berkas"), upload_to=export_path, storage=private_storage, blank=True, max_length=255)
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    error = models.CharField(_("galat"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ekspor dasbor")
        verbose_name_plural = _("ekspor dasbor")

    def __str__(self):
        return f"#{self.pk} {self.get_content_display()} {self.format} ({self.owner})"

    @property
    def filename(self):
        return f"dasbor-{self.content}-{self.pk}.{self.format}"
