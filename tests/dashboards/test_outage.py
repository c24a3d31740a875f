"""The dashboards while the shared cache (Redis) is unreachable and after it is back: a case
changed during the outage shows in every web process at once (each process keeps its own fallback
copies, so a stamp replaced in one of them is not seen by another), and when Redis answers again
nothing cached before the outage is served under a stamp the outage kept from being replaced."""

import re
import uuid
from collections import OrderedDict
from contextlib import contextmanager

import pytest
from django.core.cache import cache as shared
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from kupang_portal.accounts.roles import Role
from kupang_portal.core import cache as resilient_cache
from kupang_portal.core import memo
from kupang_portal.dashboards import selectors
from kupang_portal.notifications import services as notifications
from kupang_portal.notifications import unread
from kupang_portal.workflow import engine
from layanan.models import Application
from tests import factories
from tests.layanan.conftest import make_submitted

pytestmark = pytest.mark.django_db

OPERATIONS = ("get", "set", "add", "delete", "get_many", "set_many", "delete_many", "incr", "touch")


def _broken(*args, **kwargs):
    raise ConnectionError("redis is down")


@contextmanager
def redis_down(monkeypatch):
    """The default cache fails until the block ends; the fail-soft one (``core.cache.fragments``,
    its own alias on Redis in production) misses, as it does when Redis fails."""
    with monkeypatch.context() as patch:
        for name in OPERATIONS:
            patch.setattr(shared, name, _broken)
        patch.setattr(selectors, "fragments", lambda: DummyCache("outage", {}))
        yield


class Process:
    """What a web process keeps for itself: its fallback cache, its memo copies, whether its last
    contact with Redis failed and what it wrote meanwhile."""

    def __init__(self):
        self.local = LocMemCache(f"outage-test-{uuid.uuid4()}", {"TIMEOUT": 300})
        self.memo, self.down, self.missed = OrderedDict(), False, set()


@contextmanager
def web_process(process):
    """Run the block as ``process``."""
    saved = resilient_cache.local, memo._local, resilient_cache._down, resilient_cache._missed
    resilient_cache.local, memo._local = process.local, process.memo
    resilient_cache._down, resilient_cache._missed = process.down, process.missed
    try:
        yield
    finally:
        process.down = resilient_cache._down
        resilient_cache.local, memo._local, resilient_cache._down, resilient_cache._missed = saved


def _unassigned(client):
    response = client.get("/dasbor/")
    assert response.status_code == 200
    html = response.content.decode()
    return re.search(r'data-testid="exception-belum_ditugaskan-layanan">\s*<span[^>]*>([^<]*)</span>', html).group(1)


@pytest.fixture(autouse=True)
def _fresh_copies():
    resilient_cache.local.clear()
    memo.clear_local()
    yield
    resilient_cache.local.clear()
    memo.clear_local()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_change_during_the_outage_shows_in_every_web_process(client, monkeypatch, committed):
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    with committed():
        app = make_submitted(factories.resident())
    client.force_login(clerk)
    first, second = Process(), Process()
    with redis_down(monkeypatch):
        for process in (first, second):
            with web_process(process):
                assert _unassigned(client) == "1"
        with web_process(first), committed():
            engine.assign(Application.objects.get(pk=app.pk), clerk, clerk)
        for process in (first, second):
            with web_process(process):
                assert _unassigned(client) == "0"


def test_the_first_process_back_on_redis_does_not_serve_what_another_one_changed(client, monkeypatch, committed):
    """The process that changed a case during the outage has not reached Redis yet; another one has."""
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    with committed():
        app = make_submitted(factories.resident())
    client.force_login(clerk)
    first, second = Process(), Process()
    for process in (first, second):
        with web_process(process):
            assert _unassigned(client) == "1"  # cached in Redis and in each process
    with redis_down(monkeypatch):
        with web_process(second):
            assert _unassigned(client) == "1"
        with web_process(first), committed():
            engine.assign(Application.objects.get(pk=app.pk), clerk, clerk)
    with web_process(second):
        assert _unassigned(client) == "0"
    with web_process(first):
        assert _unassigned(client) == "0"


def test_a_change_during_the_outage_shows_when_redis_is_back(client, monkeypatch, committed):
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    boss = factories.staff(Role.SUPERVISOR)
    with committed():
        app = make_submitted(factories.resident())
    for user in (clerk, boss):
        client.force_login(user)
        assert _unassigned(client) == "1"  # cached under the stamps in Redis
    with redis_down(monkeypatch):
        with committed():
            engine.assign(Application.objects.get(pk=app.pk), clerk, clerk)  # the stamps' bump cannot reach Redis
        client.force_login(clerk)
        assert _unassigned(client) == "0"
    for user in (clerk, boss):
        client.force_login(user)
        assert _unassigned(client) == "0", user


def test_the_unread_count_after_an_outage(monkeypatch, committed):
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    before = unread.count(clerk)  # cached under the stamp in Redis
    with redis_down(monkeypatch):
        with committed():
            notifications.notify("dashboard_export_ready", [clerk], {"rows": 1, "format": "CSV"}, link="/dasbor/",
                                 channels=["inapp"])
        assert unread.count(clerk) == before + 1
    assert unread.count(clerk) == before + 1
