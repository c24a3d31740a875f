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


def test_two_simultaneous_posts_of_a_new_form_give_one_application(resident):
    """The whole submit is one transaction now: the second request waits on the form token's
    unique index, then finds the first one's application and answers "already submitted"."""
    from django.test import Client

    from .conftest import pdf_file, post_data, service

    svc = service("KTP_EL_BARU")
    token = "6a1f2b3c-1111-4222-8333-444455556666"
    barrier = threading.Barrier(2)
    responses = []

    def post():
        client = Client()
        client.force_login(resident)
        files = {r.field_name: pdf_file(f"{r.order}.pdf") for r in svc.requirements.all()}
        barrier.wait(10)
        responses.append(client.post(svc.get_apply_url(), post_data(svc, token=token, files=files)))

    assert _run_in_threads(post, [(), ()]) == []
    apps = list(Application.objects.filter(applicant=resident))
    assert len(apps) == 1 and apps[0].number
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"].split("?")[0] for r in responses} == {apps[0].get_absolute_url()}
    assert apps[0].history().filter(transition="submit").count() == 1
