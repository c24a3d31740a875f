"""Indonesian phone numbers, stored in E.164 (+62...), entered in any common form."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(raw):
    """'0812-3456-7890', '62812...', '+62 812 ...' -> '+6281234567890'. Raises ValidationError."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Nomor HP wajib diisi."), code="phone_empty")
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+") or digits.startswith("62"):
        candidate = "+" + digits
    elif digits.startswith("0"):
        candidate = "+62" + digits[1:]
    elif digits.startswith("8"):
        candidate = "+62" + digits
    else:
        candidate = "+" + digits
    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Nomor HP tidak dikenali. Contoh: 0812-3456-7890."), code="phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Nomor HP tidak valid. Contoh: 0812-3456-7890."), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text):
    stripped = (text or "").replace(" ", "").replace("-", "")
    return bool(stripped) and stripped.lstrip("+").isdigit() and len(stripped) >= 8


def mask_phone(value):
    if not value or len(value) < 7:
        return value or ""
    return f"{value[:5]}{'*' * (len(value) - 8)}{value[-3:]}"
