"""The rate-limit counters the submit uses: both counters in one round trip, each window started
by its own first event, and still counting (in the process) when Redis fails."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from kupang_portal.core import cache as resilient_cache
from kupang_portal.core import ratelimit


@pytest.fixture
def redis_cache(settings):
    """The cache as production runs it: Redis (REDIS_URL), under a key prefix of this test."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set")
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": f"test-counters-{uuid.uuid4().hex}", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    resilient_cache.local.clear()
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    return backend


def keys():
    tag = uuid.uuid4().hex
    return [(f"test:user:{tag}", 60), (f"test:ip:{tag}", 3600)]


@pytest.mark.parametrize("backend", ["redis", "locmem"])
def test_count_events_counts_every_key_once_per_call(backend, request):
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    items = keys()
    assert ratelimit.counts([k for k, _ in items]) == [0, 0]
    assert ratelimit.hit_many(items) == [1, 1]
    assert ratelimit.hit_many(items) == [2, 2]
    assert ratelimit.hit(items[0][0], 60) == 3  # the one-key path counts on the same counter
    assert ratelimit.counts([k for k, _ in items]) == [3, 2]


def test_the_window_starts_with_the_first_event_and_is_not_extended(redis_cache):
    backend = redis_cache
    items = keys()
    ratelimit.hit_many(items)
    client = backend._cache.get_client()
    ttls = [client.ttl(backend.make_and_validate_key(k)) for k, _ in items]
    assert 55 <= ttls[0] <= 60 and 3590 <= ttls[1] <= 3600
    client.expire(backend.make_and_validate_key(items[0][0]), 30)
    ratelimit.hit_many(items)  # a later event keeps the window where it was
    assert client.ttl(backend.make_and_validate_key(items[0][0])) <= 30


def test_a_redis_failure_counts_in_the_process(redis_cache, monkeypatch):
    import redis

    backend = redis_cache

    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("down")

    monkeypatch.setattr(backend._cache, "get_client", down)
    items = keys()
    assert ratelimit.hit_many(items) == [1, 1]
    assert ratelimit.hit_many(items) == [2, 2]
    assert [resilient_cache.local.get(k) for k, _ in items] == [2, 2]


@pytest.mark.parametrize("backend", ["redis", "locmem"])
def test_check_and_count_counts_only_when_every_counter_is_below_its_limit(backend, request):
    """The submit's flood limits: checked and counted in one round trip; a refusal counts nothing."""
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    (user, day), (ip, hour) = keys()
    items = [(user, day, 2), (ip, hour, 5)]
    assert ratelimit.hit_within(items) is None
    assert ratelimit.hit_within(items) is None
    assert ratelimit.counts([user, ip]) == [2, 2]
    assert ratelimit.hit_within(items) == 0  # the first counter is at its limit
    assert ratelimit.hit_within([(user, day, 9), (ip, hour, 2)]) == 1
    assert ratelimit.counts([user, ip]) == [2, 2]


def test_check_and_count_starts_the_window_with_the_first_event(redis_cache):
    backend = redis_cache
    (user, _), (ip, _) = keys()
    ratelimit.hit_within([(user, 60, 10), (ip, 3600, 10)])
    client = backend._cache.get_client()
    assert 55 <= client.ttl(backend.make_and_validate_key(user)) <= 60
    client.expire(backend.make_and_validate_key(user), 30)
    ratelimit.hit_within([(user, 60, 10), (ip, 3600, 10)])
    assert client.ttl(backend.make_and_validate_key(user)) <= 30
    assert ratelimit.counts([user, ip]) == [2, 2]


def test_check_and_count_in_the_process_when_redis_fails(redis_cache, monkeypatch):
    import redis

    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("down")

    monkeypatch.setattr(redis_cache._cache, "get_client", down)
    (user, _), (ip, _) = keys()
    items = [(user, 60, 2), (ip, 3600, 5)]
    assert ratelimit.hit_within(items) is None
    assert ratelimit.hit_within(items) is None
    assert ratelimit.hit_within(items) == 0
    assert [resilient_cache.local.get(k) for k in (user, ip)] == [2, 2]
    resilient_cache.forget_outage()


def test_one_redis_client_per_pool_is_reused():
    """Django built a redis.Redis per cache call (~65 µs); the portal's backend keeps one per pool."""
    from kupang_portal.core.cache import PortalRedisCache

    backend = PortalRedisCache("redis://127.0.0.1:6379/0", {})
    assert backend._cache.get_client() is backend._cache.get_client(write=True)
