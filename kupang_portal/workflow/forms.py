from django import forms

from kupang_portal.core.text import CleanTextMixin


class TransitionForm(CleanTextMixin, forms.Form):
    """Base for a transition's extra input (Transition.form_class). Knows the case it acts on."""

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
