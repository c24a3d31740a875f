"""A complaint closed after a response is rated in the SKM, on the unsur a complaint can judge."""

import pytest

from layanan.models import SurveyResponse
from layanan.skm.constants import COMPLAINT_UNSUR
from pengaduan import services

from .conftest import file_complaint

pytestmark = pytest.mark.django_db


def test_closing_a_responded_complaint_opens_a_complaint_survey(client, reporter, verifier, dlhk_clerk):
    complaint = file_complaint(reporter).complaint
    services.dispose(complaint, verifier)
    complaint.refresh_from_db()
    services.perform(complaint, "start", dlhk_clerk)
    services.respond(complaint, dlhk_clerk, "Sampah sudah diangkut.")
    complaint.refresh_from_db()
    assert not SurveyResponse.objects.exists()
    services.perform(complaint, "close", reporter)
    survey = SurveyResponse.objects.get(complaint=complaint)
    assert survey.office == complaint.office and survey.service is None
    client.force_login(reporter)
    detail = client.get(f"/pengaduan/{complaint.number}/").content.decode()
    assert "Isi survei kepuasan" in detail and survey.get_absolute_url() in detail
    form = client.get(survey.get_absolute_url()).content.decode()
    assert "Penanganan Pengaduan" in form and "Persyaratan" not in form and "tidak berlaku" in form
    # The privacy note speaks of the complaint (it said "the application page", "application number").
    assert "dari halaman pengaduan" in form and "permohonan" not in form.split('data-testid="skm-privacy"')[1].split("</div>")[0]
    assert "tidak sepenuhnya anonim" in form  # a named complaint: the survey is linked to the reporter's case
    client.post(survey.get_absolute_url(), {"U1": "4", "U2": "3", "U9": "4"})
    survey.refresh_from_db()
    assert survey.answers == {"U2": 3, "U9": 4}  # U1 is not asked for a complaint
    assert set(survey.answers) <= set(COMPLAINT_UNSUR)


def test_an_anonymous_complaints_survey_is_not_called_partly_named(client, verifier, dlhk_clerk):
    result = file_complaint(None)
    complaint = result.complaint
    services.dispose(complaint, verifier)
    complaint.refresh_from_db()
    services.respond(complaint, dlhk_clerk, "Sampah sudah diangkut.")
    complaint.refresh_from_db()
    services.reporter_close(complaint, code=result.code)
    survey = SurveyResponse.objects.get(complaint=complaint)
    form = client.get(survey.get_absolute_url()).content.decode()
    note = form.split('data-testid="skm-privacy"')[1].split("</div>")[0]
    assert "dari halaman pengaduan" in note and "tidak sepenuhnya anonim" not in note
