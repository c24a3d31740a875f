"""Settings of the benchmark server: the portal's settings plus the floor views (bench/_site_urls.py).

Everything else (middleware, database, cache, templates, static files) is exactly what
``make up`` serves, so a ratio against a floor view compares the portal with Django itself on
the same server, in the same run.
"""

from kupang_portal.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench._site_urls"
