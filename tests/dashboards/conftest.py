"""A hand-counted month (November 2026, WITA) built through the real workflow engine.

Tuesday 10 November is made a holiday. Every figure the dashboard shows for 1-30 November is
worked out by hand in tests/dashboards/test_figures.py from the timeline below.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kupang_portal.accounts.roles import Role
from kupang_portal.dashboards import selectors
from kupang_portal.organization.calendar import clear_holiday_cache
from kupang_portal.organization.models import Holiday
from kupang_portal.workflow import engine
from kupang_portal.workflow.models import CaseEvent
from layanan.models import Service
from pengaduan import services as complaint_services
from pengaduan.models import Category, Kind
from tests import factories
from tests.layanan.conftest import make_draft
from tests.pengaduan.conftest import file_complaint

WITA = ZoneInfo("Asia/Makassar")


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Cached figures are keyed by the data version: a new version hides what other tests cached
    (without clearing a shared cache)."""
    selectors.bump_data_version()
    yield
    selectors.bump_data_version()


class Month:
    """The people and cases of the hand-counted month."""


def _app(resident, clerk, submit_at):
    app = make_draft(resident)
    engine.perform(app, "submit", resident, now=submit_at)
    return app


def _do(case, name, actor, when, note="", data=None):
    engine.perform(case, name, actor, note=note, data=data, now=when)
    case.refresh_from_db()


@pytest.fixture
def november(db):
    m = Month()
    Holiday.objects.create(date=dt.date(2026, 11, 10), name="Libur daerah (uji)", kind=Holiday.Kind.LOCAL)
    clear_holiday_cache()
    Service.objects.filter(code="KTP_EL_BARU").update(completion_days=5)
    Category.objects.filter(service_code="sampah").update(follow_up_days=5)
    m.resident = factories.resident()
    m.clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    m.head = factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL")
    m.verifier = factories.staff(Role.VERIFIER, "BAG_ORGANISASI")
    m.supervisor = factories.staff(Role.SUPERVISOR)
    r, c = m.resident, m.clerk

    # A1: revision pause (Wed 4 -> Mon 9: 3 working days) and the holiday; completed Thu 12, on time.
    a1 = _app(r, c, wita(2026, 11, 2, 10, 0))
    engine.assign(a1, c, c, now=wita(2026, 11, 3, 8, 0))
    _do(a1, "verify", c, wita(2026, 11, 3, 9, 0))
    _do(a1, "request_revision", c, wita(2026, 11, 4, 10, 0), note="Foto KK buram")
    # History rows take the database's clock; in production that is the moment of the change.
    CaseEvent.objects.filter(transition="request_revision", object_id=a1.pk).update(created_at=wita(2026, 11, 4, 10, 0))
    _do(a1, "resubmit", r, wita(2026, 11, 9, 8, 0))
    _do(a1, "verify", c, wita(2026, 11, 9, 10, 0))
    _do(a1, "process", c, wita(2026, 11, 11, 9, 0))
    _do(a1, "complete", c, wita(2026, 11, 12, 14, 0))
    # A2: crosses midnight WITA: submitted Thu 5 00:30 WITA (Wed 4 in UTC), completed Fri 6 00:15 WITA.
    a2 = _app(r, c, wita(2026, 11, 5, 0, 30))
    engine.assign(a2, c, c, now=wita(2026, 11, 5, 0, 40))
    _do(a2, "verify", c, wita(2026, 11, 5, 0, 45))
    _do(a2, "process", c, wita(2026, 11, 5, 0, 50))
    _do(a2, "complete", c, wita(2026, 11, 6, 0, 15))
    # A3: rejected Tue 17.
    a3 = _app(r, c, wita(2026, 11, 16, 9, 0))
    _do(a3, "verify", c, wita(2026, 11, 16, 11, 0))
    _do(a3, "reject", c, wita(2026, 11, 17, 10, 0), note="Bukan domisili Kota Kupang")
    # A4: withdrawn by the resident the same day.
    a4 = _app(r, c, wita(2026, 11, 16, 9, 30))
    _do(a4, "withdraw", r, wita(2026, 11, 16, 15, 0))
    # A5: still open at the end of the month (verified Tue 3).
    a5 = _app(r, c, wita(2026, 11, 2, 11, 0))
    _do(a5, "verify", c, wita(2026, 11, 3, 9, 30))
    # A6: completed late: submitted Mon 16, deadline Mon 23, completed Wed 25 (7 working days).
    a6 = _app(r, c, wita(2026, 11, 16, 8, 0))
    engine.assign(a6, c, c, now=wita(2026, 11, 16, 8, 30))
    _do(a6, "verify", c, wita(2026, 11, 16, 9, 0))
    _do(a6, "process", c, wita(2026, 11, 17, 9, 0))
    _do(a6, "complete", c, wita(2026, 11, 25, 10, 0))
    m.apps = [a1, a2, a3, a4, a5, a6]

    v = m.verifier

    def complaint(when):
        case = file_complaint(r, code="sampah", kind=Kind.COMPLAINT, now=when, route=False).complaint
        # created_at is set by the database; the desk's clock runs from it (see pengaduan.workflow).
        type(case).objects.filter(pk=case.pk).update(created_at=when)
        case.refresh_from_db()
        complaint_services.route(case, now=when + dt.timedelta(minutes=1))
        case.refresh_from_db()
        return case

    def office_clerk(case):
        if not hasattr(m, "complaint_clerk"):
            m.complaint_clerk = factories.staff(Role.CLERK, case.office.code)
        return m.complaint_clerk

    # C1: verified Wed 4 (2 days, on time), responded Mon 9 (3 days), reopened Wed 11, responded again
    # Fri 13 (6 working days after disposition: late), rated 4, closed by the reporter Mon 16.
    c1 = complaint(wita(2026, 11, 2, 10, 0))
    complaint_services.dispose(c1, v, now=wita(2026, 11, 4, 9, 0))
    c1.refresh_from_db()
    k = office_clerk(c1)
    engine.assign(c1, k, k, now=wita(2026, 11, 4, 9, 30))
    _do(c1, "start", k, wita(2026, 11, 4, 10, 0))
    _do(c1, "respond", k, wita(2026, 11, 9, 10, 0), data={"text": "Sudah diangkut."})
    _do(c1, "reopen", r, wita(2026, 11, 11, 9, 0), note="Masih menumpuk")
    _do(c1, "respond", k, wita(2026, 11, 13, 10, 0), data={"text": "Sudah diangkut seluruhnya."})
    complaint_services.rate_response(c1, 4, user=r, now=wita(2026, 11, 13, 12, 0))
    _do(c1, "close", r, wita(2026, 11, 16, 10, 0))
    # C2: verified Wed 11 (Fri 6, Mon 9, Wed 11 = 3 days thanks to the holiday: on time), responded
    # Thu 12, closed automatically Fri 27.
    c2 = complaint(wita(2026, 11, 5, 8, 0))
    complaint_services.dispose(c2, v, now=wita(2026, 11, 11, 10, 0))
    c2.refresh_from_db()
    engine.assign(c2, k, k, now=wita(2026, 11, 11, 10, 30))
    _do(c2, "start", k, wita(2026, 11, 11, 11, 0))
    _do(c2, "respond", k, wita(2026, 11, 12, 10, 0), data={"text": "Sudah ditangani."})
    _do(c2, "autoclose", None, wita(2026, 11, 27, 8, 0))
    # C3: rejected by the desk.
    c3 = complaint(wita(2026, 11, 16, 9, 0))
    _do(c3, "reject", v, wita(2026, 11, 16, 13, 0), note="Duplikat", data={"reason": "duplikat"})
    # C4: still waiting at the desk (its 3 working days ended Thu 5).
    c4 = complaint(wita(2026, 11, 2, 12, 0))
    # C5: verified late Mon 23 (4 working days), in progress at the end of the month.
    c5 = complaint(wita(2026, 11, 17, 10, 0))
    complaint_services.dispose(c5, v, now=wita(2026, 11, 23, 10, 0))
    c5.refresh_from_db()
    _do(c5, "start", k, wita(2026, 11, 23, 11, 0))
    m.complaints = [c1, c2, c3, c4, c5]
    return m
