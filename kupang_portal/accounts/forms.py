"""Forms of the accounts pages and of the user admin.

The contact fields (e-mail, phone, NIK) are cleaned the same way everywhere: e-mail lower-cased,
phone normalised to E.164, NIK stripped to its 16 digits, and each checked for duplicates with a
message next to the field (the database constraints stay the last line of defence).
"""

import math
import re

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SetPasswordMixin,
    UserChangeForm,
    UsernameField,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kupang_portal.core.text import CleanTextMixin

from .backends import is_locked_out
from .models import User
from .nik import clean_nik, validate_nik
from .phone import looks_like_phone, normalize_phone

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]+$")


# --- Shared cleaning ----------------------------------------------------------------------------


def _others(form):
    """Users other than the one being edited (all users on signup)."""
    qs = User.objects.all()
    if form.instance is not None and form.instance.pk:
        qs = qs.exclude(pk=form.instance.pk)
    return qs


class ContactFieldsMixin:
    """clean_email / clean_phone / clean_nik for any ModelForm on User that has those fields."""

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if username and _others(self).filter(username__iexact=username).exists():
            raise ValidationError(_("Nama pengguna ini sudah dipakai. Pilih nama pengguna lain."), code="duplicate_username")
        return username

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if not email:
            return None
        if _others(self).filter(email__iexact=email).exists():
            raise ValidationError(
                _("Surel ini sudah dipakai akun lain. Jika itu akun Anda, silakan masuk atau pakai fitur lupa kata sandi."),
                code="duplicate_email",
            )
        return email

    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return None
        phone = normalize_phone(raw)  # its ValidationError message is shown next to the field
        if _others(self).filter(phone=phone).exists():
            raise ValidationError(_("Nomor HP ini sudah dipakai akun lain."), code="duplicate_phone")
        return phone

    def clean_nik(self):
        nik = clean_nik(self.cleaned_data.get("nik"))
        if not nik:
            return None
        validate_nik(nik)
        if _others(self).filter(nik=nik).exists():
            raise ValidationError(
                _("NIK ini sudah terdaftar pada akun lain. Jika ini NIK Anda, hubungi Disdukcapil Kota Kupang."),
                code="duplicate_nik",
            )
        return nik


def contact_form_fields():
    """Form fields for the contact data, with wider limits than the model (input may carry spaces)."""
    return {
        "email": forms.EmailField(
            label=_("Surel"),
            required=False,
            widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "nama@contoh.id"}),
        ),
        "phone": forms.CharField(
            label=_("Nomor HP"),
            required=False,
            max_length=30,
            help_text=_("Contoh: 0812-3456-7890. Dipakai untuk masuk dan untuk SMS/WhatsApp."),
            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "0812-3456-7890"}),
        ),
        "nik": forms.CharField(
            label=_("NIK (opsional)"),
            required=False,
            max_length=24,
            help_text=_("16 angka sesuai KTP-el atau Kartu Keluarga. Mempercepat pengajuan layanan kependudukan."),
            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        ),
    }


# --- Login --------------------------------------------------------------------------------------


def lockout_message():
    minutes = max(1, math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60))
    return ngettext(
        "Terlalu banyak percobaan masuk. Coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak percobaan masuk. Coba lagi dalam %(minutes)d menit.",
        minutes,
    ) % {"minutes": minutes}


class LoginFormMixin:
    """One identifier field (username, e-mail or phone) and a lockout message.

    The backend raises PermissionDenied when an identifier is locked out; ``authenticate()``
    swallows it and returns None, so the form asks the backend's counter which message applies.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.label = _("Nama pengguna, surel, atau nomor HP")
        field.max_length = 254
        field.widget.attrs.update({"maxlength": 254, "autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})
        self.fields["password"].label = _("Kata sandi")

    def get_invalid_login_error(self):
        if is_locked_out(self.cleaned_data.get("username")):
            return ValidationError(lockout_message(), code="locked_out")
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class LoginForm(LoginFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna/surel/nomor HP atau kata sandi salah. Periksa kembali isian Anda."),
        "inactive": _("Akun ini tidak aktif."),
    }


class AdminLoginForm(LoginFormMixin, AdminAuthenticationForm):
    """The same login for the Django admin; only staff accounts get in."""

    error_messages = {
        "invalid_login": _("Masukkan nama pengguna/surel/nomor HP dan kata sandi yang benar untuk akun petugas."),
        "inactive": _("Akun ini tidak aktif."),
    }


# --- Signup -------------------------------------------------------------------------------------


def password_fields():
    return SetPasswordMixin.create_password_fields(label1=_("Kata sandi"), label2=_("Ulangi kata sandi"))


class SignupForm(CleanTextMixin, ContactFieldsMixin, SetPasswordMixin, forms.ModelForm):
    error_messages = {"password_mismatch": _("Kedua kata sandi tidak sama.")}

    email = contact_form_fields()["email"]
    phone = contact_form_fields()["phone"]
    nik = contact_form_fields()["nik"]
    password1, password2 = password_fields()

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "nik"]
        field_classes = {"username": UsernameField}
        labels = {"first_name": _("Nama depan"), "last_name": _("Nama belakang")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Nama pengguna")
        username.max_length = 30
        username.widget.attrs.update({"autocapitalize": "none", "autocomplete": "username", "maxlength": 30})
        username.help_text = _("Huruf, angka, titik, garis bawah, atau tanda hubung; minimal 3 karakter dan memuat huruf.")
        self.fields["first_name"].required = True
        # The first field on the page gets the focus (a phone would otherwise scroll to mid-form).
        self.fields["first_name"].widget.attrs.update({"autocomplete": "given-name", "autofocus": True})
        self.fields["password2"].help_text = _("Ketik ulang kata sandi yang sama.")
        self.fields["last_name"].help_text = _("Kosongkan jika nama Anda hanya satu kata.")
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].help_text = _("Isi surel atau nomor HP, minimal salah satu.")

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        # "@" would send the login to the e-mail lookup, a phone-like name to the phone lookup.
        if len(username) < 3 or not USERNAME_RE.match(username) or not re.search(r"[A-Za-z]", username) or looks_like_phone(username):
            raise ValidationError(
                _("Nama pengguna hanya boleh berisi huruf, angka, titik, garis bawah, atau tanda hubung, minimal 3 karakter dan memuat huruf."),
                code="invalid_username",
            )
        return super().clean_username()

    def clean(self):
        self.validate_passwords()
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors and "phone" not in self.errors:
            message = _("Isi surel atau nomor HP, minimal salah satu.")
            self.add_error("email", message)
            self.add_error("phone", message)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # After the instance holds the form data, so the similarity check sees name and e-mail;
        # the message goes next to the password field itself.
        self.validate_password_for_user(self.instance, password_field_name="password1")

    def save(self, commit=True):
        user = super().save(commit=False)
        # Only channels that can reach the resident start switched on.
        user.notify_email = bool(user.email)
        user.notify_whatsapp = bool(user.phone)
        user.notify_sms = False
        return self.set_password_and_save(user, commit=commit)


# --- Profile ------------------------------------------------------------------------------------


class BlankTextInput(forms.TextInput):
    """Never renders a value: a full NIK is never printed back into the page."""

    def format_value(self, value):
        return None


class ProfileForm(CleanTextMixin, ContactFieldsMixin, forms.ModelForm):
    email = contact_form_fields()["email"]
    phone = contact_form_fields()["phone"]
    nik = forms.CharField(
        label=_("NIK baru"),
        required=False,
        max_length=24,
        help_text=_("16 angka. Kosongkan jika tidak ingin mengubah NIK."),
        widget=BlankTextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    clear_nik = forms.BooleanField(label=_("Hapus NIK dari akun saya"), required=False)
    # Each language named in itself, whatever the page's language.
    preferred_language = forms.ChoiceField(
        label=_("Bahasa untuk portal dan notifikasi"),
        choices=User._meta.get_field("preferred_language").choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = User
        fields = [
            "first_name", "last_name", "email", "phone", "nik", "preferred_language",
            "notify_email", "notify_sms", "notify_whatsapp",
        ]
        labels = {
            "first_name": _("Nama depan"),
            "last_name": _("Nama belakang"),
            "notify_email": _("Surel"),
            "notify_sms": _("SMS"),
            "notify_whatsapp": _("WhatsApp"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].help_text = _("Kosongkan jika nama Anda hanya satu kata.")
        if not self.instance.nik:
            self.fields["nik"].label = _("NIK (opsional)")
            self.fields["nik"].help_text = _("16 angka sesuai KTP-el atau Kartu Keluarga.")
            del self.fields["clear_nik"]

    def clean_nik(self):
        if not clean_nik(self.cleaned_data.get("nik")):
            return self.instance.nik  # blank means "keep"
        return super().clean_nik()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("clear_nik"):
            cleaned["nik"] = None
        email, phone = cleaned.get("email"), cleaned.get("phone")
        contact_errors = "email" in self.errors or "phone" in self.errors
        if not contact_errors:
            if not email and not phone:
                message = _("Isi surel atau nomor HP, minimal salah satu.")
                self.add_error("email", message)
                self.add_error("phone", message)
            if cleaned.get("notify_email") and not email:
                self.add_error("notify_email", _("Notifikasi lewat surel memerlukan alamat surel. Isi surel atau matikan saluran ini."))
            for channel, label in (("notify_sms", "SMS"), ("notify_whatsapp", "WhatsApp")):
                if cleaned.get(channel) and not phone:
                    self.add_error(
                        channel,
                        _("Notifikasi lewat %(channel)s memerlukan nomor HP. Isi nomor HP atau matikan saluran ini.") % {"channel": label},
                    )
        return cleaned


# --- Passwords ----------------------------------------------------------------------------------


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Surel"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class PortalSetPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": _("Kedua kata sandi tidak sama.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""


class PortalPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        "password_mismatch": _("Kedua kata sandi tidak sama."),
        "password_incorrect": _("Kata sandi lama salah. Silakan coba lagi."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""


# --- Admin --------------------------------------------------------------------------------------


# The admin keeps Django's username rules (staff accounts are created by hand); the contact
# fields get the portal's cleaning and duplicate messages.


class UserAdminCreationForm(ContactFieldsMixin, AdminUserCreationForm):
    email = contact_form_fields()["email"]
    phone = contact_form_fields()["phone"]

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "phone")
        field_classes = {"username": UsernameField}


class UserAdminChangeForm(ContactFieldsMixin, UserChangeForm):
    email = contact_form_fields()["email"]
    phone = contact_form_fields()["phone"]
    nik = contact_form_fields()["nik"]

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}
