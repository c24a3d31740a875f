"""Choices shared by the layanan modules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    POPULATION = "kependudukan", _("Dokumen kependudukan")
    BUSINESS = "perizinan", _("Perizinan dan usaha")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    VERIFIED = "verified", _("Terverifikasi")
    IN_PROCESS = "in_process", _("Diproses")
    NEEDS_REVISION = "needs_revision", _("Perlu perbaikan")
    COMPLETED = "completed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan pemohon")


class DocumentKind(models.TextChoices):
    REQUIREMENT = "requirement", _("Persyaratan")
    CORRECTION = "correction", _("Perbaikan")
    ISSUED = "issued", _("Dokumen hasil")


class FileType:
    MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
    LABEL = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}

