"""Counter appointments (antrean): which services need a visit, when the counters are open, the
slots of each day and the bookings that take places in them.

A ``Slot`` row exists for a (schedule, day, start) once somebody books it; its ``booked`` counter
is only ever changed by a conditional UPDATE (see ``services.take_place``), so concurrent bookers
cannot exceed ``capacity``. The public quota page computes free places from the schedule and the
slot rows without creating any.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import ACTIVE_STATES, BookingChannel, BookingStatus, VisitStep

WEEKDAYS = [(0, _("Senin")), (1, _("Selasa")), (2, _("Rabu")), (3, _("Kamis")), (4, _("Jumat")), (5, _("Sabtu")),
            (6, _("Minggu"))]


class VisitRequirement(models.Model):
    """Part of a service's published standard: a step that needs the resident at the counter."""

    service = models.ForeignKey("layanan.Service", on_delete=models.CASCADE, related_name="visit_requirements",
                                verbose_name=_("layanan"))
    step = models.CharField(_("tahap"), max_length=30, choices=VisitStep.choices)
    label = models.CharField(_("keperluan kunjungan"), max_length=120,
                             help_text=_("Misalnya: perekaman biometrik, pengambilan dokumen."))
    bring = models.TextField(_("yang perlu dibawa"), blank=True,
                             help_text=_("Satu baris per dokumen, selain persyaratan layanan."))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["service", "step"]
        verbose_name = _("kunjungan wajib")
        verbose_name_plural = _("kunjungan wajib (standar pelayanan)")
        constraints = [models.UniqueConstraint(fields=["service", "step"], name="antrean_visit_service_step_unique")]

    def __str__(self):
        return f"{self.service} · {self.label}"

    def bring_lines(self):
        return [line.strip() for line in self.bring.splitlines() if line.strip()]


class CounterSchedule(models.Model):
    """How one office runs the counter of one service: slot length, capacity, walk-in share, horizon."""

    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="counter_schedules",
                               verbose_name=_("OPD"))
    service = models.ForeignKey("layanan.Service", on_delete=models.CASCADE, related_name="counter_schedules",
                                verbose_name=_("layanan"))
    visit = models.ForeignKey(VisitRequirement, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="schedules", verbose_name=_("keperluan kunjungan"))
    location = models.CharField(_("lokasi loket"), max_length=200, blank=True,
                                help_text=_("Kosongkan untuk memakai alamat OPD."))
    slot_minutes = models.PositiveSmallIntegerField(_("lama satu slot (menit)"), default=30,
                                                    validators=[MinValueValidator(5), MaxValueValidator(240)])
    capacity_per_slot = models.PositiveSmallIntegerField(_("kapasitas per slot"), default=6,
                                                         validators=[MinValueValidator(1)])
    walkin_percent = models.PositiveSmallIntegerField(
        _("porsi langsung/dibantu (%)"), default=30, validators=[MaxValueValidator(100)],
        help_text=_("Bagian kapasitas yang tidak dapat dipesan daring: untuk warga datang langsung dan pemesanan oleh petugas."))
    min_days_ahead = models.PositiveSmallIntegerField(_("paling cepat (hari)"), default=1,
                                                      help_text=_("1 = mulai besok."))
    horizon_days = models.PositiveSmallIntegerField(_("paling lambat (hari)"), default=30,
                                                    validators=[MinValueValidator(1), MaxValueValidator(120)])
    grace_minutes = models.PositiveSmallIntegerField(
        _("toleransi keterlambatan (menit)"), default=15,
        help_text=_("Tidak hadir = belum check-in sampai akhir slot ditambah toleransi ini."))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["office__name", "service__name"]
        verbose_name = _("jadwal loket")
        verbose_name_plural = _("jadwal loket")
        constraints = [models.UniqueConstraint(fields=["office", "service", "visit"], name="antrean_schedule_unique")]

    def __str__(self):
        return f"{self.office} · {self.service}"

    @property
    def reserved_per_slot(self):
        """Places per slot kept for walk-ins and assisted bookings (rounded up)."""
        return min(self.capacity_per_slot, -(-self.capacity_per_slot * self.walkin_percent // 100))

    @property
    def online_per_slot(self):
        return self.capacity_per_slot - self.reserved_per_slot

    @property
    def address(self):
        return self.location or self.office.address


class CounterWindow(models.Model):
    """Opening hours of a counter on one weekday (several windows per day are allowed)."""

    schedule = models.ForeignKey(CounterSchedule, on_delete=models.CASCADE, related_name="windows",
                                 verbose_name=_("jadwal"))
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=WEEKDAYS)
    start = models.TimeField(_("mulai"))
    end = models.TimeField(_("selesai"))

    class Meta:
        ordering = ["schedule", "weekday", "start"]
        verbose_name = _("jam loket")
        verbose_name_plural = _("jam loket")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError(_("Jam selesai harus setelah jam mulai."))

    def slot_starts(self, slot_minutes):
        """Start times of the whole slots inside this window."""
        day = dt.date(2000, 1, 3)
        cursor = dt.datetime.combine(day, self.start)
        end = dt.datetime.combine(day, self.end)
        step = dt.timedelta(minutes=slot_minutes)
        starts = []
        while cursor + step <= end:
            starts.append(cursor.time())
            cursor += step
        return starts


class ClosedDay(models.Model):
    """A day one office (or one of its counters) is closed besides weekends and the holiday calendar."""

    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="closed_days",
                               verbose_name=_("OPD"))
    schedule = models.ForeignKey(CounterSchedule, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="closed_days", verbose_name=_("hanya loket"),
                                 help_text=_("Kosongkan bila seluruh loket OPD tutup."))
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("dibuat oleh"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("hari loket tutup")
        verbose_name_plural = _("hari loket tutup")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.office} · {self.reason}"


class Slot(models.Model):
    """One time slot of one day; ``booked`` counts the places taken (held or booked)."""

    schedule = models.ForeignKey(CounterSchedule, on_delete=models.CASCADE, related_name="slots",
                                 verbose_name=_("jadwal"))
    date = models.DateField(_("tanggal"))
    start = models.TimeField(_("mulai"))
    end = models.TimeField(_("selesai"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas"))
    reserved = models.PositiveSmallIntegerField(_("porsi langsung/dibantu"))
    booked = models.PositiveSmallIntegerField(_("terpesan"), default=0)

    class Meta:
        ordering = ["date", "start"]
        verbose_name = _("slot")
        verbose_name_plural = _("slot")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "date", "start"], name="antrean_slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=models.F("capacity")), name="antrean_slot_not_overbooked"),
        ]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def online_free(self):
        return max(0, self.capacity - self.reserved - self.booked)


class Booking(models.Model):
    """One resident's place in one slot, from the hold to the end of the visit."""

    code = models.CharField(_("kode antrean"), max_length=12, unique=True)
    schedule = models.ForeignKey(CounterSchedule, on_delete=models.PROTECT, related_name="bookings",
                                 verbose_name=_("jadwal"))
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    # Denormalised from the slot/schedule for the uniqueness rule and the figures.
    service = models.ForeignKey("layanan.Service", on_delete=models.PROTECT, related_name="bookings",
                                verbose_name=_("layanan"))
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="bookings",
                               verbose_name=_("OPD"))
    date = models.DateField(_("tanggal"), db_index=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="counter_bookings", verbose_name=_("warga"))
    visitor_name = models.CharField(_("nama pengunjung"), max_length=150)
    visitor_phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    application = models.ForeignKey("layanan.Application", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="counter_bookings", verbose_name=_("permohonan"))
    channel = models.CharField(_("cara pemesanan"), max_length=10, choices=BookingChannel.choices,
                               default=BookingChannel.ONLINE)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("dipesan oleh"))
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.HELD,
                              db_index=True)
    held_until = models.DateTimeField(_("ditahan sampai"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("dipastikan"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("check-in"), null=True, blank=True)
    called_at = models.DateTimeField(_("mulai dilayani"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai dilayani"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("dinyatakan tidak hadir"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=200, blank=True)
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("petugas loket"))
    rescheduled_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("pengganti dari"))

    class Meta:
        ordering = ["date", "slot__start", "pk"]
        verbose_name = _("antrean")
        verbose_name_plural = _("antrean")
        constraints = [
            # At most one active booking per person, service and day (held ones included).
            models.UniqueConstraint(fields=["person", "service", "date"], condition=Q(status__in=ACTIVE_STATES),
                                    name="antrean_one_active_per_person_service_day"),
        ]
        indexes = [models.Index(fields=["office", "date", "status"], name="antrean_booking_office_day_idx")]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("antrean:ticket", args=[self.code])

    @property
    def is_active(self):
        return self.status in ACTIVE_STATES

    @property
    def window_text(self):
        return f"{self.slot.start:%H:%M}–{self.slot.end:%H:%M}"


class BookingRestriction(models.Model):
    """A temporary limit on online booking after repeated no-shows; an officer may lift it."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_restrictions",
                               verbose_name=_("warga"))
    reason = models.CharField(_("alasan"), max_length=255)
    until = models.DateTimeField(_("berlaku sampai"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("dicabut oleh"))
    lift_note = models.CharField(_("catatan pencabutan"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pembatasan pemesanan")
        verbose_name_plural = _("pembatasan pemesanan")

    def __str__(self):
        return f"{self.person} · {self.until:%d-%m-%Y}"


class VisitDaily(models.Model):
    """The counter figures of one WITA day per office and service, rebuilt with the dashboards'
    rollups (``antrean.rollups.fill_day``, called by ``dashboards.services.fill_day``). Waiting
    and service times are histograms in tenths of a minute ({"125": 3} = three times of 12.5
    minutes), so the median over any period is exact to the tenth of a minute."""

    day = models.DateField(_("tanggal (WITA)"))
    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("layanan.Service", on_delete=models.CASCADE, related_name="+")
    booked = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    no_show = models.PositiveIntegerField(default=0)
    assisted = models.PositiveIntegerField(default=0)
    wait_hist = models.JSONField(default=dict)
    service_hist = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("rekap harian loket")
        verbose_name_plural = _("rekap harian loket")
        constraints = [models.UniqueConstraint(fields=["day", "office", "service"], name="antrean_visitdaily_unique")]
        indexes = [models.Index(fields=["office", "day"], name="antrean_visitdaily_office_idx")]

    def __str__(self):
        return f"{self.day} office={self.office_id} service={self.service_id}"
