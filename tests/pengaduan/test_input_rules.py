"""Issue 12, items 10 and 11 on the web complaint form: control characters stripped (the XML of
Open311 stays valid), the incident date inside the SP4N-LAPOR! window."""

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from pengaduan import services
from pengaduan.forms import check_incident_date
from pengaduan.models import Complaint

from .test_views import URL, form_data

pytestmark = pytest.mark.django_db


def days_ago(n):
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


def test_control_characters_from_the_form_are_stripped_and_xml_stays_valid(client, verifier):
    response = client.post(URL, form_data(title="Sampah\x0b menumpuk", description="Sampah\x0b di depan\x01 pasar.\r\nSudah\t3 hari.",
                                          address="Depan\x0b Pasar\x01 Oeba"))
    assert response.status_code == 302  # redirect-after-POST to the receipt (journeys issue, point 2)
    complaint = Complaint.objects.get()
    assert complaint.title == "Sampah menumpuk"
    assert complaint.description == "Sampah di depan pasar.\r\nSudah\t3 hari."
    assert complaint.address == "Depan Pasar Oeba"
    services.dispose(complaint, verifier)  # verified: the content becomes public
    for url in ("/api/open311/v2/requests.xml", f"/api/open311/v2/requests/{complaint.number}.xml"):
        root = ET.fromstring(client.get(url).content)
        assert root.find("request/description").text == "Sampah di depan pasar.\nSudah\t3 hari."  # XML normalises CR LF
        assert root.find("request/address").text.startswith("Depan Pasar Oeba")


def test_description_of_only_control_characters_is_required(client):
    response = client.post(URL, form_data(description="\x01\x0b\x02"))
    assert "Uraian wajib diisi." in response.content.decode() and not Complaint.objects.exists()


@pytest.mark.parametrize("incident_date,late_reason,message", [
    ("0001-01-01", "", "Tanggal kejadian terlalu lama: paling lama 365 hari yang lalu."),
    ("0001-01-01", "Baru tahu sekarang", "Tanggal kejadian terlalu lama"),
    (days_ago(366), "Baru tahu sekarang", "Tanggal kejadian terlalu lama"),
    (days_ago(31), "", "Kejadian lebih dari 30 hari yang lalu: tuliskan alasan baru melapor sekarang."),
    (days_ago(31), " \x0b ", "tuliskan alasan baru melapor"),
    (days_ago(-1), "", "Tanggal kejadian tidak boleh di masa depan."),
])
def test_incident_date_outside_the_window_is_refused(client, incident_date, late_reason, message):
    response = client.post(URL, form_data(incident_date=incident_date, late_reason=late_reason))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Complaint.objects.exists()


def test_incident_within_30_days_needs_no_reason(client):
    client.post(URL, form_data(incident_date=days_ago(30)))
    assert Complaint.objects.get().incident_date == timezone.localdate() - dt.timedelta(days=30)


def test_older_incident_with_a_reason_is_accepted_and_the_reason_recorded(client, reporter):
    client.force_login(reporter)
    client.post(URL, form_data(privacy="terbuka", incident_date=days_ago(45), late_reason="Saya baru kembali dari Rote."))
    complaint = Complaint.objects.get()
    assert complaint.incident_date == timezone.localdate() - dt.timedelta(days=45)
    submit = complaint.history().get(transition="submit")
    assert submit.note == "Alasan baru melapor: Saya baru kembali dari Rote."
    assert "Saya baru kembali dari Rote." in client.get(f"/pengaduan/{complaint.number}/").content.decode()  # the reporter sees it
    assert "Saya baru kembali dari Rote." not in client.get(f"/lacak/?nomor={complaint.number}").content.decode()  # the public not


def test_window_is_configurable(settings):
    today = dt.date(2026, 11, 30)
    settings.PENGADUAN_INCIDENT_REPORT_DAYS = 10
    settings.PENGADUAN_INCIDENT_MAX_AGE_DAYS = 20
    assert check_incident_date(dt.date(2026, 11, 20), today=today) == []
    assert [f for f, _m in check_incident_date(dt.date(2026, 11, 19), today=today)] == ["late_reason"]
    assert check_incident_date(dt.date(2026, 11, 10), "alasan", today=today) == []
    assert [f for f, _m in check_incident_date(dt.date(2026, 11, 9), "alasan", today=today)] == ["incident_date"]
    assert [f for f, _m in check_incident_date(dt.date(2026, 12, 1), today=today)] == ["incident_date"]
