"""Test settings: the real settings plus a tiny case type used to test the workflow engine alone."""

import os

# The tests run the development configuration explicitly (DEBUG defaults to off).
os.environ.setdefault("DEBUG", "1")

from kupang_portal.settings import *  # noqa: E402,F401,F403
from kupang_portal.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.caseapp"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests clear the cache between tests: never let that flush a shared Redis database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Test transactions never commit, so the stamps of the public page cache would never renew
# (kupang_portal/core/pagecache.py): off here, on in the tests of the cache itself.
PUBLIC_PAGE_CACHE = False
PUBLIC_PAGE_CACHE_LOCAL_SECONDS = 0
