"""Counter visits (antrean) on the performance page: per office and service, within the scope."""

import datetime as dt

import pytest

from antrean import services as visits
from antrean.models import BookingStatus
from kupang_portal.accounts.roles import Role
from kupang_portal.dashboards import selectors
from kupang_portal.dashboards.filters import Filters
from tests import factories
from tests.antrean.conftest import book, make_schedule, next_weekday, wita

pytestmark = pytest.mark.django_db


def test_visit_rows_by_hand_and_scoped():
    schedule = make_schedule()
    monday = next_weekday(0)
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    came, missed = book(schedule, factories.resident(), monday, "08:00"), book(schedule, factories.resident(), monday, "08:30")
    visits.check_in(came, clerk, now=wita(monday, "08:00"))
    visits.start_service(came, clerk, now=wita(monday, "08:12"))  # waited 12 minutes
    visits.finish_service(came, clerk, now=wita(monday, "08:20"))  # served 8 minutes
    visits.mark_no_shows(now=wita(monday, "11:00"))
    missed.refresh_from_db()
    assert missed.status == BookingStatus.NO_SHOW
    period = Filters(start=monday - dt.timedelta(days=1), end=monday)

    head = selectors.scope_for(factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL"))
    (row,) = selectors.visit_rows(head, period)
    # booked 2, attended 1, no-show 1 of 2 decided = 50 %, median wait 12, median service 8
    assert (row["booked"], row["attended"], row["no_show_rate"], row["wait_minutes"], row["service_minutes"]) == (2, 1, 50.0, 12.0, 8.0)
    assert selectors.visit_rows(selectors.scope_for(factories.staff(Role.OFFICE_HEAD, "DPMPTSP")), period) == []
    assert selectors.visit_rows(selectors.scope_for(factories.staff(Role.VERIFIER, "BAG_ORGANISASI")), period) == []


def test_performance_page_shows_the_visit_table(client):
    client.force_login(factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL"))
    response = client.get("/dasbor/kinerja/")
    assert response.status_code == 200 and 'data-testid="visits"' in response.content.decode()
