"""SKM fixtures: a hand-computed set of answers for one office and period, people in each role."""

import datetime as dt
import secrets

import pytest
from django.utils import timezone

from kupang_portal.accounts.roles import Role
from layanan.constants import ApplicationStatus
from layanan.models import Application, Service, SurveyResponse
from layanan.skm import periods
from tests import factories

PERIOD = periods.parse("2026-S1")

# Five respondents of DISDUKCAPIL in semester I 2026; None = item left unanswered.
ANSWERS = [
    [4, 4, 3, 3, 4, 3, 4, 3, 2],
    [3, 3, 3, 2, 3, 3, 4, 3, 2],
    [2, 3, 2, 4, 3, 4, 4, 2, None],
    [4, None, 3, 4, 3, 4, 3, 3, 1],
    [3, 3, 2, 4, 4, 4, 4, 3, None],
]


def at(day, hour=10):
    return timezone.make_aware(dt.datetime(2026, 3, day, hour))


def completed_application(user, service, when):
    return Application.objects.create(
        service=service, applicant=user, office=service.office, status=ApplicationStatus.COMPLETED,
        completed_at=when, submitted_at=when - dt.timedelta(days=3), number=f"T-{secrets.token_hex(4)}",
    )


def answered(application, answers, when, suggestion="", **profile):
    return SurveyResponse.objects.create(
        token=secrets.token_urlsafe(16), application=application, service=application.service, office=application.office,
        submitted_at=when, suggestion=suggestion, answers={f"U{i + 1}": v for i, v in enumerate(answers) if v is not None},
        **profile,
    )


@pytest.fixture
def resident(db):
    return factories.resident(first_name="Maria", last_name="Ndolu")


@pytest.fixture
def head(db):
    return factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL", username="kadis.test")


@pytest.fixture
def other_head(db):
    return factories.staff(Role.OFFICE_HEAD, "DLHK", username="kadis.dlhk")


@pytest.fixture
def clerk(db):
    return factories.staff(Role.CLERK, "DISDUKCAPIL", username="petugas.test")


@pytest.fixture
def supervisor(db):
    return factories.staff(Role.SUPERVISOR, username="pimpinan.test")


@pytest.fixture
def office(db):
    return factories.office("DISDUKCAPIL")


@pytest.fixture
def fixture_answers(resident, office):
    """12 completed applications (the population) of which 5 answered the survey (ANSWERS)."""
    service = Service.objects.filter(office=office).order_by("pk").first()
    apps = [completed_application(resident, service, at(2 + i)) for i in range(12)]
    profiles = [{"sex": "P", "age_group": "30-39"}, {"sex": "L"}, {}, {"sex": "P"}, {"education": "s1"}]
    suggestions = ["Antrean perlu kursi tambahan", "", "Petugas bernama Budi di loket 2 sangat lambat", "", ""]
    return [answered(app, answers, at(10 + i), suggestion=suggestions[i], **profiles[i])
            for i, (app, answers) in enumerate(zip(apps, ANSWERS, strict=False))]
