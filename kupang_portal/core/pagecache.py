"""Whole responses of public pages, cached for anonymous visitors (issue 13: light public pages).

The home page, the catalogue, a service's standard, the public tracking page of one number and
the Open311 list are the same for every anonymous visitor in one language, yet each request
rendered them in full. ``cache_public_response`` stores such a response in the shared cache and
serves it again while it is still valid:

- Who: only a request without a session cookie (so no logged-in user and no flash message; a
  resident who is logged in always gets the page rendered for them), and only ``GET`` without a
  query string unless the view allows one (the Open311 list, keyed on its parameters).
- Key: the release (a digest of the templates and translations, computed once per process, plus
  ``PUBLIC_PAGE_CACHE_RELEASE``: a deploy never serves the previous release's pages), the language
  (the ``django_language`` cookie decides it), the address (scheme, host, path) and, where
  allowed, the query string.
- Validity: each cached response carries the *stamps* it was rendered under: values in the cache
  that are replaced after every committed change of what the page shows (the catalogue's version
  for services and offices, a case's stamp for its tracking page, the complaint list's stamp).
  A stamp read before rendering is stored with the response, so a change committed during the
  rendering makes that copy stale at once; an evicted stamp starts a new one (a random token, never
  reused). The stamps are those of ``core.cache.read_stamps``, shared with the dashboards: each
  carries the cache's generation, so after a Redis outage nothing stored before it is served
  (a change made during the outage could not replace its stamp in Redis). ``timeout`` bounds
  what no stamp covers (Python changes of a new release without
  ``PUBLIC_PAGE_CACHE_RELEASE``, the moving 90-day window of Open311).
- CSRF: a form's token is per visitor. The cached copy holds a placeholder instead, and every
  response served from the cache gets this visitor's own token (``get_token``: the cookie is set
  or renewed exactly as on a rendered page), so forms such as the language switch and the
  tracking code keep their CSRF protection.
- Views opt out per response with ``response.cacheable = False`` (e.g. "number not found":
  random numbers must not fill the cache); non-200 responses, responses that set cookies and
  requests that wrote to the session are never stored.
- Each web process also keeps the responses it served for ``PUBLIC_PAGE_CACHE_LOCAL_SECONDS``
  (default 1 s) without asking the shared cache again: a hot page costs one shared-cache read
  per process and second instead of one per request (on the 2-core bench machine that round trip
  was most of a cached page's cost). A change made through another process shows there at most
  that second later (the issue accepts a second of lag for public reads); a change made in this
  process (``bump``) drops this process's copies at once.
- A cache outage never fails a page: the view simply renders (and nothing is stored until the
  cache answers again). ``PUBLIC_PAGE_CACHE=0`` turns the cache off (the test settings do: test
  transactions never commit, so stamps would never renew).
"""

import functools
import hashlib
import logging
import re
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import cache as shared
from . import db

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 600  # seconds; see the module docstring
CSRF_PLACEHOLDER = "kupang-csrf-token-placeholder"
_TOKEN_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
_KEPT_HEADERS = ("Content-Type", "Link")
_PUBLIC_STAMPS = []
# This process's copies (see the module doc); bounded like the resilient cache's fallback.
local = LocMemCache("kupang-pagecache-local", {"TIMEOUT": 1, "OPTIONS": {"MAX_ENTRIES": 2_000}})


def register_public_stamp(key):
    """A stamp every public page depends on (apps register theirs in ``ready()``: the catalogue's
    version, complaint categories)."""
    if key not in _PUBLIC_STAMPS:
        _PUBLIC_STAMPS.append(key)


def public_stamps():
    return list(_PUBLIC_STAMPS)


def bump(key):
    """Start a new stamp ``key``: every response cached under the old one is stale. During a cache
    outage the key is deleted in Redis when it is back (``core.cache.renew_stamps``)."""
    local.clear()
    shared.renew_stamps(key)


def _eligible(request, allow_query, anonymous_only):
    if request.method != "GET" or not settings.PUBLIC_PAGE_CACHE:
        return False
    if anonymous_only and settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return allow_query or not request.META.get("QUERY_STRING")


@functools.cache
def release():
    """What a new release changes in a page: a digest of every template and compiled catalogue,
    plus ``PUBLIC_PAGE_CACHE_RELEASE`` (e.g. the deployed commit). Computed once per process."""
    from django.template import engines
    from django.template.utils import get_app_template_dirs

    digest = hashlib.sha256(settings.PUBLIC_PAGE_CACHE_RELEASE.encode())
    roots = [Path(d) for engine in engines.all() for d in getattr(engine, "engine", engine).dirs]
    roots += [Path(d) for d in get_app_template_dirs("templates")] + [Path(d) for d in settings.LOCALE_PATHS]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".txt", ".xml", ".mo") and path.is_file():
                digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _page_key(request):
    # The whole address: a response may name its host (Open311's Link header).
    path = request.build_absolute_uri().encode()
    return f"pagecache:{release()}:{translation.get_language()}:{hashlib.sha256(path).hexdigest()}"


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not getattr(response, "cacheable", True):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _served(request, entry):
    _stamps, content, headers = entry
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content, headers=headers)
    patch_vary_headers(response, ("Cookie",))  # the language cookie and the session decide the page
    return response


def _store(request, response, key, stamps, timeout):
    content = response.content
    if "CSRF_COOKIE" in request.META:  # the page used this visitor's token: keep a placeholder
        content = _TOKEN_INPUT.sub(rb"\g<1>" + CSRF_PLACEHOLDER.encode() + rb"\g<2>", content)
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    entry = (stamps, content, headers)
    cache.set(key, entry, db.cache_seconds(timeout))  # shorter when rendered from a replica (it may have raced the lag)
    _keep_locally(key, entry)


def _keep_locally(key, entry):
    seconds = settings.PUBLIC_PAGE_CACHE_LOCAL_SECONDS
    if seconds > 0:
        local.set(key, entry, seconds)


def cache_public_response(stamps=None, *, timeout=PAGE_TIMEOUT, allow_query=False, anonymous_only=True):
    """Decorate a view whose anonymous response is the same for everyone (see the module doc).

    ``stamps(request, *args, **kwargs)``: the keys of the stamps the response depends on besides
    the registered public ones (``register_public_stamp``)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _eligible(request, allow_query, anonymous_only):
                return view(request, *args, **kwargs)
            key = _page_key(request)
            recent = local.get(key)
            if recent is not None:
                return _served(request, recent)
            stamp_keys = public_stamps() + list(stamps(request, *args, **kwargs) if stamps else [])
            found = shared.read_stamps(stamp_keys, plain=[key])
            if shared.is_down():  # the stamps are not kept during an outage: render, store nothing
                return view(request, *args, **kwargs)
            current = tuple(found[stamp_key] for stamp_key in stamp_keys)
            entry = found.get(key)
            if entry is not None and entry[0] == current:
                _keep_locally(key, entry)
                return _served(request, entry)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                try:
                    _store(request, response, key, current, timeout)
                except Exception:
                    logger.warning("could not cache %s", request.path, exc_info=True)
            return response

        return wrapper

    return decorator
