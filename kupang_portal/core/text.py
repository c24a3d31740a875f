"""Clean text input: one rule for every form of the portal.

Control characters (C0 except tab, line feed and carriage return; DEL; C1), lone surrogates and
the non-characters U+FFFE/U+FFFF are never meaningful in a name, an address or a description. They
come from copy-paste or from hostile clients, break XML (Open311 ``requests.xml`` would become
unreadable for every consumer) and, for NUL, make PostgreSQL refuse the statement. Forms strip them
(``CleanTextMixin``); serializers strip them again from stored data (``strip_control``).
"""

import re

from django import forms

CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control(value):
    """``value`` without control characters (tab, LF and CR are kept)."""
    return CONTROL_CHARS.sub("", value) if isinstance(value, str) else value


def has_nul(value):
    return isinstance(value, str) and "\x00" in value


def cleaned_data_dict(data, keep=()):
    """A copy of a form's submitted ``data`` (QueryDict, MultiValueDict or dict) with every string
    value stripped of control characters, except the keys in ``keep`` (passwords)."""
    if hasattr(data, "lists"):
        copy = data.copy()
        for key, values in data.lists():
            if key not in keep:
                copy.setlist(key, [strip_control(v) for v in values])
        return copy
    return {key: value if key in keep else (
        [strip_control(v) for v in value] if isinstance(value, (list, tuple)) else strip_control(value))
        for key, value in data.items()}


class CleanTextMixin:
    """Mix into a ``forms.Form``/``ModelForm`` (before it): submitted values lose their control
    characters before validation, so "required", lengths and the stored text see the clean value.
    Password inputs are left as typed (they are hashed, never shown, and must match at login)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            keep = {self.add_prefix(name) for name, field in self.fields.items() if isinstance(field.widget, forms.PasswordInput)}
            self.data = cleaned_data_dict(self.data, keep)
