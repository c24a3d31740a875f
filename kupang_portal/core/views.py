from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import tracking


def home(request):
    return render(request, "core/home.html")


@require_GET
def track(request, number=None):
    number = (number or request.GET.get("nomor", "")).strip()[:40]
    code = request.GET.get("kode", "").strip()[:40]
    result = tracking.find(number, code) if number else None
    return render(
        request,
        "core/track.html",
        {"number": number, "code": code, "result": result, "searched": bool(number),
         "detail_url": tracking.detail_link_for(result, request.user)},
    )

