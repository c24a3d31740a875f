"""SKM survey: invitation on completion, found again on the application page, answered once."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from kupang_portal.notifications.models import Notification
from kupang_portal.workflow.engine import perform
from layanan.models import SurveyResponse
from layanan.skm import services

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
    survey = SurveyResponse.objects.get(application=app)
    assert Notification.objects.filter(recipient=resident, event="survey_invitation", channel="inapp").count() == 1
    assert services.invite(app) is None  # idempotent
    page = client.get(f"/survei/{survey.token}/").content.decode()
    assert "Persyaratan" in page and "tidak pernah melihat siapa menjawab apa" in page and "Jawaban Anda bersifat anonim" not in page
    empty = client.post(f"/survei/{survey.token}/", {"sex": "P"})
    assert "Jawab paling sedikit satu pertanyaan survei." in empty.content.decode()
    answers = {f"U{i}": "4" for i in range(1, 9)}  # U9 skipped
    client.post(f"/survei/{survey.token}/", {**answers, "suggestion": "Cepat sekali\x07\x1b", "sex": "P", "age_group": "30-39",
                                             "education": "", "occupation": "swasta", "visit_date": "2026-11-02"})
    survey.refresh_from_db()
    assert survey.submitted_at and survey.answers == {f"U{i}": 4 for i in range(1, 9)}
    assert survey.suggestion == "Cepat sekali"  # control characters stripped (CleanTextMixin)
    assert (survey.sex, survey.age_group, survey.education, survey.occupation) == ("P", "30-39", "", "swasta")
    assert survey.visit_date == dt.date(2026, 11, 2)
    assert "Terima kasih" in client.get(f"/survei/{survey.token}/").content.decode()
    with pytest.raises(services.AlreadySubmitted):
        services.submit(survey, {f"U{i}": 1 for i in range(1, 10)})


def test_application_page_offers_the_survey_while_open(client, resident, clerk):
    app = make_submitted(resident)
    complete(app, clerk)
    survey = SurveyResponse.objects.get(application=app)
    client.force_login(resident)
    page = client.get(app.get_absolute_url()).content.decode()
    assert "Isi survei kepuasan" in page and survey.get_absolute_url() in page
    SurveyResponse.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    assert "Isi survei kepuasan" not in client.get(app.get_absolute_url()).content.decode()
    assert "sudah berakhir" in client.get(survey.get_absolute_url()).content.decode()
    survey.refresh_from_db()
    with pytest.raises(services.SurveyClosed):
        services.submit(survey, {"U1": 4})


def test_bad_input_is_a_message(client, resident, clerk):
    app = make_submitted(resident)
    complete(app, clerk)
    survey = SurveyResponse.objects.get(application=app)
    page = client.post(survey.get_absolute_url(), {"U1": "9", "visit_date": "2999-01-01"})
    assert page.status_code == 200 and "Tanggal tidak boleh di masa depan." in page.content.decode()
    survey.refresh_from_db()
    assert survey.submitted_at is None
    # The field is at the end of a long page: the top says the survey was not sent (at 360 px the
    # page reloaded at the top looking exactly like before, as if nothing had happened).
    page = client.post(survey.get_absolute_url(), {"U1": "4", "U2": "3", "visit_date": "2999-01-01"}).content.decode()
    top = page.split('data-testid="skm-form"')[1].split("U1.")[0]
    assert 'data-testid="form-errors"' in top and "Survei belum terkirim" in top
    assert re.search(r'name="U1" value="4"\s+id="id_U1_3" checked>', page)  # the answers stay chosen


def test_the_thanks_page_has_a_heading(client, resident, clerk):
    app = make_submitted(resident)
    complete(app, clerk)
    survey = SurveyResponse.objects.get(application=app)
    client.post(survey.get_absolute_url(), {"U1": "4"})
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "<h1" in page and 'data-testid="skm-thanks"' in page


def test_unknown_token_is_404(client):
    assert client.get("/survei/tidak-ada/").status_code == 404


def test_the_model_is_still_importable_from_the_package():
    from layanan.skm import SurveyResponse as Imported

    assert Imported is SurveyResponse
