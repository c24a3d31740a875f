"""The anonymous reporter's way in: the secret code, checked once through the POST form of /lacak/
(never in a URL, never logged), with limited attempts per complaint number and per IP address;
a browser that gave the right code keeps the complaint open for a while (session), so the detail
opens directly and the reporter's actions need no second prompt.

Also the one-time receipt: the browser that filed an anonymous complaint may see its number and
code again for a short time (redirect-after-POST), and nobody else ever.
"""

import secrets
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kupang_portal.core import ratelimit

from . import app_settings, selectors
from .services import normalize_code

UNLOCKED_KEY = "pengaduan_unlocked"
RECEIPT_KEY = "pengaduan_receipt"


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


def unlock(request, complaint):
    """Remember in this browser's session that it proved the code (for ``unlock_seconds``)."""
    unlocked = {k: v for k, v in request.session.get(UNLOCKED_KEY, {}).items() if v > time.time()}
    unlocked[complaint.number] = time.time() + app_settings.unlock_seconds()
    request.session[UNLOCKED_KEY] = unlocked
    request.session.cycle_key()  # a session fixed by someone else does not gain the unlock


def is_unlocked(request, complaint):
    return request.session.get(UNLOCKED_KEY, {}).get(complaint.number, 0) > time.time()


def lock(request, complaint):
    unlocked = request.session.get(UNLOCKED_KEY, {})
    if unlocked.pop(complaint.number, None) is not None:
        request.session[UNLOCKED_KEY] = unlocked


def remember_receipt(request, complaint, code):
    """Keep the new number and code in this browser's session only, for ``receipt_seconds``."""
    request.session[RECEIPT_KEY] = {"number": complaint.number, "code": code,
                                    "expires": time.time() + app_settings.receipt_seconds()}
    unlock(request, complaint)


def receipt(request, number):
    """The code of ``number`` if this browser filed it recently, else ''."""
    data = request.session.get(RECEIPT_KEY) or {}
    if data.get("number") != number:
        return ""
    if data.get("expires", 0) <= time.time():
        request.session.pop(RECEIPT_KEY, None)
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
    return CodeOutcome(True, url=reverse("pengaduan:anonymous", args=[result.complaint.number]))
