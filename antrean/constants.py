"""Choices shared by the antrean modules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitStep(models.TextChoices):
    """When in an application's life the resident must come to the counter."""

    BEFORE_SUBMISSION = "before_submission", _("Sebelum mengajukan (konsultasi/berkas asli)")
    AFTER_VERIFICATION = "after_verification", _("Setelah berkas diverifikasi")
    ON_COMPLETION = "on_completion", _("Setelah permohonan selesai")


class BookingStatus(models.TextChoices):
    HELD = "held", _("Ditahan sementara")
    BOOKED = "booked", _("Terjadwal")
    CHECKED_IN = "checked_in", _("Hadir, menunggu dipanggil")
    SERVING = "serving", _("Sedang dilayani")
    DONE = "done", _("Selesai dilayani")
    NO_SHOW = "no_show", _("Tidak hadir")
    CANCELLED = "cancelled", _("Dibatalkan warga")
    EXPIRED = "expired", _("Waktu penahanan habis")
    OFFICE_CLOSED = "office_closed", _("Dibatalkan: layanan tutup")


class BookingChannel(models.TextChoices):
    ONLINE = "online", _("Daring (portal)")
    ASSISTED = "assisted", _("Dibantu petugas")


# A booking in one of these states holds a place in its slot.
ACTIVE_STATES = (BookingStatus.HELD, BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.SERVING)
# The resident may still change or cancel these (before the cut-off).
CHANGEABLE_STATES = (BookingStatus.BOOKED,)
# Bookings counted as "dipesan" in the figures: confirmed and not cancelled or closed.
COUNTED_STATES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.SERVING, BookingStatus.DONE,
                  BookingStatus.NO_SHOW)
