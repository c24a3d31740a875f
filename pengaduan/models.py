"""Complaints (pengaduan) along the SP4N-LAPOR! flow: categories, routing rules, complaints,
responses, photos and Open311 API keys.

State changes go only through ``pengaduan.workflow`` (the shared engine); this module holds data.
An anonymous complaint stores no user at all: ``reporter`` is NULL and nothing else (IP address,
e-mail) is kept that could identify the reporter.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.uploads import private_storage
from kupang_portal.workflow.models import Case, CaseQuerySet


class Kind(models.TextChoices):
    """Report classification of SP4N-LAPOR!: same flow, own follow-up deadlines."""

    COMPLAINT = "pengaduan", _("Pengaduan")
    ASPIRATION = "aspirasi", _("Aspirasi atau saran")
    INFORMATION = "informasi", _("Permintaan informasi")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Menunggu verifikasi")
    DISPOSED = "disposed", _("Diverifikasi dan diteruskan")
    IN_PROGRESS = "in_progress", _("Sedang ditindaklanjuti")
    RESPONDED = "responded", _("Sudah ditanggapi")
    CLOSED = "closed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")


class Channel(models.TextChoices):
    WEB = "web", _("Portal web")
    OPEN311 = "open311", _("API Open311")
    DEMO = "demo", _("Data demo")


class RejectReason(models.TextChoices):
    NOT_A_COMPLAINT = "bukan_pengaduan", _("Bukan pengaduan pelayanan publik")
    DUPLICATE = "duplikat", _("Duplikat laporan lain")
    SPAM = "spam", _("Spam atau tidak patut")
    INCOMPLETE = "tidak_lengkap", _("Informasi tidak cukup untuk ditindaklanjuti")


class Category(models.Model):
    name = models.CharField(_("nama"), max_length=120, unique=True)
    service_code = models.SlugField(
        _("kode layanan (Open311)"), max_length=40, unique=True,
        help_text=_("Kode tetap untuk API Open311, misalnya “sampah”. Jangan diubah setelah dipakai."),
    )
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    group = models.CharField(_("kelompok"), max_length=60, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(
        _("batas tindak lanjut (hari kerja)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("5 untuk keluhan biasa; 14 bila perlu koordinasi; 60 bila perlu pemeriksaan lapangan/audit."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")

    def __str__(self):
        return self.name


class RoutingRule(models.Model):
    """Category (+ optional kecamatan) -> office. A rule with a kecamatan beats one without."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("kategori"))
    kecamatan = models.ForeignKey(
        "organization.Kecamatan", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("kecamatan"), help_text=_("Kosongkan untuk seluruh kota."),
    )
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD tujuan"))
    is_active = models.BooleanField(_("aktif"), default=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        ordering = ["category__order", "category__name", "kecamatan__code"]
        verbose_name = _("aturan rute")
        verbose_name_plural = _("aturan rute")
        constraints = [
            models.UniqueConstraint(fields=["category", "kecamatan"], name="routingrule_category_kecamatan_unique"),
            models.UniqueConstraint(
                fields=["category"], condition=models.Q(kecamatan__isnull=True), name="routingrule_category_citywide_unique"
            ),
        ]

    def __str__(self):
        where = self.kecamatan.name if self.kecamatan_id else _("seluruh kota")
        return f"{self.category} · {where} → {self.office}"


class ResponseTemplate(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="response_templates",
        verbose_name=_("kategori"), help_text=_("Kosongkan untuk templat umum semua kategori."),
    )
    title = models.CharField(_("judul"), max_length=120)
    text = models.TextField(_("teks tanggapan"), max_length=5000)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["category__name", "title"]
        verbose_name = _("templat tanggapan")
        verbose_name_plural = _("templat tanggapan")

    def __str__(self):
        return f"{self.category or _('Umum')}: {self.title}"


def _code_digest(salt, code):
    return hashlib.sha256(f"{salt}:{code.strip().upper()}".encode("utf-8")).hexdigest()


class ComplaintQuerySet(CaseQuerySet):
    def visible_to(self, user):
        """Clerks: their offices' complaints; the desk (Verifikator) also every complaint waiting
        for verification; city-wide roles: all."""
        from kupang_portal.accounts.roles import Role

        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        if not user.is_superuser and not user.has_role(Role.SUPERVISOR) and user.has_role(Role.VERIFIER):
            # Every complaint waiting for verification sits at the desk office (the workflow puts
            # it there on submit and on return to the desk), so "the desk's complaints" is one
            # office filter, not ``office IN (...) OR status = submitted``: an OR cannot use the
            # (office, is_open, deadline) index and sorted every desk complaint (0.4 s at 1M).
            from .routing import desk_office

            return self.filter(office_id__in=sorted({*user.office_ids(), desk_office().pk}))
        return super().visible_to(user)


class Complaint(Case):
    # Declared choices: the admin's status filter lists them instead of a SELECT DISTINCT scan.
    status = models.CharField(_("status"), max_length=30, db_index=True, choices=Status.choices)
    number = models.CharField(_("nomor"), max_length=30, unique=True)
    kind = models.CharField(_("jenis laporan"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    # NULL for anonymous complaints: an anonymous complaint never records who filed it.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints",
        verbose_name=_("pelapor"),
    )
    is_anonymous = models.BooleanField(_("anonim"), default=False)
    is_confidential = models.BooleanField(_("rahasia"), default=False, help_text=_("Isi laporan tidak ditampilkan kepada publik."))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("kategori"))
    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"), max_length=5000)
    kelurahan = models.ForeignKey(
        "organization.Kelurahan", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kelurahan"),
    )
    address = models.CharField(_("alamat/lokasi"), max_length=255, blank=True)
    landmark = models.CharField(_("patokan lokasi"), max_length=150, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    # Secret code of an anonymous reporter (hashed like a password; shown once).
    tracking_code_hash = models.CharField(max_length=128, blank=True, editable=False)
    # The web form's one-time token: a re-posted form (refresh, double tap) finds this complaint
    # instead of filing a second one. Identifies the form, never the person.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    proposed_office = models.ForeignKey(
        "organization.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("usulan OPD (rute otomatis)"),
    )
    routed_at = models.DateTimeField(_("dirutekan"), null=True, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(_("batas tindak lanjut (hari kerja)"), default=5)
    disposed_at = models.DateTimeField(_("didisposisi"), null=True, blank=True)
    responded_at = models.DateTimeField(_("ditanggapi"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("dibuka kembali"), default=0)
    reject_reason = models.CharField(_("alasan penolakan"), max_length=20, choices=RejectReason.choices, blank=True)

    objects = ComplaintQuerySet.as_manager()

    owner_field = "reporter"
    open_states = (Status.SUBMITTED, Status.DISPOSED, Status.IN_PROGRESS, Status.RESPONDED)
    # workflow: attached in PengaduanConfig.ready().

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        indexes = [
            models.Index(fields=["status", "deadline"], name="complaint_status_deadline_idx"),
            # The desk's and the offices' queues filtered by status (?status=…), in the queue's full
            # order: closed and rejected complaints have no deadline, so without created_at in the
            # index every one of them in the office is read and sorted. EXPLAIN: docs/performance.md.
            models.Index(fields=["office", "status", "-is_open", "deadline", "created_at"], name="complaint_status_queue_idx"),
            # Open-now lists (queues, dashboards' exception lists) read only open cases by deadline.
            models.Index(fields=["office", "deadline"], condition=models.Q(is_open=True), name="complaint_open_office_dl_idx"),
            models.Index(fields=["deadline"], condition=models.Q(is_open=True), name="complaint_open_deadline_idx"),
            models.Index(fields=["category", "created_at"], name="complaint_category_created_idx"),
            # The staff queue's full order (open first, then deadline, then the oldest: closed
            # complaints have no deadline) within an office; the resident's
            # own list; Open311 lists of open requests, newest first, per category (service_code)
            # and overall. EXPLAIN at 1M rows: docs/performance.md.
            models.Index(fields=["office", "-is_open", "deadline", "created_at"], name="complaint_queue_order_idx"),
            # The same order city-wide (pimpinan, IT admins: no office filter): 50 index entries
            # instead of every open case sorted (32 ms -> 0.6 ms at 1M). EXPLAIN: docs/performance.md.
            models.Index(fields=["-is_open", "deadline", "created_at"], name="complaint_city_queue_idx"),
            models.Index(fields=["reporter", "-created_at"], name="complaint_reporter_created_idx"),
            models.Index(fields=["category", "-created_at"], condition=models.Q(is_open=True), name="complaint_open_cat_created_idx"),
            models.Index(fields=["-created_at"], condition=models.Q(is_open=True), name="complaint_open_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_anonymous=False) | models.Q(reporter__isnull=True), name="complaint_anonymous_has_no_reporter"
            ),
        ]

    def __str__(self):
        return self.number

    sla_title_related = ("category",)  # what deadline reminders read with the case (notifications.jobs)

    def sla_title(self):
        """What deadline reminders call the case: its category (never the reporter's words)."""
        return self.category.name

    def get_status_display(self):
        return Status(self.status).label if self.status in Status.values else self.status

    # The code has ~50 bits of randomness, so a salted SHA-256 is enough (password hashers exist
    # for guessable secrets) and keeps tracking lookups fast; guessing is also rate limited.
    def set_tracking_code(self, code):
        salt = secrets.token_hex(8)
        self.tracking_code_hash = f"sha256${salt}${_code_digest(salt, code)}"

    def check_tracking_code(self, code):
        try:
            _algo, salt, digest = self.tracking_code_hash.split("$")
        except ValueError:
            return False
        return bool(code) and hmac.compare_digest(digest, _code_digest(salt, code))

    @classmethod
    def hidden_recipient_condition(cls):
        """For the outbox admin: the outer Notification went to the reporter of a confidential
        complaint (whose identity only the desk and the handling office may know)."""
        return models.Exists(cls.objects.filter(number=models.OuterRef("case_number"), is_confidential=True,
                                                reporter_id=models.OuterRef("recipient_id")))

    @property
    def latest_response(self):
        return self.responses.order_by("-created_at", "-pk").first()

    @property
    def routed_office(self):
        """The office that has the complaint now, as the reporter and the public are told: the
        desk (Bagian Organisasi) until it disposes the complaint, whatever the automatic routing
        proposed (the desk may choose another office), then the office it was handed to."""
        return self.office


class ComplaintResponse(models.Model):
    """A follow-up (tindak lanjut) posted by the office, with the reporter's rating of it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="responses", verbose_name=_("pengaduan"))
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD"))
    text = models.TextField(_("tanggapan"), max_length=5000)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    rating = models.PositiveSmallIntegerField(_("nilai"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_comment = models.CharField(_("komentar penilaian"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("dinilai"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("tanggapan")
        verbose_name_plural = _("tanggapan")

    def __str__(self):
        return f"{self.complaint} · {self.office}"


def photo_path(instance, filename):
    return f"pengaduan/{instance.complaint.created_at:%Y/%m}/{secrets.token_hex(16)}.{filename.rsplit('.', 1)[-1][:4]}"


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos", verbose_name=_("pengaduan"))
    file = models.FileField(_("berkas"), upload_to=photo_path, storage=private_storage, max_length=200)
    content_type = models.CharField(_("jenis"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran"))
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("foto")
        verbose_name_plural = _("foto")

    def __str__(self):
        return f"{self.complaint} #{self.pk}"


def hash_api_key(raw):
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """An Open311 client (e.g. a partner app). Only the SHA-256 of the key is stored."""

    name = models.CharField(_("nama klien"), max_length=120)
    key_prefix = models.CharField(_("awalan kunci"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kunci API Open311")
        verbose_name_plural = _("kunci API Open311")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def set_key(self, raw):
        self.key_hash = hash_api_key(raw)
        self.key_prefix = raw[:8]

    @classmethod
    def lookup(cls, raw):
        if not raw:
            return None
        return cls.objects.filter(key_hash=hash_api_key(raw.strip()), is_active=True).first()
