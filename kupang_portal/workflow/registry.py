"""Which case types exist: every concrete ``Case`` subclass that declares ``open_states``.

Periodic jobs (deadline reminders, digests) work over all case types through this one function
instead of importing the apps that define them.
"""

from django.apps import apps

from .models import Case
from .signals import watch


def case_types():
    """[(model, open_states)] for every installed concrete Case subclass with ``open_states``."""
    found = []
    for model in apps.get_models():
        if not issubclass(model, Case) or model._meta.abstract or model._meta.proxy:
            continue
        open_states = tuple(getattr(model, "open_states", None) or ())
        if open_states:
            found.append((model, open_states))
    return sorted(found, key=lambda item: item[0]._meta.label)


def register(model, workflow):
    """Attach ``workflow`` to case type ``model``; called from the app's ``AppConfig.ready()``,
    so the model module never imports its workflow (which imports forms, services, tasks)."""
    if not issubclass(model, Case):
        raise TypeError(f"{model.__name__} is not a Case")
    model.workflow = workflow
    watch(model)
