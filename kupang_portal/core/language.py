"""The language switch in every page's footer.

It is a GET form (``core:language``), so a public page carries no per-visitor CSRF token and can be
cached whole for anonymous visitors (``core.pagecache``). Switching still only happens for a
request the portal's own page made: a browser says so with ``Sec-Fetch-Site`` (``same-origin``, or
``none`` for an address typed or bookmarked), an older one with a same-origin ``Referer`` (the
portal sends its Referer to itself: ``SECURE_REFERRER_POLICY = "same-origin"``). Anything else
(another site's link or image, a browser that sends neither header) gets a confirmation page whose
button POSTs to Django's ``set_language`` with a CSRF token, so no other site can switch a
visitor's language behind their back. Only the language cookie changes, exactly as
``set_language`` sets it; the account's preferred language is left alone.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# The confirmation page's own footer points back at the switch (next=/bahasa/?language=en&…).
MAX_UNWRAP = 3


def available(code):
    return code in dict(settings.LANGUAGES)


def _same_origin_url(request, url):
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure())


def from_own_page(request):
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    return _same_origin_url(request, request.headers.get("Referer"))


def safe_next(request, url):
    """``url`` when it stays on this site, else the home page. Never the switch itself: a page of
    the switch (the confirmation, an unknown language) has the footer's next pointing back at it,
    and following that would switch again to the language the other site asked for, unconfirmed.
    Such a target is replaced by its own ``next``."""
    for _ in range(MAX_UNWRAP):
        if not _same_origin_url(request, url):
            return "/"
        parts = urlsplit(url)
        if parts.path != reverse("core:language"):
            return url
        url = QueryDict(parts.query).get("next", "")
    return "/"


def set_cookie(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
