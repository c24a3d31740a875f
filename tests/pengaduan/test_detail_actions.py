"""The reporter's page asks the workflow which actions fit, and says what the deadline means."""

import pytest

from pengaduan import services
from pengaduan.models import Complaint

from .conftest import file_complaint

pytestmark = pytest.mark.django_db


def _responded(reporter, verifier, clerk):
    complaint = file_complaint(reporter).complaint
    complaint.refresh_from_db()
    services.dispose(complaint, verifier, complaint.proposed_office or complaint.office)
    complaint.refresh_from_db()
    services.respond(complaint, clerk, "Sudah diangkut.")
    complaint.refresh_from_db()
    return complaint


def test_responded_complaint_names_the_auto_close_date_and_offers_close_and_reopen(client, reporter, verifier, dlhk_clerk):
    complaint = _responded(reporter, verifier, dlhk_clerk)
    client.force_login(reporter)
    page = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    assert "Ditutup otomatis bila tidak ada balasan pada" in page and "Tenggat tahap ini" not in page
    assert 'data-testid="close-form"' in page and 'data-testid="reopen-form"' in page
    assert "mengirim tanggapan." in page  # the timeline tells what happened, naming the office
    # Reopened too often: the workflow no longer offers "reopen", so the page shows no form.
    Complaint.objects.filter(pk=complaint.pk).update(reopen_count=99)
    page = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    assert 'data-testid="reopen-form"' not in page and 'data-testid="close-form"' in page


def test_complaint_in_progress_shows_the_stage_deadline_and_no_reporter_actions(client, reporter, verifier):
    complaint = file_complaint(reporter).complaint
    client.force_login(reporter)
    page = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    assert "Tenggat tahap ini" in page
    assert 'data-testid="close-form"' not in page and 'data-testid="reopen-form"' not in page


def _office_line(page):
    return page.split("Ditangani oleh")[1].split("</p>")[0]


def test_reporter_page_and_public_tracking_page_name_the_same_office(client, reporter, verifier):
    """Before disposition the complaint is with the desk, not with the routing's proposal (the desk
    may choose another office); both pages say so, and give the same stage deadline."""
    complaint = file_complaint(reporter).complaint
    assert complaint.proposed_office.code == "DLHK" and complaint.office.code == "BAG_ORGANISASI"
    public = client.get(f"/lacak/{complaint.number}/").content.decode()
    client.force_login(reporter)
    own = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    for page in (own, public):
        assert complaint.office.name in _office_line(page) and "Lingkungan" not in _office_line(page)
        assert "Menunggu verifikasi" in page and "Tenggat tahap ini" in page
    assert "Target selesai" not in public  # the desk's verification deadline is not a completion date
    open311 = client.get(f"/api/open311/v2/requests/{complaint.number}.json").json()[0]
    assert open311["agency_responsible"] == complaint.office.name  # the third public surface agrees
    services.dispose(complaint, verifier, complaint.proposed_office)
    public = client.get(f"/lacak/{complaint.number}/").content.decode()
    own = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    for page in (own, public):
        assert complaint.proposed_office.name in _office_line(page)
