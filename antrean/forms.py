"""Forms of the antrean pages (validation only; the rules live in services)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from kupang_portal.accounts.phone import normalize_phone


class SlotChoiceForm(forms.Form):
    """A day and a slot start, as posted by the slot picker."""

    tanggal = forms.DateField(label=_("Tanggal"), input_formats=["%Y-%m-%d"])
    jam = forms.TimeField(label=_("Jam"), input_formats=["%H:%M"],
                          error_messages={"required": _("Pilih salah satu jam yang masih tersedia.")})


class ConfirmForm(forms.Form):
    phone = forms.CharField(label=_("Nomor HP untuk pengingat"), max_length=20, required=False)

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        return normalize_phone(raw) if raw else ""


class AssistedBookingForm(forms.Form):
    schedule = forms.TypedChoiceField(label=_("Loket layanan"), coerce=int)
    tanggal = forms.DateField(label=_("Tanggal"), input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"}))
    jam = forms.TimeField(label=_("Jam"), input_formats=["%H:%M"], widget=forms.TimeInput(attrs={"type": "time"}))
    visitor_name = forms.CharField(label=_("Nama warga"), max_length=150)
    visitor_phone = forms.CharField(label=_("Nomor HP (untuk SMS tiket, boleh kosong)"), max_length=20, required=False)
    application_number = forms.CharField(label=_("Nomor permohonan (bila ada)"), max_length=30, required=False)

    def __init__(self, *args, schedules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].choices = [(s.pk, f"{s.office.short_name} · {s.service.name}") for s in schedules]
        if not self.is_bound:
            self.fields["tanggal"].initial = dt.date.today().isoformat()

    def clean_visitor_phone(self):
        raw = self.cleaned_data["visitor_phone"].strip()
        return normalize_phone(raw) if raw else ""


class CheckInForm(forms.Form):
    q = forms.CharField(label=_("Kode antrean atau isi kode QR"), max_length=300)
