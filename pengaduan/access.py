"""The anonymous reporter's way in: the secret code, checked once through the POST form of /lacak/
(never in a URL, never logged), with limited attempts per complaint number and per IP address;
a browser that gave the right code keeps the complaint open for a while, so the detail opens
directly and the reporter's actions need no second prompt.

Also the one-time receipt: the browser that filed an anonymous complaint may see its number and
code again for a short time (redirect-after-POST), and nobody else ever.

Both live in a signed cookie of that browser (``COOKIE``), never in the server's session: a
session row is stored in the database with the account of whoever is logged in, and would tie an
anonymous complaint (and its secret code, in clear) to that account. The signature (SECRET_KEY,
own salt) means only the portal writes it; the code inside never leaves the reporter's browser.
Views that change the state pass their response through ``save(request, response)``.
"""

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from kupang_portal.core import ratelimit

from . import app_settings, selectors
from .services import normalize_code

COOKIE = "kupang_pengaduan_anonim"
_SALT = "pengaduan.access.browser-state"
_STATE = "_pengaduan_browser_state"


@dataclass
class CodeCheck:
    ok: bool
    complaint: object = None
    message: str = ""  # for the visitor when not ok


def _number_key(number):
    return ratelimit.cache_key("pengaduan:code:number", number)


def _ip_key(ip):
    return ratelimit.cache_key("pengaduan:code:ip", ip)


def check_code(number, code, ip):
    """Check ``code`` for the anonymous complaint ``number``; count a failure against the number
    and the IP address. Returns None when ``number`` is not an anonymous complaint (another
    lookup may know it)."""
    complaint = selectors.find_by_number(number)
    if complaint is None or not complaint.is_anonymous:
        return None
    if ratelimit.reached(_number_key(complaint.number), app_settings.max_code_failures_per_number()) or ratelimit.reached(
        _ip_key(ip), app_settings.max_code_failures_per_ip()
    ):
        minutes = max(1, app_settings.code_lock_seconds() // 60)
        return CodeCheck(False, complaint, _("Terlalu banyak percobaan kode yang salah. Demi keamanan, coba lagi dalam %(n)s menit.")
                         % {"n": minutes})
    if not complaint.check_tracking_code(normalize_code(code)):
        ratelimit.hit(_number_key(complaint.number), app_settings.code_lock_seconds())
        ratelimit.hit(_ip_key(ip), app_settings.code_lock_seconds())
        return CodeCheck(False, complaint, _("Kode rahasia tidak cocok dengan nomor %(number)s. Periksa kembali kode yang Anda "
                                             "catat (huruf dan angka, misalnya ABCDE-23456).") % {"number": complaint.number})
    return CodeCheck(True, complaint)


def _state(request):
    """This browser's state {"receipt": {...}, "unlocked": {number: expiry}}, read once per request."""
    state = getattr(request, _STATE, None)
    if state is None:
        state = {"receipt": None, "unlocked": {}, "dirty": False}
        raw = request.COOKIES.get(COOKIE)
        if raw:
            try:
                data = signing.loads(raw, salt=_SALT, max_age=max(app_settings.unlock_seconds(), app_settings.receipt_seconds()))
            except signing.BadSignature:  # expired, tampered with or from another key: nothing
                data = {}
            now = time.time()
            receipt = data.get("receipt") if isinstance(data, dict) else None
            if isinstance(receipt, dict) and receipt.get("expires", 0) > now:
                state["receipt"] = receipt
            unlocked = data.get("unlocked") if isinstance(data, dict) else None
            if isinstance(unlocked, dict):
                state["unlocked"] = {k: v for k, v in unlocked.items() if isinstance(v, (int, float)) and v > now}
        setattr(request, _STATE, state)
    return state


def save(request, response):
    """Write this browser's state into ``response`` when the request changed it."""
    state = getattr(request, _STATE, None)
    if not state or not state["dirty"]:
        return response
    data = {key: state[key] for key in ("receipt", "unlocked") if state[key]}
    if not data:
        response.delete_cookie(COOKIE, samesite="Lax")
        return response
    expires = max(list(state["unlocked"].values()) + ([state["receipt"]["expires"]] if state["receipt"] else []))
    response.set_cookie(COOKIE, signing.dumps(data, salt=_SALT, compress=True), max_age=max(1, int(expires - time.time())),
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
    return response


def unlock(request, complaint):
    """Remember in this browser that it proved the code (for ``unlock_seconds``)."""
    state = _state(request)
    state["unlocked"][complaint.number] = time.time() + app_settings.unlock_seconds()
    state["dirty"] = True


def is_unlocked(request, complaint):
    return _state(request)["unlocked"].get(complaint.number, 0) > time.time()


def lock(request, complaint):
    state = _state(request)
    if state["unlocked"].pop(complaint.number, None) is not None:
        state["dirty"] = True


def remember_receipt(request, complaint, code):
    """Keep the new number and code in this browser only, for ``receipt_seconds``."""
    state = _state(request)
    state["receipt"] = {"number": complaint.number, "code": code, "expires": time.time() + app_settings.receipt_seconds()}
    state["dirty"] = True
    unlock(request, complaint)


def receipt(request, number):
    """The code of ``number`` if this browser filed it recently, else ''."""
    data = _state(request)["receipt"] or {}
    if data.get("number") != number:
        return ""
    return data.get("code", "")


def browser_id(request):
    """A random per-browser identifier for the anonymous flood limit, kept in the session (it
    survives the session key changing on unlock). Identifies a browser, never a person."""
    value = request.session.get("pengaduan_browser")
    if not value:
        value = request.session["pengaduan_browser"] = secrets.token_hex(16)
    return value


def tracking_code_check(request, number, code):
    """The /lacak/ form's code check for complaints (registered in ``PengaduanConfig.ready``)."""
    from django.urls import reverse

    from kupang_portal.core.tracking import CodeOutcome

    result = check_code(number, code, ratelimit.client_ip(request))
    if result is None:
        return None
    if not result.ok:
        return CodeOutcome(False, message=result.message)
    unlock(request, result.complaint)
    return CodeOutcome(True, url=reverse("pengaduan:anonymous", args=[result.complaint.number]),
                       on_response=lambda response: save(request, response))
