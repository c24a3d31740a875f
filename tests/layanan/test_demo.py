import io
import time

import pytest

from layanan.constants import ApplicationStatus
from layanan.models import Application

pytestmark = pytest.mark.django_db


class FakeCommand:
    def __init__(self):
        self.stdout = io.StringIO()


def test_demo_seed_covers_every_state_and_is_idempotent(django_capture_on_commit_callbacks):
    from kupang_portal.accounts import demo as accounts_demo
    from layanan import demo

    command = FakeCommand()
    accounts_demo.seed(command)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(command)
    assert time.monotonic() - started < 20
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(ApplicationStatus.values)
    assert Application.objects.filter(applicant__username="warga").count() >= 9
    submitted = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    assert all(a.number and a.history().exists() for a in submitted)
    assert Application.objects.filter(service__code="PBG", office__code="PUPR").exists()
    count = Application.objects.count()
    demo.seed(command)
    assert Application.objects.count() == count
