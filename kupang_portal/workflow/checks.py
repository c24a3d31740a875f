"""System checks for case types."""

from django.apps import apps
from django.core import checks


@checks.register(checks.Tags.models)
def status_choices_declared(app_configs=None, **kwargs):
    """Every case type declares the choices of its status field.

    Without them the admin's status filter runs ``SELECT DISTINCT status`` over the whole table on
    every queue page (~300 ms at a million complaints); with them it lists the choices."""
    from .models import Case

    errors = []
    for model in apps.get_models():
        if issubclass(model, Case) and not model._meta.get_field("status").choices:
            errors.append(checks.Error(
                f"{model._meta.label}.status declares no choices.",
                hint="Override `status` with choices=<TextChoices>.choices so filters need no DISTINCT scan.",
                obj=model, id="workflow.E001",
            ))
    return errors
