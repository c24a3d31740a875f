"""With the shared cache unreachable (Redis stopped: connections refused), the public pages and a
resident's pages still answer 200: template fragments, the catalogue's version, the transparency
figures and the page cache are all things the database can give again, so a cache failure there
is a miss, never a 500. (The complaint journey through an outage: test_redis_outage.py.)"""

import pytest
from django.core.cache import caches
from django.test import Client

from kupang_portal.core import cache as resilient_cache
from kupang_portal.core import pagecache
from layanan.models import Service
from tests import factories

pytestmark = pytest.mark.django_db

DOWN = {"LOCATION": "redis://127.0.0.1:1/0", "KEY_PREFIX": "down",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}


@pytest.fixture
def redis_down(settings):
    from kupang_portal.settings import cache_settings

    settings.CACHES = cache_settings(DOWN["LOCATION"], DOWN["KEY_PREFIX"], DOWN["OPTIONS"])
    for alias in settings.CACHES:
        caches[alias].close()
    resilient_cache.local.clear()
    pagecache.local.clear()
    yield
    pagecache.local.clear()


@pytest.mark.parametrize("page_cache", [True, False])
def test_public_and_resident_pages_answer_with_the_cache_unreachable(client, settings, redis_down, page_cache):
    settings.PUBLIC_PAGE_CACHE = page_cache
    service = Service.objects.published().first()
    paths = ["/", "/layanan/", service.get_absolute_url(), "/transparansi/", "/lacak/"]
    for path in paths:
        assert Client().get(path).status_code == 200, path
    client.force_login(factories.resident())
    for path in [*paths, f"{service.get_absolute_url()}ajukan/", "/layanan/permohonan/", "/pengaduan/", "/pengaduan/baru/"]:
        assert client.get(path).status_code == 200, path
