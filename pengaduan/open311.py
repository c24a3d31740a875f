"""Open311 GeoReport v2 for complaints (plain Django views, JSON and XML).

Spec: http://wiki.open311.org/GeoReport_v2 ; our description: docs/open311.yaml.
Submissions through the API are anonymous: personal fields of the spec (email, first_name,
last_name, phone, device_id, account_id) are accepted and ignored, never stored. Public answers
omit the content (description, address, coordinates) of confidential, unverified and rejected
complaints, and never carry the reporter's identity.
"""

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kupang_portal.organization.models import Kelurahan

from . import selectors, services
from .forms import DESCRIPTION_MAX, check_coordinates
from .models import ApiKey, Category, Channel, Complaint, Kind, Status

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-29T00:00:00+08:00"
MAX_RESULTS = 1000
DEFAULT_WINDOW_DAYS = 90
XML_ITEM_TAGS = {
    "endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value",
    "services": "service", "service_requests": "request", "errors": "error", "keywords": "keyword",
}
OPENAPI_PATH = Path(settings.BASE_DIR) / "docs" / "open311.yaml"


class ApiError(Exception):
    def __init__(self, status, *messages):
        self.status = status
        self.messages = [str(m) for m in messages] or [str(_("Permintaan tidak valid."))]
        super().__init__("; ".join(self.messages))


# --- rendering -----------------------------------------------------------------------------------

def _xml_value(parent, key, value):
    element = ET.SubElement(parent, key)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(element, k, v)
    elif isinstance(value, list):
        item_tag = XML_ITEM_TAGS.get(key, "item")
        for item in value:
            _xml_value(element, item_tag, item)
    elif value is None:
        pass
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
    return element


def to_xml(root, data):
    """Open311 XML: a list becomes <root><item_tag>…</item_tag></root>, a dict <root>…</root>."""
    element = ET.Element(root)
    if isinstance(data, list):
        for item in data:
            _xml_value(element, XML_ITEM_TAGS.get(root, "item"), item)
    else:
        for key, value in data.items():
            _xml_value(element, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def render(data, fmt, root, status=200):
    if fmt == "xml":
        return HttpResponse(to_xml(root, data), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error_response(fmt, status, messages):
    return render([{"code": status, "description": m} for m in messages], fmt, "errors", status=status)


def api_view(methods=("GET",)):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, fmt="json", **kwargs):
            if request.method not in methods:
                response = error_response(fmt, 405, [_("Metode %(m)s tidak didukung di sini.") % {"m": request.method}])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except ApiError as exc:
                return error_response(fmt, exc.status, exc.messages)

        return csrf_exempt(wrapper)

    return decorator


def iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- representation -------------------------------------------------------------------------------

def service_json(category):
    return {
        "service_code": category.service_code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": category.description,
        "group": category.group,
    }


def open311_status(complaint):
    return "open" if complaint.status in Complaint.open_states else "closed"


def request_json(complaint):
    office = complaint.routed_office
    notes = complaint.get_status_display()
    if complaint.status == Status.REJECTED and complaint.reject_reason:
        notes = f"{notes}: {complaint.get_reject_reason_display()}"
    data = {
        "service_request_id": complaint.number,
        "status": open311_status(complaint),
        "status_notes": notes,
        "service_name": complaint.category.name,
        "service_code": complaint.category.service_code,
        "agency_responsible": office.name if office else "",
        "service_notice": "",
        "requested_datetime": iso(complaint.created_at),
        "updated_datetime": iso(complaint.updated_at),
        "expected_datetime": iso(complaint.deadline) if complaint.status in Complaint.open_states else None,
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }
    if selectors.public_content_visible(complaint):
        location = [complaint.address, complaint.kelurahan.name if complaint.kelurahan_id else ""]
        data["description"] = complaint.description
        data["address"] = ", ".join(p for p in location if p)
        data["lat"] = float(complaint.latitude) if complaint.latitude is not None else None
        data["long"] = float(complaint.longitude) if complaint.longitude is not None else None
    return data


# --- views ------------------------------------------------------------------------------------

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


@api_view()
def service_definition(request, code, fmt):
    category = Category.objects.filter(service_code=code, is_active=True).first()
    if category is None:
        raise ApiError(404, _("service_code “%(code)s” tidak dikenal.") % {"code": code})
    kelurahan = Kelurahan.objects.select_related("kecamatan").order_by("kecamatan__code", "name")
    return render({
        "service_code": category.service_code,
        "attributes": [
            {
                "variable": True, "code": "kelurahan", "datatype": "singlevaluelist", "required": False,
                "datatype_description": str(_("Kode kelurahan di Kota Kupang (wajib bila lat/long dan address_string kosong).")),
                "order": 1, "description": str(_("Kelurahan lokasi kejadian")),
                "values": [{"key": k.code, "name": f"{k.name}, {k.kecamatan.name}"} for k in kelurahan],
            },
            {
                "variable": True, "code": "kind", "datatype": "singlevaluelist", "required": False,
                "datatype_description": str(_("Jenis laporan SP4N-LAPOR!; bawaan: pengaduan.")),
                "order": 2, "description": str(_("Jenis laporan")),
                "values": [{"key": k.value, "name": str(k.label)} for k in Kind],
            },
        ],
    }, fmt, "service_definition")


@api_view(methods=("GET", "POST"))
def requests_view(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    return list_requests(request, fmt)


def _parse_when(value, name, end=False):
    value = value.strip()
    try:
        parsed = parse_datetime(value.replace(" ", "+")) if "T" in value else None
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            raise ApiError(400, _("%(name)s harus tanggal/waktu ISO 8601, misalnya 2026-11-01T00:00:00+08:00.") % {"name": name})
        parsed = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def list_requests(request, fmt):
    params = request.GET
    qs = Complaint.objects.select_related("category", "office", "proposed_office", "kelurahan").order_by("-created_at")
    ids = [i.strip().upper() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        if len(ids) > 100:
            raise ApiError(400, _("Paling banyak 100 service_request_id per permintaan."))
        return render([request_json(c) for c in qs.filter(number__in=ids)], fmt, "service_requests")
    if params.get("service_code"):
        codes = [c.strip() for c in params["service_code"].split(",") if c.strip()]
        known = dict(Category.objects.filter(service_code__in=codes).values_list("service_code", "pk"))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ApiError(400, _("service_code tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)})
        # Category ids, not a join: the (category, -created_at) indexes serve the filter.
        qs = qs.filter(category_id__in=list(known.values()))
    if params.get("status"):
        wanted = {s.strip().lower() for s in params["status"].split(",") if s.strip()}
        if not wanted <= {"open", "closed"}:
            raise ApiError(400, _("status harus “open” atau “closed”."))
        # is_open is the engine's stored "status in open_states"; the partial indexes on open
        # complaints (by created_at, per category) serve it.
        if wanted == {"open"}:
            qs = qs.filter(is_open=True)
        elif wanted == {"closed"}:
            qs = qs.filter(is_open=False)
    start = _parse_when(params["start_date"], "start_date") if params.get("start_date") else None
    end = _parse_when(params["end_date"], "end_date", end=True) if params.get("end_date") else None
    if start and end and start > end:
        raise ApiError(400, _("start_date harus sebelum end_date."))
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    return render([request_json(c) for c in qs[:MAX_RESULTS]], fmt, "service_requests")


def _decimal(value, name, problems):
    try:
        number = Decimal(value.strip())
        if not number.is_finite():
            raise InvalidOperation
        return number.quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        problems.append(_("%(name)s harus berupa angka desimal.") % {"name": name})
        return None


def create_request(request, fmt):
    data = request.POST
    api_key = ApiKey.lookup(data.get("api_key", ""))
    if not data.get("api_key"):
        raise ApiError(403, _("api_key wajib disertakan."))
    if api_key is None:
        raise ApiError(403, _("api_key tidak valid atau tidak aktif."))
    problems = []
    code = (data.get("service_code") or "").strip()
    category = Category.objects.filter(service_code=code, is_active=True).first() if code else None
    if not code:
        problems.append(_("service_code wajib diisi."))
    elif category is None:
        problems.append(_("service_code “%(code)s” tidak dikenal.") % {"code": code[:40]})
    description = (data.get("description") or "").strip()
    if not description:
        problems.append(_("description wajib diisi."))
    elif len(description) > DESCRIPTION_MAX:
        problems.append(_("description terlalu panjang: %(n)s karakter, paling banyak %(max)s.") % {"n": len(description), "max": DESCRIPTION_MAX})
    lat = _decimal(data["lat"], "lat", problems) if data.get("lat", "").strip() else None
    lon = _decimal(data["long"], "long", problems) if data.get("long", "").strip() else None
    if not problems:
        problems.extend(str(message) for _field, message in check_coordinates(lat, lon))
    address = (data.get("address_string") or "").strip()
    if len(address) > 255:
        problems.append(_("address_string paling banyak 255 karakter."))
    kelurahan = None
    kelurahan_code = (data.get("attribute[kelurahan]") or "").strip()
    if kelurahan_code:
        kelurahan = Kelurahan.objects.select_related("kecamatan").filter(code=kelurahan_code).first()
        if kelurahan is None:
            problems.append(_("attribute[kelurahan] “%(code)s” bukan kelurahan di Kota Kupang.") % {"code": kelurahan_code[:20]})
    if lat is None and not address and not kelurahan_code:
        problems.append(_("Lokasi wajib: isi lat dan long, address_string, atau attribute[kelurahan]."))
    kind = (data.get("attribute[kind]") or Kind.COMPLAINT).strip()
    if kind not in Kind.values:
        problems.append(_("attribute[kind] harus salah satu dari: %(kinds)s.") % {"kinds": ", ".join(Kind.values)})
    if problems:
        raise ApiError(400, *problems)
    title = description.splitlines()[0][:100] if description else category.name
    try:
        result = services.submit_complaint(
            category=category, title=title, description=description, kind=kind, reporter=None, anonymous=True,
            kelurahan=kelurahan, address=address, latitude=lat, longitude=lon, channel=Channel.OPEN311,
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
    complaint = selectors.find_by_number(request_id)
    if complaint is None:
        raise ApiError(404, _("service_request_id %(id)s tidak ditemukan.") % {"id": request_id[:40]})
    return render([request_json(complaint)], fmt, "service_requests")


def openapi(request):
    try:
        text = OPENAPI_PATH.read_text(encoding="utf-8")
    except OSError:
        return error_response("json", 404, [_("Deskripsi OpenAPI tidak tersedia.")])
    return HttpResponse(text, content_type="application/yaml; charset=utf-8")


def not_found(request, rest=""):
    fmt = "xml" if rest.endswith(".xml") else "json"
    return error_response(fmt, 404, [_("Endpoint Open311 tidak ditemukan. Lihat discovery.json.")])
