from django import forms
from django.utils.translation import gettext_lazy as _

from .text import CleanTextMixin


class TrackForm(CleanTextMixin, forms.Form):
    """The one tracking form (/lacak/, also shown on an anonymous complaint's page): a number and,
    for an anonymous complaint, its secret code. Always POSTed, so the code never enters a URL,
    the browser history or an access log."""

    nomor = forms.CharField(label=_("Nomor"), max_length=40, error_messages={"required": _("Masukkan nomor pendaftaran atau nomor pengaduan.")},
                            widget=forms.TextInput(attrs={"placeholder": _("Contoh: KTP-2026-000123"), "autocapitalize": "characters"}))
    kode = forms.CharField(label=_("Kode rahasia (khusus pengaduan anonim)"), max_length=40, required=False,
                           widget=forms.PasswordInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def clean_nomor(self):
        return self.cleaned_data["nomor"].strip().upper()

    def clean_kode(self):
        return self.cleaned_data["kode"].strip()
