"""SKM survey: invitation on completion, one answer per invitation, IKM per PermenPANRB 14/2017."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kupang_portal.notifications.models import Notification
from kupang_portal.workflow.engine import perform
from layanan import skm

from .conftest import make_submitted, pdf_file

pytestmark = pytest.mark.django_db


def complete(app, clerk):
    for name in ("verify", "process"):
        perform(app, name, clerk)
    perform(app, "complete", clerk, data={"issued_document": pdf_file("ktp.pdf")})


def test_completion_invites_once_and_the_survey_is_answered_once(client, resident, clerk, django_capture_on_commit_callbacks):
    app = make_submitted(resident)
    with django_capture_on_commit_callbacks(execute=True):
        complete(app, clerk)
    survey = skm.SurveyResponse.objects.get(application=app)
    assert Notification.objects.filter(recipient=resident, event="survey_invitation", channel="inapp").count() == 1
    assert skm.invite(app) is None  # idempotent
    page = client.get(f"/survei/{survey.token}/")
    assert page.status_code == 200 and "Persyaratan" in page.content.decode()
    incomplete = client.post(f"/survei/{survey.token}/", {"U1": "4"})
    assert "Pilih salah satu jawaban." in incomplete.content.decode()
    answers = {f"U{i}": "4" for i in range(1, 10)}
    client.post(f"/survei/{survey.token}/", {**answers, "suggestion": "Cepat sekali"})
    survey.refresh_from_db()
    assert survey.submitted_at and survey.answers["U9"] == 4
    assert "Terima kasih" in client.get(f"/survei/{survey.token}/").content.decode()
    with pytest.raises(skm.AlreadySubmitted):
        skm.submit(survey, {f"U{i}": 1 for i in range(1, 10)})


def test_unknown_token_is_404(client):
    assert client.get("/survei/tidak-ada/").status_code == 404


def test_ikm_is_mean_of_element_averages_times_25():
    now = timezone.now()
    rows = [
        SimpleNamespace(submitted_at=now, answers={f"U{i}": 4 for i in range(1, 10)}),
        SimpleNamespace(submitted_at=now, answers={f"U{i}": 3 for i in range(1, 10)}),
        SimpleNamespace(submitted_at=None, answers={}),
    ]
    result = skm.ikm(rows)
    assert result["respondents"] == 2
    assert result["ikm"] == Decimal("87.50")
    assert (result["grade"], result["performance"]) == ("B", "Baik")
    assert skm.ikm([]) is None


@pytest.mark.parametrize("value,grade", [(25.0, "D"), (64.99, "D"), (65.0, "C"), (76.605, "B"), (88.31, "A"), (100.0, "A")])
def test_mutu_intervals(value, grade):
    assert skm.mutu(value)[0] == grade
