"""Service catalogue (Standar Pelayanan) and online applications.

A ``Service`` is the published standard of one service; ``Requirement`` rows say which documents
an application needs; ``ServiceStep`` rows give an optional chain of processing offices (PBG:
DPMPTSP intake, PUPR technical review, DPMPTSP issues). An ``Application`` is a workflow case
(see ``layanan.workflow``); its files are ``ApplicationDocument`` rows in the private storage.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.uploads import private_storage
from kupang_portal.workflow.models import Case

from .constants import ApplicationStatus, Category, DocumentKind, FileType


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Service(models.Model):
    """One published Standar Pelayanan."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("nama layanan"), max_length=200)
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices, db_index=True)
    office = models.ForeignKey(
        "organization.Office", on_delete=models.PROTECT, related_name="services", verbose_name=_("OPD penanggung jawab"),
    )
    number_prefix = models.CharField(
        _("prefiks nomor"), max_length=8, help_text=_("Awal nomor pendaftaran, misalnya KTP untuk KTP-2026-000123."),
    )
    description = models.TextField(_("uraian"), blank=True)
    eligibility = models.TextField(_("ketentuan pemohon"), blank=True)
    procedure = models.TextField(_("prosedur"), blank=True, help_text=_("Satu langkah per baris."))
    completion_days = models.PositiveSmallIntegerField(
        _("waktu penyelesaian (hari kerja)"), default=5,
        help_text=_("Dipakai untuk menghitung tenggat (SLA) sejak permohonan lengkap diajukan."),
    )
    completion_text = models.CharField(_("waktu penyelesaian (teks)"), max_length=120, blank=True)
    fee_amount = models.PositiveIntegerField(
        _("biaya (Rp)"), null=True, blank=True, help_text=_("Kosongkan bila biaya mengikuti tarif retribusi (lihat keterangan biaya)."),
    )
    fee_text = models.CharField(_("keterangan biaya"), max_length=255, blank=True)
    fee_basis = models.TextField(_("dasar hukum biaya"), blank=True)
    product = models.CharField(_("produk layanan"), max_length=200, blank=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)
    complaint_channel = models.TextField(_("sarana pengaduan"), blank=True)
    unconfirmed = models.BooleanField(
        _("belum terkonfirmasi"), default=False,
        help_text=_("Nilai standar (waktu, persyaratan, biaya) belum dikonfirmasi dari sumber resmi Kota Kupang."),
    )
    is_published = models.BooleanField(_("diterbitkan"), default=True)
    is_popular = models.BooleanField(_("tampil di beranda"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("layanan (standar pelayanan)")
        verbose_name_plural = _("layanan (standar pelayanan)")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("layanan:service_detail", args=[self.slug])

    def get_apply_url(self):
        return reverse("layanan:apply", args=[self.slug])

    @property
    def is_free(self):
        return self.fee_amount == 0

    def clean(self):
        """Population documents are free by law: a fee on them is refused with the reason."""
        from django.core.exceptions import ValidationError

        if self.category == Category.POPULATION and self.fee_amount != 0:
            raise ValidationError({"fee_amount": _(
                "Dokumen kependudukan tidak dipungut biaya (UU 24/2013 Pasal 79A); pungutan diancam pidana (Pasal 95B). "
                "Isi biaya Rp0.")})

    @property
    def in_person_step(self):
        """Where and when residents must come in person ('' when everything happens online)."""
        from .catalogue import in_person_step

        return in_person_step(self)

    def procedure_steps(self):
        return [line.strip() for line in self.procedure.splitlines() if line.strip()]

    def chain(self):
        """The ordered processing steps; empty when the responsible office does everything.

        Uses steps prefetched by a list page (see ApplicationAdmin: ``prefetched_steps``, a plain
        list, which spares Django a related manager and a queryset clone per row) instead of a
        query per row."""
        prefetched = getattr(self, "prefetched_steps", None)
        if prefetched is not None:
            return sorted(prefetched, key=lambda step: step.order)
        if "steps" in getattr(self, "_prefetched_objects_cache", {}):
            return sorted(self.steps.all(), key=lambda step: step.order)
        return list(self.steps.select_related("office").order_by("order"))


class Requirement(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("layanan"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    name = models.CharField(_("jenis dokumen"), max_length=255)
    is_required = models.BooleanField(_("wajib"), default=True)
    allowed_types = models.CharField(
        _("jenis berkas yang diizinkan"), max_length=40, default="pdf,jpeg,png",
        help_text=_("Dipisah koma: pdf, jpeg, png."),
    )
    notes = models.CharField(_("catatan"), max_length=255, blank=True)
    unconfirmed = models.BooleanField(_("belum terkonfirmasi"), default=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")

    def __str__(self):
        return self.name

    @property
    def field_name(self):
        return f"doc_{self.pk}"

    def allowed_mimes(self):
        wanted = {part.strip().lower() for part in self.allowed_types.split(",") if part.strip()}
        mimes = tuple(FileType.MIME[key] for key in ("pdf", "jpeg", "png") if key in wanted)
        return mimes or tuple(FileType.MIME.values())

    def allowed_label(self):
        return "/".join(FileType.LABEL[m] for m in self.allowed_mimes())


class ServiceStep(models.Model):
    """One office in a service's processing chain, in order."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps", verbose_name=_("layanan"))
    order = models.PositiveSmallIntegerField(_("urutan"))
    office = models.ForeignKey(
        "organization.Office", on_delete=models.PROTECT, related_name="service_steps", verbose_name=_("OPD"),
    )
    label = models.CharField(_("tahap"), max_length=150)

    class Meta:
        ordering = ["service", "order"]
        verbose_name = _("tahap pemrosesan")
        verbose_name_plural = _("tahap pemrosesan (rantai OPD)")
        constraints = [models.UniqueConstraint(fields=["service", "order"], name="layanan_step_order_unique")]

    def __str__(self):
        return f"{self.order}. {self.label} ({self.office})"


class Application(Case):
    """A resident's application for one service; a workflow case."""

    status = models.CharField(_("status"), max_length=30, db_index=True, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT)
    number = models.CharField(_("nomor pendaftaran"), max_length=30, unique=True, null=True, blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications", verbose_name=_("layanan"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("pemohon"),
    )
    applicant_name = models.CharField(_("nama pemohon"), max_length=150, blank=True)
    applicant_nik = models.CharField(_("NIK pemohon"), max_length=16, blank=True, db_index=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    notes = models.TextField(_("keterangan pemohon"), blank=True)
    # Idempotency: the form carries this token, so a replayed or double-clicked POST finds the
    # application it already created instead of starting a second one.
    form_token = models.UUIDField(_("token formulir"), default=uuid.uuid4, unique=True, editable=False)
    current_step = models.PositiveSmallIntegerField(_("tahap ke"), default=0)
    # Set when a step is finished and cleared when the routing task hands the case on, so a
    # routing task lost to a broker outage is found and enqueued again by the beat sweep.
    routing_pending = models.BooleanField(_("menunggu diteruskan"), default=False, db_index=True)
    revision_reason = models.TextField(_("alasan perbaikan"), blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    owner_field = "applicant"
    open_states = (ApplicationStatus.SUBMITTED, ApplicationStatus.VERIFIED, ApplicationStatus.IN_PROCESS,
                   ApplicationStatus.NEEDS_REVISION)
    # The engine reads `workflow` from the class: attached in LayananConfig.ready().

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        indexes = [
            # The queue filtered by status (?status=…, any state, open or closed) in the queue's
            # full order, so a page reads 50 index entries however many cases the office has in
            # that state; it also serves counts per (office, status). EXPLAIN: docs/performance.md.
            models.Index(fields=["office", "status", "-is_open", "deadline", "created_at"], name="layanan_app_status_queue_idx"),
            # Open-now lists (queues, dashboards' exception lists) read only open cases by deadline.
            models.Index(fields=["office", "deadline"], condition=models.Q(is_open=True), name="layanan_app_open_office_dl_idx"),
            models.Index(fields=["deadline"], condition=models.Q(is_open=True), name="layanan_app_open_deadline_idx"),
            # The staff queue's full order (open first, then deadline, then the oldest) within an
            # office, and "my applications" (newest change first). EXPLAIN at 1M: docs/performance.md.
            models.Index(fields=["office", "-is_open", "deadline", "created_at"], name="layanan_app_queue_order_idx"),
            # The same order city-wide (pimpinan, IT admins: no office filter): 50 index entries
            # instead of every open case sorted (32 ms -> 0.6 ms at 1M). EXPLAIN: docs/performance.md.
            models.Index(fields=["-is_open", "deadline", "created_at"], name="layanan_app_city_queue_idx"),
            models.Index(fields=["applicant", "-updated_at"], name="layanan_app_applicant_upd_idx"),
        ]

    def __str__(self):
        return self.number or str(_("Draf #%(pk)s") % {"pk": self.pk})

    sla_title_related = ("service",)  # what deadline reminders read with the case (notifications.jobs)

    def sla_title(self):
        """What deadline reminders call the case: its service."""
        return self.service.name

    def get_absolute_url(self):
        if not self.number:
            return reverse("layanan:apply", args=[self.service.slug])
        return reverse("layanan:application_detail", args=[self.number])

    @property
    def masked_nik(self):
        from kupang_portal.accounts.nik import mask_nik

        return mask_nik(self.applicant_nik) if self.applicant_nik else ""

    def current_documents(self):
        return self.documents.filter(is_current=True).exclude(kind=DocumentKind.ISSUED).select_related("requirement")

    def issued_document(self):
        return self.documents.filter(kind=DocumentKind.ISSUED, is_current=True).order_by("-uploaded_at").first()


def document_upload_to(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"layanan/{instance.application_id}/{uuid.uuid4().hex}.{ext}"


class ApplicationDocument(models.Model):
    """A file of an application: a requirement, a correction or the issued document. Private."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("permohonan"))
    requirement = models.ForeignKey(
        Requirement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("persyaratan"),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.REQUIREMENT)
    file = models.FileField(_("berkas"), upload_to=document_upload_to, storage=private_storage, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis isi"), max_length=60)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    is_current = models.BooleanField(_("berlaku"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pengunggah"),
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("berkas permohonan")
        verbose_name_plural = _("berkas permohonan")

    def __str__(self):
        return self.original_name

    @property
    def label(self):
        if self.kind == DocumentKind.ISSUED:
            return str(_("Dokumen hasil layanan"))
        return self.requirement.name if self.requirement else str(_("Berkas tambahan"))


# The SKM unit (layanan/skm/) keeps its tables in this app; importing them here registers them in
# every process that loads the app registry.
from .skm.models import FollowUpAction, SkmReport, SurveyResponse  # noqa: E402,F401
