"""The shared cache (Redis in production) used so that an outage never becomes a 500.

Every read and write goes through here: when the backend fails (Redis stopped, network cut) the
call is answered from a small in-process cache instead and a warning is logged (at most once a
minute per process). Callers that have a source of truth (the calendar: the database) use
``get``'s miss as "load it again"; counters (the rate limiter) keep counting in the process, which
is degraded (per web process instead of shared) but never off.

While the shared cache fails, the process is *down* (``is_down``): version stamps are then not
kept at all (``dashboards.versions``, ``notifications.unread``, ``memo``), because a stamp replaced
in this process' fallback is not seen by the other web processes. The keys this process wrote or
deleted meanwhile never reached Redis, where the values from before the outage are still stored
(a stamp that a change during the outage could not replace, with everything cached under it): the
first call that reaches Redis again deletes those keys there first, so they start anew, and
replaces ``GENERATION_KEY``, which the stamp readers append to every stamp: the changes another
process made during the outage are then not hidden either, whichever process reaches Redis first.
"""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

FRAGMENTS = "template_fragments"  # the alias Django's {% cache %} tag prefers when it exists

local = LocMemCache("kupang-cache-fallback", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 50_000}})
_last_warning = 0.0
_down = False
_missed = set()  # keys written or deleted in the fallback while down: deleted in Redis when it is back
MISSED_MAX = 50_000
GENERATION_KEY = "cache:generation"
GENERATION_SECONDS = 30 * 24 * 3600
STAMP_SECONDS = 30 * 24 * 3600  # an expired stamp simply starts a new one (no key lives forever)
WRITES = {"set": lambda args: [args[0]], "delete": lambda args: [args[0]],
          "set_many": lambda args: list(args[0]), "delete_many": lambda args: list(args[0])}


def _warn(exc):
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("shared cache unavailable (%s); using the in-process fallback", exc.__class__.__name__)


def call(operation, *args, **kwargs):
    """``cache.<operation>(*args)``; on a backend failure the same call on the local fallback.
    ValueError (``incr`` of a missing key) is part of the cache API and passes through."""
    global _down
    try:
        if _down:
            _recover()
        return getattr(cache, operation)(*args, **kwargs)
    except ValueError:
        raise
    except Exception as exc:  # redis.exceptions.ConnectionError, TimeoutError, OSError …
        _down = True
        _warn(exc)
        if operation in WRITES and len(_missed) < MISSED_MAX:
            _missed.update(WRITES[operation](args))
        return getattr(local, operation)(*args, **kwargs)


def stamp(found, key):
    """The stamp ``key`` of a ``get_many`` result that also read ``GENERATION_KEY`` (None when
    one of them is missing): the stored token with the generation appended."""
    if found.get(key) is None or found.get(GENERATION_KEY) is None:
        return None
    return f"{found[key]}.{found[GENERATION_KEY]}"


def read_stamps(keys, plain=()):
    """{key: stamp} for the version stamps ``keys`` (the shared mechanism of every cache keyed on
    stamps: the dashboards, the public page cache, the catalogue fragments). A missing stamp is
    started (a new random token); each stamp has ``GENERATION_KEY`` appended (replaced after an
    outage, see the module doc). While the shared cache is down every read gives new stamps, so
    nothing cached is reused. ``plain``: other keys read in the same round trip, in the result only
    when present (raw), and so is ``GENERATION_KEY`` (for a plain stamp, see ``stamp``)."""
    keys = list(dict.fromkeys(keys))
    stored = keys + [GENERATION_KEY]
    found = call("get_many", stored + [key for key in plain if key not in stored])
    if is_down():
        # This process' fallback copy of a stamp misses the changes made in the other processes:
        # no stamp repeats until Redis is back, so nothing cached is reused (computed each time).
        return {key: secrets.token_hex(8) for key in keys}
    missing = {key: secrets.token_hex(8) for key in stored if key not in found}
    if missing:
        call("set_many", missing, STAMP_SECONDS)
        found.update(missing)
    return {**found, **{key: stamp(found, key) for key in keys}}


def renew_stamps(*keys):
    """Replace the stamps ``keys`` now: everything cached under the old ones is stale. During an
    outage the write is remembered and the keys are deleted in Redis when it is back."""
    call("set_many", {key: secrets.token_hex(8) for key in keys}, STAMP_SECONDS)


def is_down():
    """True while this process' last contact with the shared cache failed."""
    return _down


def forget_outage():
    """Forget that the shared cache failed (tests: one test's outage must not last into the next)."""
    global _down
    _down = False
    _missed.clear()


def _recover():
    """The shared cache answers again (or raises): delete there what this process changed in its
    fallback meanwhile; the next read starts those keys (stamps) anew."""
    global _down
    if _missed:
        cache.delete_many(sorted(_missed))
        _missed.clear()
    cache.set(GENERATION_KEY, secrets.token_hex(8), GENERATION_SECONDS)
    _down = False
    logger.warning("shared cache available again")


def _replace_stamps(pending):
    by_timeout = {}
    for timeout, key in pending:
        by_timeout.setdefault(timeout, []).append(key)
    for timeout, keys in by_timeout.items():
        call("set_many", {key: secrets.token_hex(8) for key in keys}, timeout)


def replace_stamps_on_commit(keys, timeout):
    """After the commit, give the stamps ``keys`` new random tokens (``set_many``). All the calls
    of one transaction are one write per timeout (``core.oncommit``): a submit replaced the
    dashboards' stamps twice and the recipients' unread stamps once, three round trips, now one."""
    from . import oncommit

    oncommit.defer("stamps", {(timeout, key): None for key in keys}, _replace_stamps)


def get(key, default=None):
    return call("get", key, default)


def set(key, value, timeout):  # noqa: A001 (mirrors the cache API)
    return call("set", key, value, timeout)


def delete(key):
    # Also forget the fallback's copy: after an outage it must not serve stale data.
    local.delete(key)
    return call("delete", key)


# INCR, and start the window (expiry) with the counter's first event; atomic in Redis.
_COUNT_SCRIPT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"


def count_events(items):
    """For each ``(key, window_seconds)``: count one event in the counter ``key``, whose window
    starts with its first event; returns the counts. On Redis one round trip for all keys (a
    pipeline of one atomic script per key) instead of two or three per key; on other backends
    ``add`` then ``incr``; on a failure, counted in the in-process fallback."""
    global _down
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        try:
            pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
            for key, window in items:
                pipe.eval(_COUNT_SCRIPT, 1, backend.make_and_validate_key(key), int(window))
            return [int(n) for n in pipe.execute()]
        except Exception as exc:  # redis.exceptions.ConnectionError, TimeoutError, OSError …
            _down = True
            _warn(exc)
            return [_count_event(local, key, window) for key, window in items]
    return [_count_event(None, key, window) for key, window in items]


# Every counter below its limit: count one event in each (window started by its first event) and
# return 0; else count nothing and return the (1-based) position of the first counter at its limit.
_CHECK_AND_COUNT_SCRIPT = """
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if (value and tonumber(value) or 0) >= tonumber(ARGV[2 * i]) then return i end
end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[2 * i - 1]) end
end
return 0
"""


def count_events_within(items):
    """For ``(key, window_seconds, limit)`` items: when every counter is below its limit, count
    one event in each (``count_events``) and return None; else count nothing and return the
    index of the first counter at its limit. On Redis one atomic script (one round trip; the
    submit read the counters and counted them in two); elsewhere, and in the in-process fallback
    when Redis fails, read then count."""
    global _down
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        try:
            client = backend._cache.get_client(write=True)
            args = [int(value) for _key, window, limit in items for value in (window, limit)]
            found = int(client.eval(_CHECK_AND_COUNT_SCRIPT, len(items),
                                    *[backend.make_and_validate_key(key) for key, _w, _l in items], *args))
            return found - 1 if found else None
        except Exception as exc:  # redis.exceptions.ConnectionError, TimeoutError, OSError …
            _down = True
            _warn(exc)
            values = local.get_many([key for key, _w, _l in items])
            run = lambda: [_count_event(local, key, window) for key, window, _l in items]  # noqa: E731
    else:
        values = call("get_many", [key for key, _w, _l in items])
        run = lambda: count_events([(key, window) for key, window, _l in items])  # noqa: E731
    for index, (key, _window, limit) in enumerate(items):
        if (values.get(key) or 0) >= limit:
            return index
    run()
    return None


def _count_event(backend, key, window):
    run = (lambda op, *args: getattr(backend, op)(*args)) if backend is not None else call
    if run("add", key, 1, window):
        return 1
    try:
        return run("incr", key)
    except ValueError:  # expired between add and incr
        run("set", key, 1, window)
        return 1


class _ReusedClient(RedisCacheClient):
    """Django builds a new ``redis.Redis`` for every cache call: ~65 µs each (redis-py fills a
    table of ~170 response callbacks), more than a GET's round trip to a local Redis. One client
    per connection pool is kept instead; a client is safe to share between threads (every
    command takes a connection from the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    """Django's Redis cache with one ``redis.Redis`` client per pool (``settings.cache_settings``)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClient


class FailSoftRedisCache(PortalRedisCache):
    """The ``template_fragments`` cache (settings.cache_settings): values the database can always
    give again (template fragments, the catalogue's version, computed figures). When Redis fails,
    a read misses and a write is dropped (a warning, at most once a minute), so the page is
    rendered from the database: slower during an outage, never a 500 and never stale (unlike the
    in-process fallback, which another web process could not renew)."""

    def _soft(self, operation, default, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except Exception as exc:  # redis.exceptions.ConnectionError, TimeoutError, OSError …
            _warn(exc)
            return default

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, keys, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):  # noqa: A003
        return self._soft("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, key, version)


def fragments():
    """The cache for values the database can always give again: ``template_fragments`` when
    configured (fail-soft on Redis), else ``default``."""
    return caches[FRAGMENTS] if FRAGMENTS in settings.CACHES else caches["default"]
