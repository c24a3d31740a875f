"""Settings for bench/dashboard.py: the portal's settings plus the floor view, and cache keys of
this run only (the bench shares a Redis database; it never flushes one)."""

import os

from kupang_portal.settings import *  # noqa: F401,F403
from kupang_portal.settings import CACHES

ROOT_URLCONF = "bench._dashboard_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
CACHES = {**CACHES, "default": {**CACHES["default"], "KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "kupang-bench")}}
LOGGING_CONFIG = None
