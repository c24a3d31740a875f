from django import forms

from kupang_portal.core.text import CleanTextMixin


class TransitionForm(CleanTextMixin, forms.Form):
    """Base for a transition's extra input (Transition.form_class). Knows the case it acts on.

    ``replaces_note``: the form's own text is what the resident reads (e.g. a complaint response),
    so the transition page shows no second, separate note box."""

    replaces_note = False

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
