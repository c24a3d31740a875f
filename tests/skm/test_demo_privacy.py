"""seed_demo gives every active office an SKM result and publishes one with an RTL;
/transparansi/ and its open data carry no personal data of the demo residents."""

import io
import re

import pytest
from django.core.cache import cache

from kupang_portal.accounts.demo import DEMO_ACCOUNTS
from kupang_portal.organization.models import Office
from layanan.demo import EXTRA_RESIDENTS
from layanan.models import SkmReport
from layanan.skm import periods, selectors
from layanan.skm.demo import RESPONDENTS
from pengaduan import app_settings

pytestmark = pytest.mark.django_db


class FakeCommand:
    def __init__(self):
        self.stdout = io.StringIO()


def _seed():
    from kupang_portal.accounts import demo as accounts_demo
    from layanan import demo as layanan_demo
    from pengaduan import demo as pengaduan_demo

    command = FakeCommand()
    for module in (accounts_demo, layanan_demo, pengaduan_demo):
        module.seed(command)
    layanan_demo.seed_late(command)
    return command


def _needles():
    people = [(name, phone, None) for _u, name, _r, _o, _m, _e, phone in DEMO_ACCOUNTS if _r == "warga"]
    people += [(name, phone, nik) for _u, name, _e, phone, nik in EXTRA_RESIDENTS + RESPONDENTS]
    people.append(("Maria Ndolu", "+6281234500001", "5371014512920004"))
    needles = set()
    for name, phone, nik in people:
        needles.add(name)
        needles.update(part for part in name.split() if len(part) > 3)
        if phone:
            needles.update({phone, "0" + phone[3:], phone[1:]})
        if nik:
            needles.add(nik)
    return needles


def test_demo_has_results_everywhere_and_the_public_side_nothing_personal(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = _seed().stdout.getvalue()
    assert "diterbitkan dengan RTL" in output
    report = SkmReport.objects.get(published_at__isnull=False)
    assert report.office.code == "DISDUKCAPIL" and report.actions.count() >= 2
    assert report.snapshot["meets_sample"] is True
    current = periods.containing()
    offices = Office.objects.filter(is_active=True).exclude(code=app_settings.desk_office_code())
    with_result = {o.code for o in offices if selectors.office_results(o, current)["result"]}
    assert with_result == {o.code for o in offices}

    cache.clear()
    bodies = {
        "page": client.get("/transparansi/").content.decode(),
        "csv": client.get("/transparansi/data.csv").content.decode(),
        "json": client.get("/transparansi/data.json").content.decode(),
        "report": client.get(report.get_absolute_url()).content.decode(),
    }
    assert "Dukcapil" in bodies["page"] and "DISDUKCAPIL" in bodies["csv"]
    for where, body in bodies.items():
        for needle in _needles():
            assert needle not in body, (where, needle)
        assert not re.search(r"\b53\d{14}\b", body), where  # no NIK-shaped number at all
        assert "Yohanes" not in body  # the demo suggestion that names an officer is hidden
