"""Retention of personal data after a case is closed (see README, "Retention").

Each app may provide a ``retention`` module with ``due(now)`` (cases whose personal data is past
its retention period, as ``Item``s) and ``purge(item)`` (remove it). The runner below is used by
the beat task ``kupang_portal.core.tasks.periodic_retention`` and by ``manage.py retention``
(``--dry-run`` lists what would be removed). Purging is idempotent: a case whose data is gone is
no longer ``due``. Figures (counts, lifecycle times) and the case history stay.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone


@dataclass
class Item:
    case: object
    number: str
    closed_at: object
    removes: list = field(default_factory=list)  # human-readable: "pelapor", "2 foto", …


def providers():
    found = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.retention"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        if module.__name__ != __name__ and hasattr(module, "purge"):
            found.append(module)
    return found


def due(now=None):
    now = now or timezone.now()
    return [(provider, item) for provider in providers() for item in provider.due(now)]


def run(now=None, dry_run=False):
    """Purge (or with ``dry_run`` only list) everything due. Returns the items."""
    items = due(now)
    if not dry_run:
        for provider, item in items:
            with transaction.atomic():
                provider.purge(item)
    return [item for _provider, item in items]
