import datetime as dt

import pytest
from django.utils import timezone

from kupang_portal.notifications.models import Notification
from kupang_portal.organization import calendar
from kupang_portal.organization.models import Holiday, Kecamatan
from pengaduan import routing, services, tasks
from pengaduan.models import Complaint, RoutingRule, Status
from tests import factories

from .conftest import category, file_complaint, kelurahan

pytestmark = pytest.mark.django_db

WITA = dt.timezone(dt.timedelta(hours=8))


def test_seeded_categories_route_to_their_offices():
    expected = {"sampah": "DLHK", "jalan-rusak": "PUPR", "drainase": "PUPR", "air-bersih": "PERUMDA_AM", "lampu-jalan": "DISHUB",
                "adminduk": "DISDUKCAPIL", "perizinan": "DPMPTSP", "pungli": "INSPEKTORAT", "ketertiban": "SATPOLPP",
                "kesehatan": "DINKES", "transportasi": "DISHUB"}
    for code, office in expected.items():
        assert routing.resolve(category(code), kelurahan()).office.code == office, code
    assert category("pungli").follow_up_days == 60
    assert category("sampah").follow_up_days == 5


def test_specific_kecamatan_rule_wins_over_citywide():
    alak = Kecamatan.objects.get(code="53.71.01")
    RoutingRule.objects.create(category=category("sampah"), kecamatan=alak, office=factories.office("SATPOLPP"))
    assert routing.resolve(category("sampah"), kelurahan("53.71.01.1001")).office.code == "SATPOLPP"
    # Another kecamatan still uses the city-wide rule.
    assert routing.resolve(category("sampah"), kelurahan("53.71.02.1001")).office.code == "DLHK"
    assert routing.resolve(category("sampah"), None).office.code == "DLHK"


def test_no_matching_rule_falls_back_to_the_desk():
    RoutingRule.objects.filter(category=category("kesehatan")).delete()
    decision = routing.resolve(category("kesehatan"), kelurahan())
    assert decision.office.code == "BAG_ORGANISASI" and decision.rule is None
    RoutingRule.objects.filter(category=category("sampah")).update(is_active=False)
    assert routing.resolve(category("sampah"), kelurahan()).office.code == "BAG_ORGANISASI"


def test_route_task_sets_proposal_deadline_and_notifies(reporter, verifier):
    complaint = file_complaint(reporter, route=False).complaint
    assert complaint.proposed_office is None and complaint.office.code == "BAG_ORGANISASI"
    assert tasks.route_complaint(complaint.pk) == "routed"
    complaint.refresh_from_db()
    assert complaint.proposed_office.code == "DLHK"
    assert complaint.status == Status.SUBMITTED
    assert complaint.deadline == calendar.deadline_after(complaint.created_at, 3)
    assert Notification.objects.filter(recipient=verifier, event="case_new_in_queue", case_number=complaint.number).exists()
    assert Notification.objects.filter(recipient=reporter, event="complaint_received").exists()
    # Idempotent: a redelivered task does nothing.
    assert tasks.route_complaint(complaint.pk) == "skipped"
    assert complaint.history().filter(transition="route").count() == 1
    assert tasks.route_complaint(999999) == "missing"


def test_submission_enqueues_routing_on_commit(reporter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(reporter, route=False).complaint
    complaint.refresh_from_db()
    assert complaint.proposed_office.code == "DLHK" and complaint.routed_at is not None


def test_deadlines_come_from_the_working_day_calendar(reporter, verifier):
    monday = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WITA)
    Holiday.objects.create(date=dt.date(2026, 11, 3), name="Libur uji")
    calendar.clear_holiday_cache()
    complaint = file_complaint(reporter, route=False, now=monday).complaint
    Complaint.objects.filter(pk=complaint.pk).update(created_at=monday)
    complaint.refresh_from_db()
    services.route(complaint, now=monday)
    complaint.refresh_from_db()
    # 3 working days after Monday, skipping the Tuesday holiday: Friday 6 November, end of day.
    assert timezone.localtime(complaint.deadline).date() == dt.date(2026, 11, 6)
    services.dispose(complaint, verifier, now=monday + dt.timedelta(days=1))
    complaint.refresh_from_db()
    # Follow-up 5 working days from the Tuesday holiday: Wed..Fri, Mon, Tue -> 10 November.
    assert timezone.localtime(complaint.deadline).date() == dt.date(2026, 11, 10)


@pytest.mark.parametrize("code,kind,days", [("sampah", "pengaduan", 5), ("jalan-rusak", "pengaduan", 14), ("pungli", "pengaduan", 60),
                                            ("pungli", "informasi", 5), ("sampah", "aspirasi", 14)])
def test_follow_up_days_by_category_and_kind(reporter, verifier, code, kind, days):
    complaint = file_complaint(reporter, code=code, kind=kind).complaint
    now = timezone.now()
    services.dispose(complaint, verifier, now=now)
    complaint.refresh_from_db()
    assert complaint.follow_up_days == days  # the completion time, from the first follow-up on
    assert complaint.deadline == calendar.deadline_after(now, 5)  # SP4N-LAPOR!: first follow-up within 5 working days
