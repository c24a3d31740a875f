"""Sessions read through the shared cache (kupang_portal/core/sessions.py): a signed-in request
costs no session query, a logout ends the cached copy too, and an outage neither answers 500 nor
brings back a session that ended during it."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kupang_portal.core import cache as resilient_cache
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = "/layanan/permohonan/"  # a resident's page (login required)


@pytest.fixture(params=["redis", "locmem"])
def session_cache(request, settings):
    if request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set")
        settings.CACHES = {"default": {
            "BACKEND": "kupang_portal.core.cache.PortalRedisCache", "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"test-sessions-{uuid.uuid4().hex}", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }}
    settings.SESSION_ENGINE = "kupang_portal.core.sessions"
    resilient_cache.local.clear()
    yield caches["default"]
    resilient_cache.forget_outage()


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client, client.cookies["sessionid"].value


def test_a_signed_in_request_reads_its_session_from_the_cache(session_cache):
    client, _ = _signed_in(factories.resident())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PAGE).status_code == 200
    assert not any("django_session" in q["sql"] for q in captured.captured_queries)


def test_a_session_missing_from_the_cache_is_read_from_the_database(session_cache):
    client, key = _signed_in(factories.resident())
    session_cache.delete("session:" + key)
    assert client.get(PAGE).status_code == 200
    assert session_cache.get("session:" + key) is not None  # cached again for the next request


def test_a_logout_ends_the_cached_session_too(session_cache):
    client, key = _signed_in(factories.resident())
    client.post("/akun/keluar/")
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(PAGE).status_code == 302  # to the login page
    assert session_cache.get("session:" + key) is None


@pytest.mark.parametrize("session_cache", ["redis"], indirect=True)  # an outage of Redis itself (locmem has none)
def test_an_outage_reads_the_database_and_a_logout_during_it_does_not_come_back(session_cache, monkeypatch):
    import redis
    stays, _ = _signed_in(factories.resident())
    leaves, key = _signed_in(factories.resident())
    real = session_cache._cache.get_client

    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("down")

    monkeypatch.setattr(session_cache._cache, "get_client", down)
    assert stays.get(PAGE).status_code == 200  # from the database
    leaves.post("/akun/keluar/")  # deleted in the database; Redis still holds the copy
    assert real().exists(session_cache.make_and_validate_key("session:" + key))
    monkeypatch.setattr(session_cache._cache, "get_client", real)  # Redis is back
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(PAGE).status_code == 302  # this process reads the database until it reaches Redis again
    assert stays.get(PAGE).status_code == 200
    resilient_cache.get("anything")  # the next call that reaches Redis deletes there what the outage kept
    assert not real().exists(session_cache.make_and_validate_key("session:" + key))  # deleted there on the way back
