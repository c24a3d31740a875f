import datetime as dt

import pytest
from django.utils import timezone

from kupang_portal.notifications.models import Notification
from kupang_portal.organization import calendar
from kupang_portal.workflow import engine
from pengaduan import services, tasks
from pengaduan.models import Complaint, ComplaintResponse, RejectReason, Status
from tests import factories

from .conftest import file_complaint

pytestmark = pytest.mark.django_db


def disposed(reporter, verifier, **kwargs):
    complaint = file_complaint(reporter, **kwargs).complaint
    services.dispose(complaint, verifier)
    complaint.refresh_from_db()
    return complaint


def responded(reporter, verifier, clerk, **kwargs):
    complaint = disposed(reporter, verifier, **kwargs)
    services.perform(complaint, "start", clerk)
    services.respond(complaint, clerk, "Sampah sudah diangkut.")
    complaint.refresh_from_db()
    return complaint


def test_full_flow_records_every_hop(reporter, verifier, dlhk_clerk):
    complaint = responded(reporter, verifier, dlhk_clerk)
    services.reporter_close(complaint, user=reporter)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closed_at and complaint.deadline is None
    steps = list(complaint.history().values_list("transition", "from_state", "to_state"))
    assert steps == [("submit", "", "submitted"), ("route", "submitted", "submitted"), ("dispose", "submitted", "disposed"),
                     ("start", "disposed", "in_progress"), ("respond", "in_progress", "responded"), ("close", "responded", "closed")]
    dispose_event = complaint.history().get(transition="dispose")
    assert dispose_event.from_office.code == "BAG_ORGANISASI" and dispose_event.to_office.code == "DLHK"
    events = set(Notification.objects.filter(case_number=complaint.number).values_list("event", flat=True))
    assert {"complaint_received", "complaint_disposed", "complaint_responded", "complaint_closed", "case_new_in_queue"} <= events
    assert Notification.objects.filter(recipient=dlhk_clerk, event="case_new_in_queue", case_number=complaint.number).exists()


def test_dispose_only_by_verifier_and_to_chosen_office(reporter, verifier, dlhk_clerk, pupr_clerk):
    complaint = file_complaint(reporter).complaint
    for actor in (reporter, dlhk_clerk, pupr_clerk):
        with pytest.raises(engine.ActorNotPermitted):
            services.dispose(complaint, actor)
    services.dispose(complaint, verifier, factories.office("PUPR"), confidential=True)
    complaint.refresh_from_db()
    assert complaint.status == Status.DISPOSED and complaint.office.code == "PUPR" and complaint.is_confidential
    with pytest.raises(engine.TransitionNotAllowed):
        services.dispose(complaint, verifier)


def test_only_the_offices_clerk_starts_and_responds(reporter, verifier, dlhk_clerk, pupr_clerk):
    complaint = disposed(reporter, verifier)
    with pytest.raises(engine.ActorNotPermitted):
        services.perform(complaint, "start", pupr_clerk)
    with pytest.raises(engine.ActorNotPermitted):
        services.respond(complaint, reporter, "saya sendiri")
    with pytest.raises(engine.TransitionError):
        services.respond(complaint, dlhk_clerk, "   ")
    services.perform(complaint, "start", dlhk_clerk)
    now = timezone.now()
    services.respond(complaint, dlhk_clerk, "Sudah diangkut.", now=now)
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED
    assert complaint.deadline == calendar.deadline_after(now, 10)
    assert ComplaintResponse.objects.get(complaint=complaint).office.code == "DLHK"
    assert Notification.objects.filter(recipient=reporter, event="complaint_responded").exists()


def test_close_and_reopen_only_by_owner(reporter, other_resident, verifier, dlhk_clerk):
    complaint = responded(reporter, verifier, dlhk_clerk)
    with pytest.raises(services.ReporterActionError):
        services.reporter_close(complaint, user=other_resident)
    with pytest.raises(services.ReporterActionError):
        services.reporter_reopen(complaint, "", user=reporter)  # reason required
    with pytest.raises(engine.ActorNotPermitted):
        services.perform(complaint, "reopen", dlhk_clerk, note="staff cannot reopen")
    services.reporter_reopen(complaint, "Sampah menumpuk lagi", user=reporter)
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS and complaint.reopen_count == 1
    assert complaint.deadline == calendar.deadline_after(complaint.history().last().created_at, 5)
    assert Notification.objects.filter(recipient=dlhk_clerk, event="complaint_reopened").exists()
    with pytest.raises(services.ReporterActionError):
        services.reporter_close(complaint, user=reporter)  # not responded any more


def test_anonymous_reporter_acts_with_the_code_only(verifier, dlhk_clerk):
    result = file_complaint(None)
    complaint = result.complaint
    services.dispose(complaint, verifier)
    services.respond(complaint, dlhk_clerk, "Sudah diangkut.")
    complaint.refresh_from_db()
    with pytest.raises(services.ReporterActionError):
        services.reporter_close(complaint, code="AAAAA-BBBBB")
    with pytest.raises(engine.TransitionError):
        services.perform(complaint, "close", None)  # the system cannot close for the reporter without the code
    services.rate_response(complaint, 5, "Cepat", code=result.code.lower().replace("-", ""))
    services.reporter_close(complaint, code=result.code)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    event = complaint.history().last()
    assert event.actor_id is None and event.actor_label == "Pelapor"
    assert complaint.latest_response.rating == 5


def test_reject_needs_a_reason_and_only_from_submitted(reporter, verifier, dlhk_clerk):
    complaint = file_complaint(reporter).complaint
    with pytest.raises(engine.NoteRequired):
        services.perform(complaint, "reject", verifier, data={"reason": RejectReason.SPAM})
    with pytest.raises(engine.ActorNotPermitted):
        services.perform(complaint, "reject", dlhk_clerk, note="x", data={"reason": RejectReason.SPAM})
    services.perform(complaint, "reject", verifier, note="Iklan", data={"reason": RejectReason.SPAM})
    complaint.refresh_from_db()
    assert complaint.status == Status.REJECTED and complaint.reject_reason == "spam" and complaint.deadline is None
    told = Notification.objects.get(recipient=reporter, event="complaint_rejected", channel="inapp")
    assert "Iklan" in told.body and complaint.number in told.subject
    other = disposed(reporter, verifier)
    with pytest.raises(engine.TransitionNotAllowed):
        services.perform(other, "reject", verifier, note="x", data={"reason": RejectReason.SPAM})


def test_hand_on_to_another_office_keeps_state(reporter, verifier, dlhk_clerk, pupr_clerk):
    complaint = disposed(reporter, verifier)
    services.perform(complaint, "start", dlhk_clerk)
    with pytest.raises(engine.NoteRequired):
        services.perform(complaint, "hand_on", dlhk_clerk, data={"office": factories.office("PUPR")})
    with pytest.raises(engine.TransitionError):
        services.perform(complaint, "hand_on", dlhk_clerk, note="x", data={"office": factories.office("DLHK")})
    with pytest.raises(engine.ActorNotPermitted):
        services.perform(complaint, "hand_on", pupr_clerk, note="x", data={"office": factories.office("PUPR")})
    services.perform(complaint, "hand_on", dlhk_clerk, note="Saluran kewenangan PUPR", data={"office": factories.office("PUPR")})
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS and complaint.office.code == "PUPR"
    event = complaint.history().last()
    assert event.transition == "hand_on" and event.from_office.code == "DLHK" and event.to_office.code == "PUPR"
    assert event.note == "Saluran kewenangan PUPR"
    assert Notification.objects.filter(recipient=pupr_clerk, event="case_new_in_queue").exists()
    # The reporter hears of the change of office (issue 11, point 9) and the timeline names it.
    told = Notification.objects.get(recipient=reporter, event="complaint_office_changed", channel="inapp")
    assert complaint.office.name in told.subject
    from pengaduan import selectors

    sentences = [row["label"] for row in selectors.timeline(complaint, with_notes=True)]
    assert f"Pengaduan dialihkan dari {factories.office('DLHK').name} ke {complaint.office.name} " \
           f"(bukan wewenang {factories.office('DLHK').name})." in sentences
    assert sentences[0] == "Anda menyampaikan pengaduan."
    assert selectors.timeline(complaint)[0]["label"] == "Pengaduan disampaikan."  # the public reads no "Anda"


def test_hand_on_back_to_the_desk_returns_to_submitted(reporter, verifier, dlhk_clerk):
    complaint = disposed(reporter, verifier)
    # "hand_on" keeps the state: it refuses the desk, which has its own transition.
    with pytest.raises(engine.TransitionError):
        services.perform(complaint, "hand_on", dlhk_clerk, note="x", data={"office": factories.office("BAG_ORGANISASI")})
    services.perform(complaint, "return_to_desk", dlhk_clerk, note="Bukan wewenang DLHK")
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED and complaint.office.code == "BAG_ORGANISASI"
    assert complaint.proposed_office is None and complaint.assignee is None
    assert Notification.objects.filter(recipient=verifier, event="case_new_in_queue", case_number=complaint.number).count() >= 2
    told = Notification.objects.get(recipient=reporter, event="complaint_office_changed", channel="inapp")
    assert "Bagian Organisasi" in told.subject or "Bagian Organisasi" in told.body
    services.dispose(complaint, verifier, factories.office("PUPR"))
    complaint.refresh_from_db()
    assert complaint.office.code == "PUPR"


def test_autoclose_after_ten_working_days_is_idempotent(reporter, verifier, dlhk_clerk):
    complaint = responded(reporter, verifier, dlhk_clerk)
    fresh = responded(reporter, verifier, dlhk_clerk)
    assert services.autoclose_due() == 0
    with pytest.raises(engine.TransitionError):
        services.perform(complaint, "autoclose", None)
    Complaint.objects.filter(pk=complaint.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert tasks.periodic_autoclose_responded() == 1
    assert tasks.periodic_autoclose_responded() == 0
    complaint.refresh_from_db()
    fresh.refresh_from_db()
    assert complaint.status == Status.CLOSED and fresh.status == Status.RESPONDED
    assert complaint.history().filter(transition="autoclose").count() == 1
    assert Notification.objects.filter(recipient=reporter, event="complaint_closed", case_number=complaint.number).count() >= 1


def test_concurrent_change_is_refused(reporter, verifier):
    complaint = file_complaint(reporter).complaint
    stale = Complaint.objects.get(pk=complaint.pk)
    services.dispose(complaint, verifier)
    with pytest.raises(engine.ConcurrentTransition):
        services.perform(stale, "reject", verifier, note="x", data={"reason": "spam"})


def test_unrouted_complaint_is_enqueued_again_by_the_sweep(reporter, monkeypatch):
    from pengaduan import tasks as complaint_tasks

    complaint = file_complaint(reporter).complaint
    # As if the routing task had been lost to a broker outage:
    Complaint.objects.filter(pk=complaint.pk).update(routed_at=None)
    assert complaint_tasks.periodic_route_pending() == 0  # not stale yet
    Complaint.objects.filter(pk=complaint.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert complaint_tasks.periodic_route_pending() == 1
    complaint.refresh_from_db()
    assert complaint.routed_at is not None
    assert complaint_tasks.periodic_route_pending() == 0
