"""Open311 endpoints. Thin: input in ``forms``, reads in ``selectors``, output in ``serializers``,
writes in ``pengaduan.services``."""

import functools
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kupang_portal.core.middleware import handles_bad_input
from kupang_portal.core.pagecache import cache_public_response
from kupang_portal.organization.models import Kelurahan

from .. import services
from ..models import ApiKey, Category, Channel, Kind
from . import caching, selectors
from .forms import RequestCreateForm, RequestListForm, errors_as_messages
from .serializers import error_response, render, request_json, service_json

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-29T00:00:00+08:00"
OPENAPI_PATH = Path(settings.BASE_DIR) / "docs" / "open311.yaml"


class ApiError(Exception):
    def __init__(self, status, *messages):
        self.status = status
        self.messages = [str(m) for m in messages] or [str(_("Permintaan tidak valid."))]
        super().__init__("; ".join(self.messages))


def bad_input_error():
    return ApiError(400, _("Permintaan memuat karakter yang tidak diizinkan (NUL)."))


def api_view(methods=("GET",)):
    """Method check, Open311 error format for ``ApiError`` and for requests carrying a NUL byte
    (``kupang_portal.core.middleware.NulByteMiddleware`` leaves those to us)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, fmt="json", **kwargs):
            if request.method not in methods:
                response = error_response(fmt, 405, [_("Metode %(m)s tidak didukung di sini.") % {"m": request.method}])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if getattr(request, "has_nul_input", False):
                    raise bad_input_error()
                return view(request, *args, fmt=fmt, **kwargs)
            except ApiError as exc:
                return error_response(fmt, exc.status, exc.messages)

        return handles_bad_input(csrf_exempt(wrapper))

    return decorator


@api_view()
def discovery(request, fmt):
    base = request.build_absolute_uri("/api/open311/v2/")
    return render({
        "changeset": CHANGESET,
        "contact": str(_("Bagian Organisasi Setda Kota Kupang (pengelola SP4N-LAPOR!)")),
        "key_service": str(_("Kunci API diberikan oleh Bagian Organisasi / Diskominfo Kota Kupang.")),
        "endpoints": [{
            "specification": SPEC_URL,
            "url": base,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    }, fmt, "discovery")


@api_view()
def services_list(request, fmt):
    return render([service_json(c) for c in Category.objects.filter(is_active=True)], fmt, "services")


def _attribute(code, order, description, datatype_description, values=None, datatype="singlevaluelist"):
    return {"variable": True, "code": code, "datatype": datatype, "required": False,
            "datatype_description": str(datatype_description), "order": order, "description": str(description),
            **({"values": values} if values is not None else {})}


@api_view()
def service_definition(request, code, fmt):
    category = Category.objects.filter(service_code=code, is_active=True).first()
    if category is None:
        raise ApiError(404, _("service_code “%(code)s” tidak dikenal.") % {"code": code[:40]})
    kelurahan = Kelurahan.objects.select_related("kecamatan").order_by("kecamatan__code", "name")
    return render({
        "service_code": category.service_code,
        "attributes": [
            _attribute("kelurahan", 1, _("Kelurahan lokasi kejadian"),
                       _("Kode kelurahan di Kota Kupang (wajib bila lat/long dan address_string kosong)."),
                       [{"key": k.code, "name": f"{k.name}, {k.kecamatan.name}"} for k in kelurahan]),
            _attribute("kind", 2, _("Jenis laporan"), _("Jenis laporan SP4N-LAPOR!; bawaan: pengaduan."),
                       [{"key": k.value, "name": str(k.label)} for k in Kind]),
            _attribute("incident_date", 3, _("Tanggal kejadian"),
                       _("YYYY-MM-DD; tidak di masa depan; lebih dari 30 hari yang lalu hanya dengan attribute[late_reason]."),
                       datatype="datetime"),
            _attribute("late_reason", 4, _("Alasan baru melapor"),
                       _("Wajib bila kejadian lebih dari 30 hari yang lalu."), datatype="text"),
        ],
    }, fmt, "service_definition")


@api_view(methods=("GET", "POST"))
def requests_view(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    return list_requests(request, fmt)


def _next_link(request, page):
    query = request.GET.copy()
    query["page"] = page
    return f'<{request.build_absolute_uri(request.path)}?{urlencode(query, doseq=True)}>; rel="next"'


# The same for every client (no personal data, no session): cached per query string and
# language until a complaint changes, at most LIST_TIMEOUT seconds (open311/caching.py).
@cache_public_response(caching.list_stamps, timeout=caching.LIST_TIMEOUT, allow_query=True, anonymous_only=False)
def list_requests(request, fmt):
    form = RequestListForm(request.GET)
    if not form.is_valid():
        raise ApiError(400, *errors_as_messages(form))
    data = form.cleaned_data
    if data["service_request_id"]:  # a lookup by number: at most 100, the other filters ignored
        found = selectors.by_numbers(data["service_request_id"])
        response = render([request_json(c) for c in found], fmt, "service_requests")
        # Like /lacak/: numbers that do not exist (random ones) must not fill the cache.
        response.cacheable = _only_known_parameters(request, form) and len(found) == len(set(data["service_request_id"]))
        return response
    queryset = selectors.filtered(codes=data["service_code"], status=data["status"], start=data["start_date"], end=data["end_date"])
    rows, has_next = selectors.page_of(queryset, data["page"], data["page_size"])
    response = render([request_json(c) for c in rows], fmt, "service_requests")
    if has_next:
        response["Link"] = _next_link(request, data["page"] + 1)
    response.cacheable = _only_known_parameters(request, form)
    return response


def _only_known_parameters(request, form):
    """The page cache keys the list on its query string: a parameter the API does not define, or
    one given twice, must not add a copy per value (anyone could fill the shared cache)."""
    return all(name in form.fields and len(values) == 1 for name, values in request.GET.lists())


def _api_key(params):
    if not params.get("api_key"):
        raise ApiError(403, _("api_key wajib disertakan."))
    api_key = ApiKey.lookup(params["api_key"])
    if api_key is None:
        raise ApiError(403, _("api_key tidak valid atau tidak aktif."))
    return api_key


def create_request(request, fmt):
    api_key = _api_key(request.POST)
    form = RequestCreateForm.from_params(request.POST)
    if not form.is_valid():
        raise ApiError(400, *errors_as_messages(form))
    try:
        result = services.submit_complaint(
            **form.submission(), reporter=None, anonymous=True, channel=Channel.OPEN311,
            api_key=api_key,  # a partner's server sends for many residents: limited per key, not per IP
        )
    except services.FloodLimited as exc:
        raise ApiError(429, exc.message) from exc
    except ValidationError as exc:
        raise ApiError(400, *exc.messages) from exc
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    notice = _("Pengaduan diterima dan diverifikasi paling lambat 3 hari kerja. Kode rahasia pelapor: %(code)s "
               "(untuk /lacak/; tampil sekali).") % {"code": result.code}
    return render([{"service_request_id": result.complaint.number, "service_notice": notice, "account_id": None}],
                  fmt, "service_requests", status=201)


@api_view()
def request_detail(request, request_id, fmt):
    row = selectors.by_number(request_id)
    if row is None:
        raise ApiError(404, _("service_request_id %(id)s tidak ditemukan.") % {"id": request_id[:40]})
    return render([request_json(row)], fmt, "service_requests")


@handles_bad_input
def openapi(request):
    try:
        text = OPENAPI_PATH.read_text(encoding="utf-8")
    except OSError:
        return error_response("json", 404, [_("Deskripsi OpenAPI tidak tersedia.")])
    return HttpResponse(text, content_type="application/yaml; charset=utf-8")


@handles_bad_input
def not_found(request, rest=""):
    fmt = "xml" if rest.endswith(".xml") else "json"
    if getattr(request, "has_nul_input", False):
        return error_response(fmt, 400, bad_input_error().messages)
    return error_response(fmt, 404, [_("Endpoint Open311 tidak ditemukan. Lihat discovery.json.")])
