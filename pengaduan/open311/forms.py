"""Open311 input as Django forms, with the complaint form's rules (``pengaduan.forms``).

Parameter names of the spec (``lat``, ``long``, ``address_string``, ``attribute[kelurahan]``…) are
mapped to the complaint form's field names (``PARAMS``) before binding, so the shared checks
(``clean_text``, ``check_coordinates``, ``check_incident_date``) run unchanged; each field's label
is the spec's parameter name, so messages name what the client sent."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.text import CleanTextMixin
from kupang_portal.organization.models import Kelurahan

from ..forms import DESCRIPTION_MAX, LATE_REASON_MAX, check_coordinates, check_incident_date, clean_text
from ..models import Category, Kind

MAX_IDS = 100
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Real UTC offsets run from -12:00 to +14:00 (PostgreSQL refuses beyond ±15:59).
MIN_OFFSET, MAX_OFFSET = dt.timedelta(hours=-12), dt.timedelta(hours=14)


def comma_list(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def errors_as_messages(form):
    """Every error of a bound form as a flat list of messages (the Open311 error list)."""
    return [str(message) for messages in form.errors.values() for message in messages]


# --- GET requests.{format} -----------------------------------------------------------------------

class DateTimeParam(forms.Field):
    """ISO 8601 date or date-time; a bare date is the start (or ``end``: the end) of that day, local
    time. Offsets outside the real range and values that cannot be expressed in UTC are refused."""

    def __init__(self, *, end=False, **kwargs):
        self.end = end
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def _invalid(self):
        return ValidationError(_("%(name)s harus tanggal/waktu ISO 8601, misalnya 2026-11-01T00:00:00+08:00.") % {"name": self.label},
                               code="invalid")

    def _parse(self, value):
        try:
            parsed = parse_datetime(value.replace(" ", "+")) if "T" in value else None  # "+" arrives as a space
            if parsed is None:
                day = parse_date(value)
                if day is None:
                    raise self._invalid()
                parsed = dt.datetime.combine(day, dt.time.max if self.end else dt.time.min)
        except ValueError as exc:  # well-formed but impossible: month 13, offset of 24 hours
            raise self._invalid() from exc
        return parsed

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        parsed = self._parse(value)
        if timezone.is_aware(parsed) and not MIN_OFFSET <= parsed.utcoffset() <= MAX_OFFSET:
            raise ValidationError(_("%(name)s: zona waktu harus antara -12:00 dan +14:00.") % {"name": self.label}, code="offset")
        try:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            return parsed.astimezone(dt.timezone.utc)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(_("%(name)s di luar rentang tanggal yang didukung.") % {"name": self.label}, code="range") from exc


class RequestListForm(CleanTextMixin, forms.Form):
    """Filters and paging of ``GET requests.{format}``."""

    service_request_id = forms.CharField(label="service_request_id", required=False)
    service_code = forms.CharField(label="service_code", required=False)
    status = forms.CharField(label="status", required=False)
    start_date = DateTimeParam(label="start_date")
    end_date = DateTimeParam(label="end_date", end=True)
    page = forms.IntegerField(label="page", required=False, min_value=1, max_value=1_000_000,
                              error_messages={"invalid": _("page harus bilangan bulat mulai dari 1."),
                                              "min_value": _("page harus bilangan bulat mulai dari 1."),
                                              "max_value": _("page terlalu besar.")})
    page_size = forms.IntegerField(label="page_size", required=False, min_value=1, max_value=MAX_PAGE_SIZE,
                                   error_messages={"invalid": _("page_size harus bilangan bulat 1 sampai %(max)s.") % {"max": MAX_PAGE_SIZE},
                                                   "min_value": _("page_size harus bilangan bulat 1 sampai %(max)s.") % {"max": MAX_PAGE_SIZE},
                                                   "max_value": _("page_size paling banyak %(max)s.") % {"max": MAX_PAGE_SIZE}})

    def clean_service_request_id(self):
        ids = [i.upper() for i in comma_list(self.cleaned_data["service_request_id"])]
        if len(ids) > MAX_IDS:
            raise ValidationError(_("Paling banyak %(n)s service_request_id per permintaan.") % {"n": MAX_IDS})
        return ids

    def clean_service_code(self):
        codes = comma_list(self.cleaned_data["service_code"])
        known = set(Category.objects.filter(service_code__in=codes).values_list("service_code", flat=True)) if codes else set()
        unknown = [c[:40] for c in codes if c not in known]
        if unknown:
            raise ValidationError(_("service_code tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown[:10])})
        return codes

    def clean_status(self):
        wanted = {s.lower() for s in comma_list(self.cleaned_data["status"])}
        if not wanted <= {"open", "closed"}:
            raise ValidationError(_("status harus “open” atau “closed”."))
        return wanted

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["start_date"] > data["end_date"]:
            self.add_error(None, _("start_date harus sebelum end_date."))
        data["page"] = data.get("page") or 1
        data["page_size"] = data.get("page_size") or DEFAULT_PAGE_SIZE
        return data


# --- POST requests.{format} ----------------------------------------------------------------------

class CoordinateParam(forms.DecimalField):
    """A decimal degree; rounded to the 6 places the complaint stores once its range is checked."""

    def __init__(self, **kwargs):
        super().__init__(required=False, error_messages={"invalid": _("%(name)s harus berupa angka desimal.") % {"name": kwargs["label"]}},
                         **kwargs)


class RequestCreateForm(CleanTextMixin, forms.Form):
    """``POST requests.{format}``: an anonymous complaint. Bind with ``from_params``."""

    PARAMS = {
        "service_code": "service_code", "description": "description", "lat": "latitude", "long": "longitude",
        "address_string": "address", "attribute[kelurahan]": "kelurahan", "attribute[kind]": "kind",
        "attribute[incident_date]": "incident_date", "attribute[late_reason]": "late_reason",
    }

    service_code = forms.CharField(label="service_code", required=False)
    description = forms.CharField(label="description", required=False)
    latitude = CoordinateParam(label="lat")
    longitude = CoordinateParam(label="long")
    address = forms.CharField(label="address_string", required=False, max_length=255,
                              error_messages={"max_length": _("address_string paling banyak 255 karakter.")})
    kelurahan = forms.CharField(label="attribute[kelurahan]", required=False)
    kind = forms.ChoiceField(label="attribute[kind]", required=False, choices=Kind.choices,
                             error_messages={"invalid_choice": _("attribute[kind] harus salah satu dari: %(kinds)s.")
                                             % {"kinds": ", ".join(Kind.values)}})
    incident_date = forms.DateField(label="attribute[incident_date]", required=False, input_formats=["%Y-%m-%d"],
                                    error_messages={"invalid": _("attribute[incident_date] harus tanggal YYYY-MM-DD.")})
    late_reason = forms.CharField(label="attribute[late_reason]", required=False, max_length=LATE_REASON_MAX)

    @classmethod
    def from_params(cls, params):
        return cls({field: params.get(param, "") for param, field in cls.PARAMS.items()})

    def clean_service_code(self):
        code = self.cleaned_data["service_code"]
        if not code:
            raise ValidationError(_("service_code wajib diisi."), code="required")
        category = Category.objects.filter(service_code=code, is_active=True).first()
        if category is None:
            raise ValidationError(_("service_code “%(code)s” tidak dikenal.") % {"code": code[:40]}, code="invalid_choice")
        return category

    def clean_description(self):
        return clean_text(self.cleaned_data["description"], "description", DESCRIPTION_MAX)

    def clean_kelurahan(self):
        code = self.cleaned_data["kelurahan"]
        if not code:
            return None
        kelurahan = Kelurahan.objects.select_related("kecamatan").filter(code=code).first()
        if kelurahan is None:
            raise ValidationError(_("attribute[kelurahan] “%(code)s” bukan kelurahan di Kota Kupang.") % {"code": code[:20]})
        return kelurahan

    def clean_kind(self):
        return self.cleaned_data["kind"] or Kind.COMPLAINT

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if "latitude" not in self.errors and "longitude" not in self.errors:
            for field, message in check_coordinates(lat, lon):
                self.add_error(field, message)
        if lat is not None and lon is not None and not self.has_error("latitude") and not self.has_error("longitude"):
            data["latitude"], data["longitude"] = lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))
        if lat is None and lon is None and not data.get("address") and not data.get("kelurahan") and "kelurahan" not in self.errors:
            self.add_error(None, _("Lokasi wajib: isi lat dan long, address_string, atau attribute[kelurahan]."))
        for field, message in check_incident_date(data.get("incident_date"), data.get("late_reason")):
            self.add_error(field, message)
        return data

    def submission(self):
        """Keyword arguments of ``services.submit_complaint`` for the validated input."""
        data = self.cleaned_data
        return {
            "category": data["service_code"], "title": data["description"].splitlines()[0][:100],
            "description": data["description"], "kind": data["kind"], "kelurahan": data["kelurahan"],
            "address": data["address"], "latitude": data["latitude"], "longitude": data["longitude"],
            "incident_date": data["incident_date"], "late_reason": data["late_reason"],
        }
