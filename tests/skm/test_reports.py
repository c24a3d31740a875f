"""Publication and the role matrix of the SKM reports (/survei/hasil/...)."""

import datetime as dt

import pytest
from django.utils import timezone

from layanan.models import FollowUpAction, SkmReport
from layanan.skm import periods, selectors, services

from .conftest import PERIOD, answered, at, completed_application

pytestmark = pytest.mark.django_db

URL = "/survei/hasil/DISDUKCAPIL/2026-S1/"


def rtl(**extra):
    return {"unsur": "U9", "action": "Buka kanal pengaduan di loket", "responsible": "Sekretaris Dinas",
            "target_date": "2026-12-31", "status": "berjalan", "evidence": "SK tim pengaduan", **extra}


def test_draft_is_visible_only_to_the_office_head_and_pimpinan(client, fixture_answers, head, other_head, clerk, supervisor, resident):
    assert client.get(URL).status_code == 404
    assert client.get(URL + "pdf/").status_code == 404
    for user, status in ((resident, 404), (clerk, 404), (other_head, 404), (head, 200), (supervisor, 200)):
        client.force_login(user)
        assert client.get(URL).status_code == status, user
    client.force_login(head)
    page = client.get(URL).content.decode()
    assert "DRAF" in page and "76,99" in page and "belum memenuhi jumlah sampel minimum" in page


def test_published_only_after_terbitkan_and_frozen(client, fixture_answers, head, resident, office):
    client.force_login(head)
    response = client.post(URL + "terbitkan/", {"published_on": "2026-07-15"})
    assert response.status_code == 302
    report = SkmReport.objects.get(office=office)
    assert report.published_on == dt.date(2026, 7, 15) and report.snapshot["result"]["konversi"] == "76.99"
    client.logout()
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Diterbitkan 15 Juli 2026" in text and "76,99" in text and "DRAF" not in text
    pdf = client.get(URL + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # A late answer does not change the published figures.
    late = completed_application(resident, fixture_answers[0].service, at(20))
    answered(late, [1] * 9, at(21))
    assert "76,99" in client.get(URL).content.decode()
    assert selectors.office_results(office, PERIOD)["result"]["konversi"] != report.snapshot["result"]["konversi"]
    # Listed publicly for the period.
    assert "DISDUKCAPIL" in client.get("/survei/hasil/?periode=2026-S1").content.decode() or office.short_name in client.get(
        "/survei/hasil/?periode=2026-S1").content.decode()


def test_public_list_opens_on_the_latest_publication(client, fixture_answers, head, office):
    client.force_login(head)
    client.post(URL + "terbitkan/", {"published_on": "2026-07-15"})
    # The head starts at the current semester (drafts), the public at the latest publication.
    current = periods.containing().label
    assert f'data-testid="period-label">{current}<' in client.get("/survei/hasil/").content.decode()
    client.logout()
    page = client.get("/survei/hasil/").content.decode()
    assert 'data-testid="period-label">Semester I 2026<' in page and office.short_name in page and "76,99" in page


def test_public_list_hides_drafts(client, fixture_answers, office, supervisor):
    assert office.short_name not in client.get("/survei/hasil/?periode=2026-S1").content.decode()
    client.force_login(supervisor)
    assert office.short_name in client.get("/survei/hasil/?periode=2026-S1").content.decode()


def test_only_the_head_of_the_office_edits_its_rtl_and_publishes(client, fixture_answers, head, other_head, supervisor, clerk):
    for user in (other_head, supervisor, clerk):
        client.force_login(user)
        assert client.post(URL + "rtl/", rtl()).status_code == 403
        assert client.post(URL + "terbitkan/", {"published_on": "2026-07-01"}).status_code == 403
    client.logout()
    assert client.post(URL + "rtl/", rtl()).status_code == 403
    assert not FollowUpAction.objects.exists() and not SkmReport.objects.exists()
    client.force_login(head)
    client.post(URL + "rtl/", rtl())
    action = FollowUpAction.objects.get()
    assert action.report.office.code == "DISDUKCAPIL" and action.status == "berjalan" and action.updated_by == head
    client.post(URL + f"rtl/{action.pk}/", {f"a{action.pk}-{k}": v for k, v in rtl(status="selesai").items()})
    action.refresh_from_db()
    assert action.status == "selesai"
    # An RTL row of another office's report cannot be edited through this office's URL.
    client.force_login(other_head)
    edit = {f"a{action.pk}-{k}": v for k, v in rtl(status="rencana").items()}
    assert client.post(f"/survei/hasil/DLHK/2026-S1/rtl/{action.pk}/", edit).status_code == 403
    action.refresh_from_db()
    assert action.status == "selesai"


def test_rtl_errors_are_messages_not_500(client, fixture_answers, head):
    client.force_login(head)
    page = client.post(URL + "rtl/", rtl(target_date="bukan tanggal"), follow=True)
    assert page.status_code == 200 and "tanggal" in page.content.decode().lower()
    assert not FollowUpAction.objects.exists()
    assert client.get("/survei/hasil/DISDUKCAPIL/2026-S9/").status_code == 404


def test_rtl_progress_is_part_of_the_publication(client, fixture_answers, head):
    client.force_login(head)
    client.post(URL + "rtl/", rtl())
    client.post(URL + "terbitkan/", {"published_on": "2026-07-01"})
    client.logout()
    page = client.get(URL).content.decode()
    assert "Buka kanal pengaduan di loket" in page and "Berjalan" in page


def test_head_hides_a_suggestion_with_a_reason(client, fixture_answers, head, office):
    client.force_login(head)
    target = next(r for r in fixture_answers if "Budi" in r.suggestion)
    page = client.post(URL + f"saran/{target.pk}/sembunyikan/", {"reason": ""}, follow=True).content.decode()
    assert "Tuliskan alasan" in page
    client.post(URL + f"saran/{target.pk}/sembunyikan/", {"reason": "Menyebut nama petugas"})
    target.refresh_from_db()
    assert target.suggestion_hidden and target.suggestion_hidden_reason == "Menyebut nama petugas"
    client.post(URL + "terbitkan/", {"published_on": "2026-07-01"})
    client.logout()
    public = client.get(URL).content.decode()
    assert "Budi" not in public and "Antrean perlu kursi tambahan" in public
    pdf = client.get(URL + "pdf/").content
    assert b"Budi" not in pdf and b"Antrean perlu kursi tambahan" in pdf and b"76,99" in pdf


def test_publication_needs_answers_and_happens_once(head, office):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.publish(office, PERIOD, head, timezone.localdate())


def test_admin_shows_answers_without_the_applicant(client, fixture_answers, head, clerk, resident):
    client.force_login(head)
    page = client.get("/admin/layanan/surveyresponse/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Antrean perlu kursi tambahan" in text and "U9:2" in text
    numbers = [r.application.number for r in fixture_answers]
    assert not any(number in text for number in numbers)
    assert resident.first_name not in text and resident.last_name not in text
    detail = client.get(f"/admin/layanan/surveyresponse/{fixture_answers[0].pk}/change/").content.decode()
    assert fixture_answers[0].application.number not in detail and "Maria" not in detail
    client.force_login(clerk)
    assert client.get("/admin/layanan/surveyresponse/").status_code == 403


def test_admin_year_filter_spans_first_to_last_answer_without_reading_every_answer(client, fixture_answers, head, resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    service = fixture_answers[0].service
    answered(completed_application(resident, service, at(2)), [4] * 9, timezone.make_aware(dt.datetime(2024, 5, 2, 10)))
    client.force_login(head)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/admin/layanan/surveyresponse/")
    years = [choice["display"] for choice in page.context["cl"].filter_specs[1].choices(page.context["cl"])]
    assert years[1:] == ["2024", "2025", "2026"]  # after "All"; 2025 has no answer but lies between
    sql = [q["sql"].upper() for q in captured]
    assert not any("DISTINCT" in s for s in sql)
    counts = [s for s in sql if "COUNT(" in s and "LAYANAN_SURVEYRESPONSE" in s]
    assert len(counts) == 1 and "LIMIT" in counts[0]  # the capped count, not a COUNT(*) of every answer


def test_the_short_of_sample_mark_is_read_out_and_explained_only_when_shown(client, fixture_answers, supervisor, office):
    """The "!" is a visual mark: its meaning is in the row for screen readers, and the legend is
    printed only when a row carries it (it stood under every list, also an empty one's)."""
    client.force_login(supervisor)
    page = client.get("/survei/hasil/?periode=2026-S1").content.decode()
    assert 'data-testid="short-of-sample"' in page and 'data-testid="short-of-sample-legend"' in page
    row = page.split('data-testid="short-of-sample"')[1].split("</td>")[0]
    assert 'class="visually-hidden">belum memenuhi jumlah sampel minimum' in row
    empty = client.get("/survei/hasil/?periode=2025-S1").content.decode()
    assert 'data-testid="short-of-sample-legend"' not in empty
