"""20 people book the last 5 places at once on PostgreSQL: exactly 5 succeed, the others get a
clear message and the next free slot; the slot counter never exceeds its capacity."""

import threading

import pytest
from django.db import connection, connections

from antrean import services
from antrean.constants import BookingStatus
from antrean.models import Booking, Slot
from tests import factories

from .conftest import make_schedule

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (concurrent writers); SQLite serialises them"),
]


def _run(target, args_list):
    errors = []

    def wrapper(*args):
        try:
            target(*args)
        except Exception as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapper, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_twenty_bookers_for_the_last_five_places(monday_pg):
    import datetime as dt

    # 8 online places per slot (capacity 10, 20 % kept for walk-ins); 3 are taken already -> 5 left
    schedule = make_schedule(capacity=10, walkin=20)
    start = dt.time(8, 0)
    for _ in range(3):
        person = factories.resident()
        services.confirm(services.hold(schedule, monday_pg, start, person), person)
    people = [factories.resident() for _ in range(20)]
    barrier = threading.Barrier(len(people))
    results = {}

    def attempt(person_id):
        from kupang_portal.accounts.models import User

        person = User.objects.get(pk=person_id)
        barrier.wait(30)
        try:
            booking = services.hold(schedule, monday_pg, start, person)
            services.confirm(booking, person)
            results[person_id] = "ok"
        except services.SlotFull as exc:
            results[person_id] = exc

    errors = _run(attempt, [(p.pk,) for p in people])
    assert errors == []
    succeeded = [k for k, v in results.items() if v == "ok"]
    refused = [v for v in results.values() if v != "ok"]
    assert len(succeeded) == 5 and len(refused) == 15
    for exc in refused:
        assert "sudah penuh" in exc.message
        assert exc.next_free is not None and exc.next_free["start"] == dt.time(8, 30) and exc.next_free["date"] == monday_pg
    slot = Slot.objects.get(schedule=schedule, date=monday_pg, start=start)
    assert slot.booked == 8 == slot.capacity - slot.reserved
    assert Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 8


@pytest.fixture
def monday_pg(request):
    return request.getfixturevalue("monday")
