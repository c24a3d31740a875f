"""Reads that tolerate a second of lag can go to a PostgreSQL streaming replica.

Set ``DATABASE_REPLICA_URL`` and the ``replica`` database alias exists; :class:`ReplicaRouter`
then sends the ORM's reads to it **only** inside a lag-tolerant scope, and everything else
(writes, reads that must see the request's own writes, migrations) to ``default``. Without the
variable every read goes to ``default`` and the helpers below change nothing.

The convention (docs/scaling.md):

- a whole view whose GETs may lag: ``@replica_reads`` (dashboards, the transparency page,
  Open311 GETs, exports); its POSTs are untouched;
- a block of code: ``with lag_tolerant(): ...``;
- one queryset: ``queryset.using(read_alias())``.

Never for what a resident or clerk has just changed (their own lists and detail pages, the
staff queue, forms): a replica may be a second behind.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_lag_tolerant = contextvars.ContextVar("kupang_lag_tolerant", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


def read_alias():
    """The alias for a lag-tolerant read: the replica when configured, else the primary."""
    return REPLICA if replica_configured() else "default"


@contextmanager
def lag_tolerant():
    token = _lag_tolerant.set(True)
    try:
        yield
    finally:
        _lag_tolerant.reset(token)


def replica_reads(view):
    """Decorator: the view's GET/HEAD requests read from the replica (when configured)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with lag_tolerant():
            return view(request, *args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Reads inside a lag-tolerant scope go to the replica; all else to the primary."""

    def db_for_read(self, model, **hints):
        if _lag_tolerant.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
