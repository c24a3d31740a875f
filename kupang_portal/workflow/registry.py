"""The case types the portal knows: concrete Case subclasses that declare ``open_states``."""

from django.apps import apps

from .models import Case


def case_types():
    return [
        model for model in apps.get_models()
        if issubclass(model, Case) and not model._meta.abstract and getattr(model, "open_states", None)
    ]
