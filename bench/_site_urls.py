"""The portal's URLs plus the floors the benchmarks compare against (bench/perf.py)."""

import uuid

from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from kupang_portal.urls import urlpatterns as portal_urlpatterns
from kupang_portal.workflow.models import NumberSequence

_FLOOR = engines["django"].from_string(
    "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><p>{{ text }}</p></body></html>"
)


def page_floor(request):
    """A bare template page: the full middleware stack, one small template, no query."""
    return HttpResponse(_FLOOR.render({"title": "Kupang", "text": "Halaman dasar."}, request))


@csrf_exempt
def upload_floor(request):
    """Receives the same multipart body as a submit, stores its files and one row."""
    for uploaded in request.FILES.values():
        default_storage.save(f"bench-floor/{uuid.uuid4().hex}.pdf", uploaded)
    NumberSequence.objects.create(key=f"bench-{uuid.uuid4().hex[:30]}")
    return HttpResponse("ok", status=201)


urlpatterns = [
    path("_bench/page/", page_floor),
    path("_bench/upload/", upload_floor),
    path("", include(portal_urlpatterns)),
]
