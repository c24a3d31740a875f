"""Parallel submissions on PostgreSQL: distinct numbers, one application per form."""

import threading

import pytest
from django.db import connection, connections

from kupang_portal.workflow import engine
from layanan.models import Application

from .conftest import make_draft

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks); SQLite serialises writers"),
]


def _run_in_threads(target, args_list):
    errors = []

    def wrapper(*args):
        try:
            target(*args)
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapper, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_parallel_submissions_get_distinct_numbers(resident, other_resident):
    drafts = [make_draft(resident if i % 2 else other_resident, "KK_BARU") for i in range(8)]
    barrier = threading.Barrier(len(drafts))

    def submit(pk):
        app = Application.objects.get(pk=pk)
        barrier.wait(10)
        engine.perform(app, "submit", app.applicant)

    errors = _run_in_threads(submit, [(d.pk,) for d in drafts])
    assert errors == []
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(numbers) == 8 and len(set(numbers)) == 8
    assert all(n.startswith("KK-") for n in numbers)


def test_concurrent_double_submit_of_one_draft(resident):
    draft = make_draft(resident)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        app = Application.objects.get(pk=draft.pk)
        barrier.wait(10)
        try:
            engine.perform(app, "submit", resident)
            outcomes.append("ok")
        except engine.TransitionError:
            outcomes.append("refused")

    _run_in_threads(submit, [(), ()])
    assert sorted(outcomes) == ["ok", "refused"]
    assert Application.objects.get(pk=draft.pk).history().filter(transition="submit").count() == 1
