"""``case_changed``: a case's public face may have changed (sent after the commit).

Sent for every history row the engine writes (``engine.record_event``: every transition,
assignment and retention step) and for every direct save or delete of a case row (the admin's
change form, services saving fields outside a transition). Receivers keep caches of public
responses honest (the tracking page, the Open311 list: ``kupang_portal.core.pagecache``); they run
after the commit, so a reader can never cache the old content under the new stamp, and a failing
receiver cannot undo or fail the committed change.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from kupang_portal.core import oncommit

case_changed = Signal()  # sender: the case model; keyword ``case``


def _send(cases):
    for case in cases.values():
        case_changed.send_robust(sender=type(case), case=case)


def notify_changed(case):
    """Send ``case_changed`` for ``case`` after the commit: once per case object however often one
    transaction asks (a submit records two history rows and saves the case: one send, not three;
    the receivers read the object as it is after the commit, so one send serves them all)."""
    oncommit.defer("case_changed", {id(case): case}, _send, robust=True)


def _saved_or_deleted(sender, instance, **kwargs):
    notify_changed(instance)


def watch(model):
    """Send ``case_changed`` for direct saves and deletes of ``model`` (``registry.register``)."""
    post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"workflow-case-changed-save-{model._meta.label}")
    post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"workflow-case-changed-delete-{model._meta.label}")
