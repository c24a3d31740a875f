"""After-commit work of one transaction done once, however often it was asked for.

A submit records two history rows and saves its case: each asked for the case's public pages to
be renewed and for the dashboards' and unread stamps to be replaced after the commit, so one
submit wrote the same stamps to Redis six times, one round trip each. ``defer`` keeps the asked
work in a pending set of the connection; every call still registers its own
``transaction.on_commit`` hook (so a rolled back savepoint drops its hook as Django always does,
and ``captureOnCommitCallbacks`` in tests sees the hooks of its block), and the first hook that
runs does all the pending work at once; the others find nothing left.

Only for work that is harmless when done once too often: the pending work of a hook dropped by a
rollback is done by the next hook that runs (a stamp replaced, a page renewed, once more).
"""

from django.db import transaction


def defer(name, items, run, using=None, robust=False):
    """After the commit, ``run(pending)`` once with every item (a dict) given to ``defer(name, …)``
    on this connection since the last run."""
    connection = transaction.get_connection(using)
    pending = connection.__dict__.setdefault("_kupang_deferred", {})
    pending.setdefault(name, {}).update(items)

    def hook():
        taken = pending.pop(name, None)
        if taken:
            run(taken)

    transaction.on_commit(hook, using=using, robust=robust)
