from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import language, tracking
from .forms import TrackForm
from .pagecache import cache_public_response


@cache_public_response()
def home(request):
    return render(request, "core/home.html")


@never_cache
@require_GET
def switch_language(request):
    """The footer's language switch (GET; see core/language.py for why and how it stays safe)."""
    code = request.GET.get("language", "")
    next_url = language.safe_next(request, request.GET.get("next", ""))
    if not language.available(code):
        return render(request, "core/language.html", {"unknown": code[:20], "next": next_url}, status=400)
    if not language.from_own_page(request):
        return render(request, "core/language.html", {"code": code, "next": next_url})
    return language.set_cookie(redirect(next_url), code)


def _tracking_stamps(request, number=None):
    return [tracking.stamp_key(number)] if number else []


@never_cache  # browsers and proxies: always ask again; the server keeps the anonymous page (pagecache)
@require_http_methods(["GET", "POST"])
@cache_public_response(_tracking_stamps)
def track(request, number=None):
    """Public status by number (GET, e.g. from a receipt's QR code); a secret code only by POST.

    A code in the query string is never used (it would sit in browser history and access logs)."""
    code_error = ""
    if request.method == "POST":
        form = TrackForm(request.POST)
        if not form.is_valid():
            return _track_page(request, form, "")
        number, code = form.cleaned_data["nomor"], form.cleaned_data["kode"]
        if not code:
            return redirect(f"{reverse('core:track')}?{urlencode({'nomor': number})}")
        outcome = tracking.check_code(request, number, code)
        if outcome is not None and outcome.ok:
            response = redirect(outcome.url)
            return outcome.on_response(response) if outcome.on_response else response
        if outcome is not None:
            code_error = outcome.message
        elif tracking.find(number) is not None:
            code_error = _("Nomor %(number)s tidak memakai kode rahasia. Kosongkan kode untuk melihat statusnya; "
                           "rinciannya terbuka setelah Anda masuk akun.") % {"number": number}
        # A fresh form: the code is never echoed back into the page.
        return _track_page(request, TrackForm(initial={"nomor": number}), number, code_error=code_error)
    number = (number or request.GET.get("nomor", "")).strip()[:40]
    if "kode" in request.GET:
        # An old link or a typed URL with the code: drop it from the address (and so from the
        # history) at once, unused, and ask for it in the form.
        messages.info(request, _("Demi keamanan, kode rahasia tidak dibaca dari alamat halaman. Masukkan kode di formulir."))
        query = request.GET.copy()
        del query["kode"]
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    return _track_page(request, TrackForm(initial={"nomor": number}), number)


def _track_page(request, form, number, code_error=""):
    result = tracking.find(number) if number else None
    response = render(
        request,
        "core/track.html",
        {"form": form, "number": number, "result": result, "searched": bool(number), "code_error": code_error,
         "detail_url": tracking.detail_link_for(result, request.user)},
    )
    # The page cache keeps the empty form and found cases: unknown numbers must not fill it.
    response.cacheable = result is not None or not number
    return response
