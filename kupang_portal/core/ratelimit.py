"""Fixed-window counters in Django's cache (Redis in production, shared by every web node).

Used for login lockout, complaint and application flood limits and secret-code guessing. When the
cache is down the counters live in the web process (``core.cache``): limits still hold per process
(degraded, never off) and nothing answers 500.
"""

import hashlib

from . import cache


def cache_key(*parts):
    """A cache-safe key (no spaces or control characters, bounded length) for any identifier."""
    raw = ":".join(str(p) for p in parts)
    return "ratelimit:" + hashlib.sha256(raw.encode()).hexdigest()


def hit(key, window_seconds):
    """Count one event in ``key``'s window (which starts with the first event); returns the count."""
    if cache.call("add", key, 1, window_seconds):
        return 1
    try:
        return cache.call("incr", key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1


def hit_many(keys_and_windows):
    """``hit`` for several counters at once (one round trip on Redis); returns the counts."""
    return cache.count_events(keys_and_windows)


def hit_within(keys_windows_limits):
    """For ``(key, window_seconds, limit)`` items: None after counting one event in each when all
    are below their limits, else (counting nothing) the index of the first limit reached. One
    atomic round trip on Redis."""
    return cache.count_events_within(keys_windows_limits)


def count(key):
    return cache.get(key) or 0


def counts(keys):
    """The counts of several keys in one round trip."""
    values = cache.call("get_many", list(keys))
    return [values.get(key) or 0 for key in keys]


def reached(key, limit):
    return count(key) >= limit


def remember(key, seconds):
    """Set a flag (count 1) for ``seconds``, e.g. an address the owner logged in from."""
    cache.set(key, 1, seconds)


def reset(key):
    cache.delete(key)


def client_ip(request):
    """The client address as seen by Django (behind a proxy, configure it to set REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
