"""NIK (Nomor Induk Kependudukan) validation and masking.

16 digits: province(2) regency(2) district(2) birth day (+40 for women)(2) month(2) year(2) serial(4).
Any region prefix is accepted, because a NIK keeps the region where it was first registered.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIK_RE = re.compile(r"^\d{16}$")


def clean_nik(value):
    return re.sub(r"[\s.-]", "", value or "")


def validate_nik(value):
    nik = clean_nik(value)
    if not NIK_RE.match(nik):
        raise ValidationError(_("NIK harus terdiri dari 16 angka."), code="nik_length")
    if nik[:2] == "00" or nik[2:4] == "00" or nik[4:6] == "00":
        raise ValidationError(_("Kode wilayah pada NIK tidak valid."), code="nik_region")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    # The century is ambiguous; 2000 is a leap year so 29 February is accepted for any YY,
    # and only the calendar validity of day and month is judged.
    try:
        dt.date(2000 if year % 4 == 0 else 2001, month, day)
    except ValueError:
        raise ValidationError(_("Tanggal lahir pada NIK tidak valid (hari 01-31, atau 41-71 untuk perempuan)."),
                              code="nik_date") from None
    if nik[12:] == "0000":
        raise ValidationError(_("Nomor urut pada NIK tidak boleh 0000."), code="nik_serial")


def mask_nik(value):
    """Show only the region prefix and the last 4 digits: 537101******0001."""
    nik = clean_nik(value)
    if len(nik) != 16:
        return "•" * len(nik)
    return f"{nik[:6]}{'*' * 6}{nik[12:]}"
