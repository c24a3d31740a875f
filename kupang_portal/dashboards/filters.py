"""The dashboard's filters: period presets, office, service/category, region, kind, channel.

``FilterForm`` reads the query string (bad input gives a message on the page and the default,
never an error page); ``Filters`` is the validated, hashable result the selectors take.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kupang_portal.organization.models import Kecamatan, Kelurahan, Office

from .models import CaseType

PRESETS = [
    ("30h", _("30 hari terakhir")),
    ("bulan_ini", _("Bulan ini")),
    ("bulan_lalu", _("Bulan lalu")),
    ("kuartal_ini", _("Kuartal ini")),
    ("tahun_ini", _("Tahun ini")),
    ("kustom", _("Rentang sendiri")),
]
MAX_RANGE_DAYS = 3 * 366


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    preset: str = "30h"
    office: int | None = None
    service: int | None = None
    category: int | None = None
    kecamatan: int | None = None
    kelurahan: int | None = None
    kind: str = ""
    channel: str = ""
    case_type: str = ""
    group: str = "week"

    def case_types(self):
        """Which case types the filters leave (a service means applications only, etc.)."""
        types = {CaseType.APPLICATION.value, CaseType.COMPLAINT.value}
        if self.case_type:
            types &= {self.case_type}
        if self.service:
            types &= {CaseType.APPLICATION.value}
        if self.category or self.kind or self.channel or self.kelurahan:
            types &= {CaseType.COMPLAINT.value}
        return types

    def as_query(self):
        """The filters as query-string parameters (for links and export jobs)."""
        data = {"periode": self.preset, "dari": self.start.isoformat(), "sampai": self.end.isoformat(),
                "opd": self.office, "layanan": self.service, "kategori": self.category, "kecamatan": self.kecamatan,
                "kelurahan": self.kelurahan, "jenis_laporan": self.kind, "kanal": self.channel,
                "jenis": self.case_type, "per": self.group}
        return {k: v for k, v in data.items() if v not in (None, "")}

    def key(self):
        return tuple(sorted(asdict(self).items()))


def preset_range(preset, today):
    if preset == "bulan_ini":
        return today.replace(day=1), today
    if preset == "bulan_lalu":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last
    if preset == "kuartal_ini":
        month = 3 * ((today.month - 1) // 3) + 1
        return today.replace(month=month, day=1), today
    if preset == "tahun_ini":
        return today.replace(month=1, day=1), today
    return today - dt.timedelta(days=29), today


class FilterForm(forms.Form):
    periode = forms.ChoiceField(label=_("Periode"), choices=PRESETS, required=False)
    dari = forms.DateField(label=_("Dari"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    jenis = forms.ChoiceField(label=_("Jenis kasus"), required=False, choices=[("", _("Semua"))] + list(CaseType.choices))
    opd = forms.ModelChoiceField(label=_("OPD"), required=False, queryset=Office.objects.none(), empty_label=_("Semua OPD"))
    layanan = forms.ModelChoiceField(label=_("Layanan"), required=False, queryset=None, empty_label=_("Semua layanan"))
    kategori = forms.ModelChoiceField(label=_("Kategori pengaduan"), required=False, queryset=None, empty_label=_("Semua kategori"))
    kecamatan = forms.ModelChoiceField(label=_("Kecamatan"), required=False, queryset=Kecamatan.objects.all(), empty_label=_("Semua kecamatan"))
    kelurahan = forms.ModelChoiceField(label=_("Kelurahan"), required=False, queryset=Kelurahan.objects.select_related("kecamatan"),
                                       empty_label=_("Semua kelurahan"))
    jenis_laporan = forms.ChoiceField(label=_("Jenis laporan"), required=False)
    kanal = forms.ChoiceField(label=_("Kanal"), required=False)
    per = forms.ChoiceField(label=_("Tren per"), required=False, choices=[("week", _("Minggu")), ("month", _("Bulan"))])

    def __init__(self, data, *, scope, today=None, **kwargs):
        from layanan.models import Service
        from pengaduan.models import Category, Channel, Kind

        super().__init__(data, **kwargs)
        self.scope = scope
        self.today = today or timezone.localdate()
        offices = Office.objects.filter(is_active=True)
        if scope.office_ids is not None:
            offices = offices.filter(pk__in=scope.office_ids)
        self.fields["opd"].queryset = offices
        services = Service.objects.all()
        if scope.office_ids is not None:
            services = services.filter(office_id__in=scope.office_ids)
        self.fields["layanan"].queryset = services
        self.fields["kategori"].queryset = Category.objects.all()
        self.fields["jenis_laporan"].choices = [("", _("Semua"))] + list(Kind.choices)
        self.fields["kanal"].choices = [("", _("Semua"))] + [c for c in Channel.choices if c[0] != Channel.DEMO]
        for field in self.fields.values():
            is_date = isinstance(field, forms.DateField)
            field.widget.attrs.setdefault("class", "form-control form-control-sm" if is_date else "form-select form-select-sm")
        types = scope.case_types
        if CaseType.APPLICATION.value not in types:
            for name in ("layanan",):
                del self.fields[name]
            self.fields["jenis"].choices = [c for c in self.fields["jenis"].choices if c[0] != CaseType.APPLICATION.value]

    def clean(self):
        data = super().clean()
        preset = data.get("periode") or "30h"
        start, end = data.get("dari"), data.get("sampai")
        if preset == "kustom" or (start or end) and not data.get("periode"):
            preset = "kustom"
            if not start or not end:
                raise forms.ValidationError(_("Isi tanggal awal dan akhir untuk rentang sendiri."))
            if end < start:
                raise forms.ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Rentang paling panjang 3 tahun."))
            if start > self.today:
                raise forms.ValidationError(_("Tanggal awal tidak boleh di masa depan."))
            end = min(end, self.today)
        else:
            start, end = preset_range(preset, self.today)
        if data.get("layanan") and data.get("kategori"):
            raise forms.ValidationError(_("Pilih layanan atau kategori pengaduan, tidak keduanya."))
        data["_range"] = (preset, start, end)
        return data

    def filters(self):
        """Validated filters, or the defaults when the input was not valid."""
        if not self.is_bound or not self.is_valid():
            return default_filters(self.scope, self.today)
        d = self.cleaned_data
        preset, start, end = d["_range"]
        pk = lambda obj: obj.pk if obj is not None else None  # noqa: E731
        case_type = d.get("jenis") or ""
        if len(self.scope.case_types) == 1:
            case_type = next(iter(self.scope.case_types))
        return Filters(
            start=start, end=end, preset=preset, office=pk(d.get("opd")), service=pk(d.get("layanan")),
            category=pk(d.get("kategori")), kecamatan=pk(d.get("kecamatan")), kelurahan=pk(d.get("kelurahan")),
            kind=d.get("jenis_laporan") or "", channel=d.get("kanal") or "", case_type=case_type,
            group=d.get("per") or "week",
        )


def default_filters(scope, today=None):
    """The filters of a page opened without any: the last 30 days, every case type of the scope."""
    start, end = preset_range("30h", today or timezone.localdate())
    return Filters(start=start, end=end, case_type="" if len(scope.case_types) > 1 else next(iter(scope.case_types)))


def filters_from_params(params, scope, today=None):
    """Filters from a stored dict of query parameters (export jobs); invalid input -> defaults."""
    return FilterForm(params or {}, scope=scope, today=today).filters()
