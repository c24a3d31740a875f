"""Point 15: SP4N-LAPOR! deadlines. First follow-up within 5 working days of being forwarded, for
every category; the longer completion time (14/60) runs from that first follow-up. The home page
and the complaint form say the same as the code."""

import datetime as dt

import pytest
from django.utils import timezone

from kupang_portal.organization import calendar
from pengaduan import deadlines, services

from .conftest import category, file_complaint

pytestmark = pytest.mark.django_db

# A Monday in a week without holidays, 09:00 WITA.
MONDAY = timezone.make_aware(dt.datetime(2026, 11, 16, 9, 0))


def _end_of(day):
    return calendar.end_of_working_day(timezone.make_aware(dt.datetime.combine(day, dt.time(9))))


@pytest.mark.parametrize("code", ["sampah", "jalan-rusak", "pungli"])
def test_first_follow_up_is_five_working_days_for_every_category(code, reporter, verifier):
    complaint = file_complaint(reporter, code=code).complaint
    services.dispose(complaint, verifier, now=MONDAY)
    complaint.refresh_from_db()
    # Mon 16 Nov + 5 working days = Mon 23 Nov (by hand), end of day.
    assert complaint.deadline == _end_of(dt.date(2026, 11, 23))


def test_longer_completion_time_runs_from_the_first_follow_up(reporter, verifier, pupr_clerk):
    complaint = file_complaint(reporter, code="jalan-rusak").complaint  # 14 working days
    services.dispose(complaint, verifier, now=MONDAY)
    started = MONDAY + dt.timedelta(days=2)  # Wednesday 18 Nov
    services.perform(complaint, "start", pupr_clerk, now=started)
    complaint.refresh_from_db()
    # Wed 18 Nov + 14 working days: 19,20,23,24,25,26,27,30 Nov, 1,2,3,4,7,8 Dec -> Tue 8 Dec (by hand).
    assert complaint.deadline == _end_of(dt.date(2026, 12, 8))


def test_five_day_category_keeps_its_deadline_on_first_follow_up(reporter, verifier, dlhk_clerk):
    complaint = file_complaint(reporter, code="sampah").complaint
    services.dispose(complaint, verifier, now=MONDAY)
    services.perform(complaint, "start", dlhk_clerk, now=MONDAY + dt.timedelta(days=3))
    complaint.refresh_from_db()
    assert complaint.deadline == _end_of(dt.date(2026, 11, 23))


def test_pages_say_what_the_code_does(client):
    home = client.get("/").content.decode()
    for text in deadlines.steps_text():
        assert text in home
    assert "paling lambat 5 hari kerja setelah diteruskan, untuk semua kategori" in home
    form = client.get("/pengaduan/baru/").content.decode()
    assert "Jalan rusak</strong>: " + deadlines.category_text(14) in form
    assert "Kebersihan dan sampah</strong>: " + deadlines.category_text(5) in form
    assert deadlines.category_text(60) in form and "penyelesaian paling lambat 60 hari kerja setelah tindak lanjut pertama" in form
    assert category("jalan-rusak").follow_up_days == 14
