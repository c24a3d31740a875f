"""The public page cache, the catalogue fragments and the transparency figures through a shared
cache (Redis) outage: an edit made while Redis was unreachable shows once it is back, whichever web
process serves the page first. They use the stamps of ``core.cache.read_stamps`` (the mechanism of
the dashboards, tests/dashboards/test_outage.py): each stamp carries the cache's generation, which
the first process back on Redis replaces."""

from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.test import Client

from kupang_portal.core import cache as resilient_cache
from kupang_portal.core import pagecache
from kupang_portal.transparency import selectors as transparency
from layanan.models import Service
from tests.dashboards.test_outage import OPERATIONS, Process, web_process

pytestmark = pytest.mark.django_db


def _broken(*args, **kwargs):
    raise ConnectionError("redis is down")


def _miss(name):
    """What the fail-soft ``template_fragments`` alias answers while Redis fails."""
    return {"get": lambda key, default=None, version=None: default, "get_many": lambda *a, **k: {},
            "add": lambda *a, **k: False}.get(name, lambda *a, **k: None)


@pytest.fixture
def two_aliases(settings):
    """Like production: ``default`` (stamps, pages) and ``template_fragments`` (fragments, figures),
    both kept across the outage as Redis keeps them."""
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {"default": {"BACKEND": locmem, "LOCATION": "outage-default"},
                       "template_fragments": {"BACKEND": locmem, "LOCATION": "outage-fragments"}}
    settings.PUBLIC_PAGE_CACHE = True
    for alias in settings.CACHES:
        caches[alias].clear()
    pagecache.local.clear()
    resilient_cache.forget_outage()
    yield
    pagecache.local.clear()
    resilient_cache.forget_outage()


@contextmanager
def redis_down(monkeypatch):
    with monkeypatch.context() as patch:
        for name in OPERATIONS:
            patch.setattr(caches["default"], name, _broken)
            patch.setattr(caches["template_fragments"], name, _miss(name))
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def svc():
    return Service.objects.published().select_related("office").first()


def page(url):
    pagecache.local.clear()  # another second: this process asks the shared cache again
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


URLS = ("/", "/layanan/", "service")


@pytest.mark.parametrize("url", URLS)
def test_an_edit_during_the_outage_shows_when_redis_is_back(two_aliases, monkeypatch, committed, svc, url):
    svc.is_popular = True
    with committed():
        svc.save()
    url = svc.get_absolute_url() if url == "service" else url
    assert svc.name in page(url) and svc.name in page(url)  # cached (whole page and fragments)
    with redis_down(monkeypatch):
        with committed():
            svc.name = "Nama Diubah Saat Redis Mati"
            svc.save()  # the catalogue's version cannot be replaced in Redis
        assert "Nama Diubah Saat Redis Mati" in page(url)
    assert "Nama Diubah Saat Redis Mati" in page(url), url
    assert "Nama Diubah Saat Redis Mati" in page(url), url  # and what is cached now is the new page


@pytest.mark.parametrize("url", URLS)
def test_another_process_back_on_redis_first_does_not_serve_the_old_page(two_aliases, monkeypatch, committed, svc,
                                                                       url):
    """The edit was made in one process (the admin's), which has not reached Redis again yet; the
    process serving the public page had noticed the outage too and reaches it first."""
    svc.is_popular = True
    with committed():
        svc.save()
    url = svc.get_absolute_url() if url == "service" else url
    admin, public = Process(), Process()
    with web_process(public):
        assert svc.name in page(url) and svc.name in page(url)
    with redis_down(monkeypatch):
        with web_process(public):
            page(url)
        with web_process(admin), committed():
            svc.name = "Diubah Di Proses Lain"
            svc.save()
    with web_process(public):
        assert "Diubah Di Proses Lain" in page(url), url


def test_a_page_rendered_during_the_outage_is_not_stored(two_aliases, monkeypatch, svc):
    with redis_down(monkeypatch):
        page(svc.get_absolute_url())
    assert not [key for key in caches["default"]._cache if "pagecache:" in key]


def test_transparency_figures_after_an_outage(two_aliases, monkeypatch):
    before = transparency.figures()
    assert transparency.figures()["generated_at"] == before["generated_at"]  # cached
    with redis_down(monkeypatch):
        transparency.invalidate()  # a report published during the outage
        assert transparency.figures()["generated_at"] != before["generated_at"]
    assert transparency.figures()["generated_at"] != before["generated_at"]
