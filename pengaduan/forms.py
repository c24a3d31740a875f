"""Forms: the public complaint form, the reporter's rating/close/reopen forms and the staff
transition forms (each a ``workflow.forms.TransitionForm``). Validation only; the writes are in
``pengaduan.services``."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kupang_portal.core import uploads
from kupang_portal.core.text import CleanTextMixin
from kupang_portal.organization.models import Kelurahan, Office
from kupang_portal.workflow.forms import TransitionForm

from . import app_settings
from .models import Category, Kind, RejectReason, ResponseTemplate

DESCRIPTION_MAX = 5000
LATE_REASON_MAX = 1000
MAX_PHOTOS = 3


class Privacy:
    NAMED = "terbuka"
    CONFIDENTIAL = "rahasia"
    ANONYMOUS = "anonim"
    ANONYMOUS_CONFIDENTIAL = "anonim_rahasia"

    CHOICES = [
        (NAMED, _("Terbuka: nama saya tercatat, isi laporan boleh dilihat publik")),
        (CONFIDENTIAL, _("Rahasia: nama saya tercatat, isi laporan tidak ditampilkan kepada publik")),
        (ANONYMOUS, _("Anonim: identitas saya tidak dicatat sama sekali")),
        (ANONYMOUS_CONFIDENTIAL, _("Anonim dan rahasia: tanpa identitas, isi tidak ditampilkan kepada publik")),
    ]
    ANONYMOUS_VALUES = (ANONYMOUS, ANONYMOUS_CONFIDENTIAL)
    CONFIDENTIAL_VALUES = (CONFIDENTIAL, ANONYMOUS_CONFIDENTIAL)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput
    passed = ()  # after a bad file: the files chosen with it that passed the checks

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS}, code="too_many")
        checked, errors = [], []
        for f in files:
            try:
                checked.append(uploads.check_upload(f, allowed=uploads.ALLOWED_PHOTO_TYPES))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        uploads.check_total([c.size for c in checked])
        if errors:
            # The photos that passed, for the view to keep (the browser empties the file input).
            self.passed = checked
            raise ValidationError(errors)
        return checked


def clean_text(value, field_label, max_length):
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("%(field)s wajib diisi.") % {"field": field_label}, code="required")
    if len(value) > max_length:
        raise ValidationError(
            _("%(field)s terlalu panjang: %(n)s karakter, paling banyak %(max)s.") % {"field": field_label, "n": len(value), "max": max_length},
            code="max_length",
        )
    return value


def check_coordinates(latitude, longitude):
    """Return a list of (field, message) problems; both given or none, inside Kupang."""
    problems = []
    if (latitude is None) != (longitude is None):
        problems.append((None, _("Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")))
        return problems
    if latitude is None:
        return problems
    if not Decimal(-90) <= latitude <= Decimal(90):
        problems.append(("latitude", _("Lintang harus di antara -90 dan 90.")))
    if not Decimal(-180) <= longitude <= Decimal(180):
        problems.append(("longitude", _("Bujur harus di antara -180 dan 180.")))
    if not problems:
        south, west, north, east = app_settings.bounds()
        if not (south <= float(latitude) <= north and west <= float(longitude) <= east):
            problems.append((None, _("Koordinat berada di luar wilayah Kota Kupang. Periksa kembali titik lokasinya.")))
    return problems


def check_incident_date(value, late_reason="", today=None):
    """Return (field, message) problems of an incident date (web form and Open311): never in the
    future, within ``incident_max_age_days``, and older than ``incident_report_days`` (SP4N-LAPOR!:
    30 days) only with a reason for the late report."""
    if value is None:
        return []
    today = today or timezone.localdate()
    age = (today - value).days
    if age < 0:
        return [("incident_date", _("Tanggal kejadian tidak boleh di masa depan."))]
    if age > app_settings.incident_max_age_days():
        return [("incident_date", _("Tanggal kejadian terlalu lama: paling lama %(n)s hari yang lalu.")
                 % {"n": app_settings.incident_max_age_days()})]
    if age > app_settings.incident_report_days() and not (late_reason or "").strip():
        return [("late_reason", _("Kejadian lebih dari %(n)s hari yang lalu: tuliskan alasan baru melapor sekarang.")
                 % {"n": app_settings.incident_report_days()})]
    return []


class KelurahanChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Pilih kelurahan di Kota Kupang dari daftar."),
        "required": _("Kelurahan wajib dipilih."),
    }

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.kecamatan.name})"


class ComplaintForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect)
    privacy = forms.ChoiceField(label=_("Identitas dan kerahasiaan"), choices=Privacy.CHOICES, widget=forms.RadioSelect)
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=Category.objects.filter(is_active=True), empty_label=_("— pilih kategori —"),
        error_messages={"invalid_choice": _("Pilih kategori dari daftar."), "required": _("Kategori wajib dipilih.")},
    )
    title = forms.CharField(label=_("Judul laporan"), error_messages={"required": _("Judul wajib diisi.")},
                            widget=forms.TextInput(attrs={"maxlength": 150, "placeholder": _("Contoh: Sampah menumpuk di depan pasar")}))
    description = forms.CharField(
        label=_("Uraian"), error_messages={"required": _("Uraian wajib diisi.")},
        help_text=_("Ceritakan apa, di mana, sejak kapan. Jangan tuliskan data pribadi orang lain. Paling banyak 5000 karakter."),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX, "data-counter": "description-counter"}),
    )
    kelurahan = KelurahanChoiceField(
        label=_("Kelurahan"), queryset=Kelurahan.objects.select_related("kecamatan").order_by("name"), empty_label=_("— pilih kelurahan —"),
    )
    address = forms.CharField(label=_("Alamat (opsional)"), max_length=255, required=False,
                              widget=forms.TextInput(attrs={"placeholder": _("Contoh: Jl. Soeharto No. 10, RT 05/RW 02")}))
    landmark = forms.CharField(label=_("Patokan lokasi (opsional)"), max_length=150, required=False,
                               help_text=_("Tempat yang mudah dikenali di dekat lokasi, mis. depan Gereja Kota, samping Pasar Oeba."),
                               widget=forms.TextInput(attrs={"placeholder": _("Contoh: depan SD Inpres Oeba")}))
    # Filled by the "Gunakan lokasi saya" button (static/js/pengaduan.js), never typed.
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput,
                                  error_messages={"invalid": _("Titik lokasi tidak terbaca. Tekan lagi \"Gunakan lokasi saya\".")})
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput,
                                   error_messages={"invalid": _("Titik lokasi tidak terbaca. Tekan lagi \"Gunakan lokasi saya\".")})
    # One-time token of this form: posting it again (refresh, double tap) files nothing new.
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    incident_date = forms.DateField(label=_("Tanggal kejadian"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                    error_messages={"invalid": _("Tanggal tidak valid."), "required": _("Tanggal kejadian wajib diisi.")})
    late_reason = forms.CharField(
        label=_("Alasan baru melapor (bila kejadian lebih dari 30 hari yang lalu)"), required=False, max_length=LATE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": LATE_REASON_MAX}),
    )
    photos = MultiplePhotoField(label=_("Foto (opsional, paling banyak 3, JPEG/PNG)"),
                                widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if (user is not None and user.is_authenticated) else None
        if self.user is None:
            self.fields["privacy"].choices = [c for c in Privacy.CHOICES if c[0] in Privacy.ANONYMOUS_VALUES]
            self.fields["privacy"].initial = Privacy.ANONYMOUS
            self.fields["privacy"].help_text = _("Tanpa masuk akun, pengaduan selalu anonim. Simpan nomor dan kode rahasia yang diberikan.")
        else:
            self.fields["privacy"].initial = Privacy.NAMED

    def clean_title(self):
        return clean_text(self.cleaned_data.get("title"), _("Judul"), 150)

    def clean_description(self):
        return clean_text(self.cleaned_data.get("description"), _("Uraian"), DESCRIPTION_MAX)

    def checked_photos(self):
        """The new photos that passed the checks (after ``is_valid``): all of them, or, when one
        of them is bad, the others chosen with it, which the view keeps like after any error."""
        if "photos" in self.errors:
            return list(self.fields["photos"].passed)
        return self.cleaned_data.get("photos") or []

    def clean(self):
        data = super().clean()
        for field, message in check_coordinates(data.get("latitude"), data.get("longitude")):
            self.add_error(None if field in ("latitude", "longitude") else field, message)
        for field, message in check_incident_date(data.get("incident_date"), data.get("late_reason")):
            self.add_error(field, message)
        if self.user is None and data.get("privacy") not in Privacy.ANONYMOUS_VALUES:
            self.add_error("privacy", _("Masuk akun untuk mengirim pengaduan dengan nama."))
        return data


class RatingForm(CleanTextMixin, forms.Form):
    rating = forms.TypedChoiceField(label=_("Nilai tanggapan"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)],
                                    widget=forms.RadioSelect,
                                    help_text=_("1 = sangat tidak puas, 2 = tidak puas, 3 = cukup, 4 = puas, 5 = sangat puas."), error_messages={"required": _("Pilih nilai 1 sampai 5."),
                                                                              "invalid_choice": _("Pilih nilai 1 sampai 5.")})
    comment = forms.CharField(label=_("Komentar (opsional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan membuka kembali"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Tuliskan alasan mengapa pengaduan perlu ditindaklanjuti lagi.")})

    def clean_reason(self):
        return clean_text(self.cleaned_data.get("reason"), _("Alasan"), 2000)


# --- staff transition forms ----------------------------------------------------------------------

def complaint_offices():
    return Office.objects.filter(is_active=True).order_by("name")


class DisposeForm(TransitionForm):
    office = forms.ModelChoiceField(label=_("Teruskan ke OPD"), queryset=Office.objects.none(),
                                    help_text=_("Terisi dengan usulan rute otomatis; ubah bila perlu."))
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=Kind.choices)
    is_confidential = forms.BooleanField(label=_("Rahasiakan isi dari publik"), required=False,
                                         help_text=_("Mis. bila laporan menyebut pihak ketiga."))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["office"].queryset = complaint_offices()
        if case is not None:
            self.fields["office"].initial = case.proposed_office_id or case.office_id
            self.fields["kind"].initial = case.kind
            self.fields["is_confidential"].initial = case.is_confidential


class TemplateSelect(forms.Select):
    """Response template picker: each option carries its text for static/js/pengaduan_admin.js.

    The shared transition page does not render ``form.media``, so the widget links its script
    itself (a static file: allowed by the CSP)."""

    texts = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        text = self.texts.get(str(getattr(value, "value", value)))
        if text:
            option["attrs"]["data-text"] = text
        return option

    def render(self, name, value, attrs=None, renderer=None):
        from django.templatetags.static import static
        from django.utils.html import format_html

        html = super().render(name, value, attrs, renderer)
        return html + format_html('<script src="{}" defer></script>', static("js/pengaduan_admin.js"))


class RespondForm(TransitionForm):
    replaces_note = True  # the response text is the one public text box
    template = forms.ModelChoiceField(label=_("Templat tanggapan"), queryset=ResponseTemplate.objects.none(), required=False,
                                      widget=TemplateSelect,
                                      empty_label=_("— tanpa templat —"),
                                      help_text=_("Pilih templat untuk mengisi teks; teks tetap dapat diubah."))
    text = forms.CharField(label=_("Tanggapan / tindak lanjut (dibaca pelapor)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8, "maxlength": DESCRIPTION_MAX}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        qs = ResponseTemplate.objects.filter(is_active=True)
        if case is not None:
            qs = qs.filter(models_q_category(case))
        self.fields["template"].queryset = qs
        self.fields["template"].widget.attrs["data-template-target"] = "id_text"
        self.fields["template"].widget.texts = {str(t.pk): t.text for t in qs}

    def clean(self):
        data = super().clean()
        text = (data.get("text") or "").strip()
        if not text and data.get("template"):
            text = data["template"].text
        try:
            data["text"] = clean_text(text, _("Tanggapan"), DESCRIPTION_MAX)
        except ValidationError as exc:
            self.add_error("text", exc)
        data.pop("template", None)
        return data


def models_q_category(case):
    from django.db.models import Q

    return Q(category__isnull=True) | Q(category_id=case.category_id)


class HandOnForm(TransitionForm):
    office = forms.ModelChoiceField(label=_("Serahkan ke"), queryset=Office.objects.none(),
                                    help_text=_("Pilih OPD yang berwenang. Untuk mengembalikan ke meja pengaduan, "
                                                "gunakan “Kembalikan ke meja pengaduan”."))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        qs = complaint_offices().exclude(code=app_settings.desk_office_code())
        if case is not None and case.office_id:
            qs = qs.exclude(pk=case.office_id)
        self.fields["office"].queryset = qs


class RejectForm(TransitionForm):
    reason = forms.ChoiceField(label=_("Alasan penolakan"), choices=RejectReason.choices)
