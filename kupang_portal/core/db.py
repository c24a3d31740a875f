"""Reads that tolerate a second of lag can go to a PostgreSQL streaming replica.

Set ``DATABASE_REPLICA_URL`` and the ``replica`` database alias exists; :class:`ReplicaRouter`
then sends the ORM's reads to it **only** inside a lag-tolerant scope, and everything else
(writes, reads that must see the request's own writes, migrations) to ``default``. Without the
variable every read goes to ``default`` and the helpers below change nothing.

The convention (docs/scaling.md):

- a whole view whose GETs may lag: ``@replica_reads`` under ``@login_required`` (dashboards,
  transparency, SKM results, Open311 GETs); its POSTs are untouched;
- a block of code: ``with lag_tolerant(): ...`` (the dashboards' export job);
- one queryset: ``queryset.using(read_alias())``.

Never for what a resident or clerk has just changed (their own lists and detail pages, the
staff queue, forms): a replica may be a second behind. Three guards keep the lag out of sight:

- read your own writes: after a POST (or any unsafe method) ``PinAfterWriteMiddleware`` sets a short
  cookie, and for ``REPLICA_PIN_SECONDS`` (5) that browser's ``@replica_reads`` pages read the
  primary (a head who publishes an SKM report sees it published on the page they land on);
- the session and the user are loaded from the primary before a view's lag-tolerant scope opens
  (a session created a moment ago may not be on the replica yet), and ``with primary():`` puts a
  read that decides permissions (the dashboards' scope) back on the primary inside such a scope;
- ``cache_seconds(t)``: a value computed from the replica and cached under version stamps may
  have raced the lag (read before the change reached the replica, stored under the stamp written
  after it): it is kept at most ``REPLICA_CACHE_SECONDS`` (30) instead of ``t``.
"""

import contextvars
import functools
import time
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
PIN_COOKIE = "kupang_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
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


@contextmanager
def primary():
    """Reads that must see the latest commit, even inside a lag-tolerant scope (permissions)."""
    token = _lag_tolerant.set(False)
    try:
        yield
    finally:
        _lag_tolerant.reset(token)


def reading_replica():
    return _lag_tolerant.get() and replica_configured()


def cache_seconds(seconds):
    """The timeout for a cached value computed now: capped while reading from the replica."""
    if not reading_replica():
        return seconds
    cap = getattr(settings, "REPLICA_CACHE_SECONDS", 30)
    return cap if seconds is None else min(seconds, cap)


def pinned(request):
    """This browser wrote a moment ago: its reads stay on the primary (see PinAfterWriteMiddleware)."""
    try:
        return float(request.COOKIES.get(PIN_COOKIE, 0)) > time.time()
    except ValueError:
        return False


def replica_reads(view):
    """Decorator: the view's GET/HEAD requests read from the replica (when configured), unless
    this browser wrote within REPLICA_PIN_SECONDS. The session and user are loaded first, from
    the primary."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not replica_configured() or pinned(request):
            return view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - evaluates the lazy session and user on the primary
        with lag_tolerant():
            return view(request, *args, **kwargs)

    return wrapper


class PinAfterWriteMiddleware:
    """After an unsafe request, a cookie keeps this browser's reads on the primary for
    ``REPLICA_PIN_SECONDS``: it reads its own writes. Only when a replica is configured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and replica_configured():
            seconds = getattr(settings, "REPLICA_PIN_SECONDS", 5)
            response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.3f}", max_age=seconds, httponly=True,
                                samesite="Lax", secure=getattr(settings, "SESSION_COOKIE_SECURE", False))
        return response


class ReplicaRouter:
    """Reads inside a lag-tolerant scope go to the replica; all else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if reading_replica() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
