"""Helpers to read a rendered form back: values kept, errors next to their field."""

from html.parser import HTMLParser

import pytest


class FormReader(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.inputs = {}  # name -> attrs of the (last) input with that name
        self.checked = set()
        self.errors = {}  # field name -> [message, ...]
        self._error_field = None
        self._error_text = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.checked.add((attrs["name"], attrs.get("value")))
            else:
                self.inputs[attrs["name"]] = attrs
        element_id = attrs.get("id") or ""
        # crispy-bootstrap5 renders each error as <span|p id="error_<n>_id_<field>"> right under the input.
        if element_id.startswith("error_") and "_id_" in element_id:
            self._error_field = element_id.split("_id_", 1)[1]
            self._error_text = []

    def handle_data(self, data):
        if self._error_field is not None:
            self._error_text.append(data)

    def handle_endtag(self, tag):
        if self._error_field is not None and tag in ("span", "p"):
            self.errors.setdefault(self._error_field, []).append("".join(self._error_text).strip())
            self._error_field = None

    def value(self, name):
        return self.inputs.get(name, {}).get("value")

    def is_invalid(self, name):
        return "is-invalid" in (self.inputs.get(name, {}).get("class") or "")


@pytest.fixture
def read_form():
    def read(response):
        return FormReader(response.content.decode())

    return read
