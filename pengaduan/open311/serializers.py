"""Open311 representation: dicts for JSON, and XML that is always a well-formed document.

XML 1.0 cannot carry most control characters, even escaped; ElementTree writes them as they are
and the document becomes unreadable for every consumer. ``to_xml`` strips them from every text
(stored data written before input was cleaned, echoed parameters in error bodies) with the same
rule forms use (``kupang_portal.core.text``)."""

from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from kupang_portal.core.text import strip_control

from ..models import Complaint, RejectReason, Status
from ..selectors import PUBLIC_CONTENT_STATES

XML_ITEM_TAGS = {
    "endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value",
    "services": "service", "service_requests": "request", "errors": "error", "keywords": "keyword",
}


def _xml_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return strip_control(str(value))


def _xml_value(parent, key, value):
    element = ET.SubElement(parent, key)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(element, k, v)
    elif isinstance(value, list):
        item_tag = XML_ITEM_TAGS.get(key, "item")
        for item in value:
            _xml_value(element, item_tag, item)
    elif value is not None:
        element.text = _xml_text(value)
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
    return render([{"code": status, "description": str(m)} for m in messages], fmt, "errors", status=status)


def iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


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


def _label(enum, value):
    return str(enum(value).label) if value in enum.values else value


def request_json(row):
    """One service request from a row of ``selectors.base_queryset()`` (a dict of
    ``selectors.REQUEST_COLUMNS``): the office that has the request, as the tracking page says (the
    desk until its disposition, not the routing's proposal, which the desk may change); the content
    only for public (non-confidential, verified) complaints."""
    status = row["status"]
    is_open = status in Complaint.open_states
    notes = _label(Status, status)
    if status == Status.REJECTED and row["reject_reason"]:
        notes = f"{notes}: {_label(RejectReason, row['reject_reason'])}"
    data = {
        "service_request_id": row["number"],
        "status": "open" if is_open else "closed",
        "status_notes": notes,
        "service_name": row["category__name"],
        "service_code": row["category__service_code"],
        "agency_responsible": row["office__name"] or "",
        "service_notice": "",
        "requested_datetime": iso(row["created_at"]),
        "updated_datetime": iso(row["updated_at"]),
        "expected_datetime": iso(row["deadline"]) if is_open else None,
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }
    if not row["is_confidential"] and status in PUBLIC_CONTENT_STATES:
        location = [row["address"], row["kelurahan__name"] if row["kelurahan_id"] else ""]
        data.update({
            "description": row["description"],
            "address": ", ".join(p for p in location if p),
            "lat": float(row["latitude"]) if row["latitude"] is not None else None,
            "long": float(row["longitude"]) if row["longitude"] is not None else None,
        })
    return data
