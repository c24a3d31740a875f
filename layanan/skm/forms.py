"""Forms of the SKM: the questionnaire with its optional profile, RTL rows, moderation, publication."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.text import CleanTextMixin

from .constants import COMPLAINT_UNSUR, PROFILE_FIELDS, UNSUR_CODES, FollowUpStatus, unsur
from .models import FollowUpAction


class SurveyForm(CleanTextMixin, forms.Form):
    """Nine questions (five for a complaint), each may be skipped; then the optional profile."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        asked = COMPLAINT_UNSUR if survey.for_complaint else UNSUR_CODES
        for code, name, question, answers in unsur():
            if code not in asked:
                continue
            self.fields[code] = forms.TypedChoiceField(
                label=f"{code}. {name}: {question}", coerce=int, widget=forms.RadioSelect, required=False,
                choices=[(i + 1, f"{i + 1} – {answer}") for i, answer in enumerate(answers)],
            )
        self.fields["suggestion"] = forms.CharField(
            label=_("Saran dan masukan (opsional)"), required=False, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Jangan menulis nama, NIK, nomor HP atau alamat: saran dapat ditampilkan dalam laporan publik."),
        )
        for name, label, choices in PROFILE_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=label, required=False, choices=[("", _("Tidak ingin menjawab"))] + list(choices.choices),
            )
        self.fields["visit_date"] = forms.DateField(
            label=_("Tanggal menerima layanan (opsional)"), required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        self.unsur_codes = [code for code in UNSUR_CODES if code in self.fields]

    def clean_visit_date(self):
        value = self.cleaned_data.get("visit_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
        return value

    def clean(self):
        data = super().clean()
        if not any(data.get(code) for code in self.unsur_codes):
            raise forms.ValidationError(_("Jawab paling sedikit satu pertanyaan survei."))
        return data

    def answers(self):
        return {code: self.cleaned_data[code] for code in self.unsur_codes if self.cleaned_data.get(code)}

    def profile(self):
        return {name: self.cleaned_data.get(name) for name in [f for f, _l, _c in PROFILE_FIELDS] + ["visit_date"]}


class FollowUpForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = FollowUpAction
        fields = ["unsur", "action", "responsible", "target_date", "status", "evidence"]
        widgets = {
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "action": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = {code: name for code, name, _q, _a in unsur()}
        self.fields["unsur"].choices = [(code, f"{code} {names[code]}") for code in UNSUR_CODES]
        self.fields["status"].choices = FollowUpStatus.choices


class HideSuggestionForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan disembunyikan"), max_length=300,
                             error_messages={"required": _("Tuliskan alasan menyembunyikan saran ini.")})


class PublishForm(CleanTextMixin, forms.Form):
    published_on = forms.DateField(label=_("Tanggal terbit"), widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": _("Isi tanggal terbit.")})
    conclusion = forms.CharField(label=_("Catatan kesimpulan (opsional)"), required=False, max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def clean_published_on(self):
        value = self.cleaned_data["published_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal terbit tidak boleh di masa depan."))
        return value
