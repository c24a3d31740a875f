"""Points 6 and 8 of the journeys issue in the shared admin: after a transition that moves a case
out of the clerk's scope, back to their queue with one message naming where it went; the queue
shows open cases by default; the admin home counts new, due-soon and overdue cases; Indonesian
status filter values; one public text box in the respond form; names, not usernames."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from kupang_portal.workflow import engine
from pengaduan import services as complaint_services
from pengaduan.models import Complaint, Status
from tests import factories
from tests.layanan.conftest import make_submitted
from tests.pengaduan.conftest import file_complaint

pytestmark = pytest.mark.django_db

COMPLAINTS = "/admin/pengaduan/complaint/"
APPLICATIONS = "/admin/layanan/application/"


@pytest.fixture
def verifier():
    from kupang_portal.accounts.roles import Role

    return factories.staff(Role.VERIFIER, "BAG_ORGANISASI", username="meja.verifikasi", first_name="Rina", last_name="Bessie")


@pytest.fixture
def dlhk_clerk():
    from kupang_portal.accounts.roles import Role

    return factories.staff(Role.CLERK, "DLHK", username="clerk.dlhk", first_name="Yohanes", last_name="Tefa")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_dispose_sends_the_desk_back_to_its_queue_naming_the_office(client, verifier):
    complaint = file_complaint(factories.resident()).complaint
    client.force_login(verifier)
    response = client.post(f"{COMPLAINTS}{complaint.pk}/tindakan/dispose/",
                           {"version": complaint.version, "office": complaint.proposed_office_id, "kind": "pengaduan"})
    assert response.status_code == 302 and response["Location"] == COMPLAINTS
    texts = _messages(response)
    assert len(texts) == 1 and "Dinas Lingkungan Hidup" in texts[0] and complaint.number in texts[0]
    page = client.get(COMPLAINTS).content.decode()
    assert "Mungkin telah dihapus" not in page and "tidak ada" not in page.lower().split("antrean")[0]


def test_a_transition_that_keeps_the_case_returns_to_it(client, verifier, dlhk_clerk):
    complaint = file_complaint(factories.resident()).complaint
    complaint_services.dispose(complaint, verifier)
    client.force_login(dlhk_clerk)
    response = client.post(f"{COMPLAINTS}{complaint.pk}/tindakan/start/", {"version": complaint.version + 0})
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert response["Location"] == f"{COMPLAINTS}{complaint.pk}/change/"


def test_forwarding_an_application_returns_to_the_queue(client, django_capture_on_commit_callbacks):
    from kupang_portal.accounts.roles import Role

    resident = factories.resident()
    clerk = factories.staff(Role.CLERK, "DPMPTSP")
    app = make_submitted(resident, "PBG")
    for name in ("verify", "process"):
        engine.perform(app, name, clerk)
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{APPLICATIONS}{app.pk}/tindakan/finish_step/", {"version": app.version, "note": "Ke PUPR"})
    assert response.status_code == 302 and response["Location"] == APPLICATIONS
    texts = _messages(response)
    assert len(texts) == 1 and "Pekerjaan Umum" in texts[0]


def test_queue_shows_open_cases_by_default_closed_one_click_away(client, verifier):
    open_one = file_complaint(factories.resident(), title="Masih terbuka").complaint
    closed = file_complaint(factories.resident(), title="Sudah ditolak").complaint
    complaint_services.perform(closed, "reject", verifier, note="Duplikat", data={"reason": "duplikat"})
    client.force_login(verifier)
    default = client.get(COMPLAINTS).content.decode()
    assert open_one.number in default and closed.number not in default
    assert 'href="?keadaan=closed"' in default
    assert closed.number in client.get(f"{COMPLAINTS}?keadaan=closed").content.decode()


def test_status_filter_values_are_indonesian(client, verifier):
    file_complaint(factories.resident())
    client.force_login(verifier)
    page = client.get(COMPLAINTS).content.decode()
    assert ">Menunggu verifikasi</a>" in page and ">Sedang ditindaklanjuti</a>" in page
    for raw in ("submitted", "disposed", "in_progress", "responded"):
        assert f">{raw}</a>" not in page


def test_respond_form_has_one_public_text_box(client, verifier, dlhk_clerk):
    complaint = file_complaint(factories.resident()).complaint
    complaint_services.dispose(complaint, verifier)
    client.force_login(dlhk_clerk)
    page = client.get(f"{COMPLAINTS}{complaint.pk}/tindakan/respond/").content.decode()
    assert page.count("<textarea") == 1 and 'name="text"' in page and 'name="note"' not in page
    response = client.post(f"{COMPLAINTS}{complaint.pk}/tindakan/respond/", {"version": complaint.version, "text": "Sudah diangkut."})
    assert response.status_code == 302
    assert complaint.responses.get().text == "Sudah diangkut."


def test_queue_shows_names_not_usernames(client):
    from kupang_portal.accounts.roles import Role

    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL", username="petugas.x", first_name="Agustina", last_name="Nope")
    app = make_submitted(factories.resident(), "KTP_EL_BARU")
    engine.assign(app, clerk, clerk)
    client.force_login(clerk)
    page = client.get(APPLICATIONS).content.decode()
    assert "Agustina Nope" in page and ">petugas.x<" not in page
    change = client.get(f"{APPLICATIONS}{app.pk}/change/").content.decode()
    assert "Agustina Nope" in change


def test_admin_home_counts_by_hand(client, verifier, dlhk_clerk):
    """Five open complaints at DLHK and one closed, counted by hand:
    A overdue, B due within a working day, C on time, E paused (deadline past): unassigned;
    D on time, taken by the clerk. Baru = A, B, C, E = 4; jatuh tempo = B = 1; lewat tenggat = A = 1."""
    now = timezone.now()
    cases = {}
    for key in "ABCDEF":
        c = file_complaint(factories.resident(), title=f"Kasus {key}").complaint
        complaint_services.dispose(c, verifier)
        cases[key] = c
    deadlines = {"A": now - dt.timedelta(hours=2), "B": now + dt.timedelta(hours=1), "C": now + dt.timedelta(days=30),
                 "D": now + dt.timedelta(days=30), "E": now - dt.timedelta(days=3), "F": now - dt.timedelta(days=3)}
    for key, deadline in deadlines.items():
        Complaint.objects.filter(pk=cases[key].pk).update(deadline=deadline)
    Complaint.objects.filter(pk=cases["D"].pk).update(assignee=dlhk_clerk)
    Complaint.objects.filter(pk=cases["E"].pk).update(sla_paused_at=now)
    Complaint.objects.filter(pk=cases["F"].pk).update(status=Status.CLOSED, is_open=False)
    client.force_login(dlhk_clerk)
    page = client.get("/admin/").content.decode()
    row = page.split('data-testid="queue-row"')[1].split("</tr>")[0] if page.count('data-testid="queue-row"') == 1 else \
        [r for r in page.split('data-testid="queue-row"')[1:] if "Pengaduan" in r.split("</th>")[0]][0]
    assert 'data-testid="count-new">4<' in row
    assert 'data-testid="count-due-soon">1<' in row
    assert 'data-testid="count-overdue">1<' in row
    assert f'href="{COMPLAINTS}"' in row and "Antrean saya" in row
    assert "Baru: belum diambil petugas mana pun" in page  # the definition is on the page
    # Each count links to the same cases in the queue.
    overdue = client.get(f"{COMPLAINTS}?sla=overdue").content.decode()
    assert cases["A"].number in overdue and cases["E"].number not in overdue and cases["F"].number not in overdue
    unassigned = client.get(f"{COMPLAINTS}?petugas=none").content.decode()
    assert {k for k, c in cases.items() if c.number in unassigned} == {"A", "B", "C", "E"}


def test_a_transition_not_offered_opens_no_form(client, dlhk_clerk, verifier):
    """A typed URL or a stale link to an action the case does not offer goes back to the case with
    a message, instead of a form the engine would refuse on submit."""
    complaint = file_complaint(factories.resident()).complaint
    complaint_services.dispose(complaint, verifier)
    client.force_login(dlhk_clerk)
    offered = client.get(f"{COMPLAINTS}{complaint.pk}/tindakan/start/")
    assert offered.status_code == 200 and b"<form" in offered.content
    refused = client.get(f"{COMPLAINTS}{complaint.pk}/tindakan/close/")
    assert refused.status_code == 302 and refused["Location"] == f"{COMPLAINTS}{complaint.pk}/change/"
    assert _messages(refused) == ["Tindakan “Tutup pengaduan (selesai)” tidak tersedia untuk kasus ini sekarang."]
    complaint.refresh_from_db()
    assert complaint.status == Status.DISPOSED


def test_a_read_only_role_is_told_it_only_views_the_case(client, dlhk_clerk):
    """pimpinan opens a case with actions pending: no action is theirs, whatever the status (it
    read "no action you can take in this status", as if the status were the reason)."""
    from kupang_portal.accounts.roles import Role

    app = make_submitted(factories.resident())
    client.force_login(factories.staff(Role.SUPERVISOR))
    page = client.get(f"{APPLICATIONS}{app.pk}/change/").content.decode()
    assert "Peran Anda hanya untuk melihat kasus ini" in page and "pada status ini" not in page
    # A clerk of the office on a closed case: the status is the reason.
    clerk = factories.staff(Role.CLERK, app.office.code)
    engine.perform(app, "reject", clerk, note="Bukan domisili")
    client.force_login(clerk)
    page = client.get(f"{APPLICATIONS}{app.pk}/change/").content.decode()
    assert "pada status ini" in page and "Peran Anda hanya untuk melihat" not in page
