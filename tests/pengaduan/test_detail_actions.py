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
