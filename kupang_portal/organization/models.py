"""City offices (OPD), administrative regions and the holiday calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Office(models.Model):
    """A city office (OPD) or public body that owns cases."""

    code = models.SlugField(_("kode"), max_length=40, unique=True, allow_unicode=False)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    website = models.CharField(_("situs web"), max_length=120, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # Values from the reference data that no source confirmed; editable defaults.
    unconfirmed = models.BooleanField(_("belum terkonfirmasi"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("perangkat daerah (OPD)")
        verbose_name_plural = _("perangkat daerah (OPD)")

    def __str__(self):
        return self.short_name or self.name


class Kecamatan(models.Model):
    code = models.CharField(_("kode"), max_length=8, unique=True)  # e.g. 53.71.01
    name = models.CharField(_("nama"), max_length=100)
    nik_prefix = models.CharField(_("prefiks NIK"), max_length=6)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.name


class Kelurahan(models.Model):
    code = models.CharField(_("kode"), max_length=13, unique=True)  # e.g. 53.71.01.1001
    name = models.CharField(_("nama"), max_length=100)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="kelurahan", verbose_name=_("kecamatan"))

    class Meta:
        ordering = ["kecamatan__code", "name"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")

    def __str__(self):
        return f"{self.name}, {self.kecamatan.name}"


class Holiday(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "libur_nasional", _("Libur nasional")
        COLLECTIVE_LEAVE = "cuti_bersama", _("Cuti bersama")
        LOCAL = "lokal", _("Libur daerah")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.NATIONAL)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"
