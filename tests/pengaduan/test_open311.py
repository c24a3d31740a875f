import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from pengaduan import services
from pengaduan.demo import DEMO_API_KEY
from pengaduan.models import ApiKey, Channel, Complaint, Status

from .conftest import file_complaint

pytestmark = pytest.mark.django_db
BASE = "/api/open311/v2"


@pytest.fixture
def api_key(db):
    key = ApiKey(name="Uji")
    key.set_key(DEMO_API_KEY)
    key.save()
    return key


def post(client, **data):
    return client.post(f"{BASE}/requests.json", data)


def good(**overrides):
    data = {"api_key": DEMO_API_KEY, "service_code": "sampah", "description": "Sampah menumpuk di Jl. Timor Raya",
            "lat": "-10.1600", "long": "123.6100", "first_name": "Rahasia", "email": "rahasia@example.id"}
    data.update(overrides)
    return data


def assert_error(response, status):
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and body and all(set(e) == {"code", "description"} and e["code"] == status for e in body)
    return body


def test_discovery_json_and_xml(client):
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "text/xml" in data["endpoints"][0]["formats"]
    root = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert root.tag == "discovery" and root.find("endpoints/endpoint/specification") is not None


def test_services_and_definition(client):
    services_ = client.get(f"{BASE}/services.json").json()
    codes = {s["service_code"] for s in services_}
    assert {"sampah", "jalan-rusak", "pungli", "air-bersih"} <= codes
    assert all(s["type"] == "realtime" and s["metadata"] is True for s in services_)
    root = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert root.tag == "services" and len(root.findall("service")) == len(services_)
    definition = client.get(f"{BASE}/services/sampah.json").json()
    kel = next(a for a in definition["attributes"] if a["code"] == "kelurahan")
    assert len(kel["values"]) == 51
    assert_error(client.get(f"{BASE}/services/tidak-ada.json"), 404)


def test_post_requires_a_valid_key(client, api_key):
    assert_error(post(client, **good(api_key="")), 403)
    assert_error(post(client, **good(api_key="salah")), 403)
    api_key.is_active = False
    api_key.save()
    assert_error(post(client, **good()), 403)
    assert not Complaint.objects.exists()


def test_post_creates_an_anonymous_complaint(client, api_key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, **good())
    assert response.status_code == 201
    body = response.json()
    number = body[0]["service_request_id"]
    complaint = Complaint.objects.get(number=number)
    assert complaint.reporter_id is None and complaint.is_anonymous and complaint.channel == Channel.OPEN311
    assert complaint.proposed_office.code == "DLHK"
    code = body[0]["service_notice"].split("pelapor: ")[1].split(" ")[0]
    assert complaint.check_tracking_code(code)
    assert "Rahasia" not in str(Complaint.objects.filter(pk=complaint.pk).values().get())
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


@pytest.mark.parametrize("overrides,fragment", [
    ({"service_code": "tidak-ada"}, "service_code “tidak-ada” tidak dikenal"),
    ({"service_code": ""}, "service_code wajib diisi"),
    ({"description": ""}, "description wajib diisi"),
    ({"description": "x" * 20000}, "description terlalu panjang"),
    ({"lat": "", "long": ""}, "Lokasi wajib"),
    ({"lat": "95", "long": "123.6"}, "Lintang harus di antara -90 dan 90"),
    ({"lat": "-6.2", "long": "106.8"}, "di luar wilayah Kota Kupang"),
    ({"lat": "abc"}, "lat harus berupa angka"),
    ({"lat": "NaN"}, "lat harus berupa angka"),
    ({"attribute[kelurahan]": "99.99.99.9999"}, "bukan kelurahan di Kota Kupang"),
    ({"attribute[kind]": "gosip"}, "attribute[kind]"),
])
def test_post_bad_input_is_400_in_error_format(client, api_key, overrides, fragment):
    errors = assert_error(post(client, **good(**overrides)), 400)
    assert any(fragment in e["description"] for e in errors), errors
    assert not Complaint.objects.exists()


def test_post_location_by_kelurahan_or_address(client, api_key):
    assert post(client, **good(lat="", long="", **{"attribute[kelurahan]": "53.71.02.1001"})).status_code == 201
    assert post(client, **good(lat="", long="", address_string="Jl. El Tari")).status_code == 201
    assert Complaint.objects.filter(kelurahan__code="53.71.02.1001").count() == 1


def test_post_xml_answer_and_errors(client, api_key):
    response = client.post(f"{BASE}/requests.xml", good())
    root = ET.fromstring(response.content)
    assert response.status_code == 201 and root.tag == "service_requests" and root.find("request/service_request_id").text
    bad = client.post(f"{BASE}/requests.xml", good(service_code="zzz"))
    root = ET.fromstring(bad.content)
    assert bad.status_code == 400 and root.tag == "errors" and root.find("error/code").text == "400"


def test_post_flood_limit_per_key(client, api_key, settings):
    settings.PENGADUAN_MAX_PER_API_KEY_PER_HOUR = 1
    assert post(client, **good()).status_code == 201
    assert_error(post(client, **good()), 429)


def test_get_requests_and_filters(client, reporter, verifier, dlhk_clerk):
    open_one = file_complaint(reporter, description="Terbuka untuk publik").complaint
    services.dispose(open_one, verifier)
    road = file_complaint(reporter, code="jalan-rusak").complaint
    closed = file_complaint(reporter).complaint
    services.dispose(closed, verifier)
    services.respond(closed, dlhk_clerk, "ok")
    services.reporter_close(closed, user=reporter)
    rows = client.get(f"{BASE}/requests.json").json()
    by_id = {r["service_request_id"]: r for r in rows}
    assert set(by_id) == {open_one.number, road.number, closed.number}
    row = by_id[open_one.number]
    assert row["status"] == "open" and row["agency_responsible"].startswith("Dinas Lingkungan Hidup")
    assert row["description"] == "Terbuka untuk publik" and row["expected_datetime"]
    assert "description" not in by_id[road.number]  # not verified yet
    assert by_id[road.number]["agency_responsible"].startswith("Dinas Pekerjaan Umum")  # the routed proposal
    assert by_id[closed.number]["status"] == "closed" and by_id[closed.number]["expected_datetime"] is None
    ids = lambda r: {x["service_request_id"] for x in r.json()}  # noqa: E731
    assert ids(client.get(f"{BASE}/requests.json?service_code=jalan-rusak")) == {road.number}
    assert ids(client.get(f"{BASE}/requests.json?status=closed")) == {closed.number}
    assert ids(client.get(f"{BASE}/requests.json?status=open")) == {open_one.number, road.number}
    assert ids(client.get(f"{BASE}/requests.json?service_request_id={road.number},{closed.number}")) == {road.number, closed.number}
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert ids(client.get(f"{BASE}/requests.json?start_date={tomorrow}")) == set()
    assert len(ids(client.get(f"{BASE}/requests.json?end_date={tomorrow}T00:00:00+08:00"))) == 3
    assert_error(client.get(f"{BASE}/requests.json?start_date=kemarin"), 400)
    assert_error(client.get(f"{BASE}/requests.json?start_date=2026-13-45T00:00:00"), 400)
    assert_error(client.get(f"{BASE}/requests.json?status=pending"), 400)
    assert_error(client.get(f"{BASE}/requests.json?service_code=zzz"), 400)
    root = ET.fromstring(client.get(f"{BASE}/requests.xml").content)
    assert root.tag == "service_requests" and len(root.findall("request")) == 3


def test_single_request_and_not_found(client, reporter):
    complaint = file_complaint(reporter).complaint
    rows = client.get(f"{BASE}/requests/{complaint.number}.json").json()
    assert len(rows) == 1 and rows[0]["service_request_id"] == complaint.number and rows[0]["status"] == "open"
    assert_error(client.get(f"{BASE}/requests/ADU-2026-999999.json"), 404)
    assert_error(client.get(f"{BASE}/tidak/ada"), 404)
    assert_error(client.delete(f"{BASE}/requests.json"), 405)


def test_rejected_complaint_is_closed_without_content(client, reporter, verifier):
    complaint = file_complaint(reporter, description="Iklan obat kuat").complaint
    services.perform(complaint, "reject", verifier, note="spam", data={"reason": "spam"})
    row = client.get(f"{BASE}/requests/{complaint.number}.json").json()[0]
    assert row["status"] == "closed" and "description" not in row and "Spam" in row["status_notes"]
    assert Complaint.objects.get(pk=complaint.pk).status == Status.REJECTED


def test_openapi_description_is_served(client):
    response = client.get(f"{BASE}/openapi.yaml")
    text = response.content.decode()
    assert response.status_code == 200 and text.startswith("openapi: 3")
    for path in ("/discovery.{format}", "/services.{format}", "/services/{service_code}.{format}", "/requests.{format}",
                 "/requests/{service_request_id}.{format}"):
        assert f"  {path}:" in text
