"""Rollup fills: idempotent per day, progress recorded, a crashed fill resumes where it stopped."""

import datetime as dt

import pytest

from kupang_portal.dashboards import services
from kupang_portal.dashboards.models import DailyRollup, FillRun

pytestmark = pytest.mark.django_db


def test_a_crashed_fill_resumes_after_the_last_finished_day(november, monkeypatch):
    first, last = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    real_fill_day = services.fill_day
    calls, crashed = [], []

    def crashing(day, table=None):
        calls.append(day)
        if day == dt.date(2026, 11, 12) and not crashed:
            crashed.append(day)
            raise RuntimeError("worker lost")
        return real_fill_day(day, table)

    monkeypatch.setattr(services, "fill_day", crashing)
    with pytest.raises(RuntimeError):
        services.fill_range(first, last)
    run = FillRun.objects.get()
    assert (run.status, run.done_through) == (FillRun.Status.FAILED, dt.date(2026, 11, 11))
    assert "worker lost" in run.error
    calls.clear()
    resumed = services.resume_unfinished()
    assert [r.pk for r in resumed] == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.done_through) == (FillRun.Status.DONE, last)
    assert calls[0] == dt.date(2026, 11, 12) and len(calls) == 19  # 12..30, nothing before again
    # The result equals a fill that never crashed.
    crashed = sorted(DailyRollup.objects.values_list("day", "case_type", "received", "completed"))
    DailyRollup.objects.all().delete()
    services.fill_range(first, last)
    assert sorted(DailyRollup.objects.values_list("day", "case_type", "received", "completed")) == crashed


def test_filling_a_day_twice_gives_the_same_rows(november):
    day = dt.date(2026, 11, 16)
    services.fill_day(day)
    first = sorted(DailyRollup.objects.filter(day=day).values_list("case_type", "office_id", "received", "completed", "rejected", "withdrawn"))
    services.fill_day(day)
    assert sorted(DailyRollup.objects.filter(day=day).values_list("case_type", "office_id", "received", "completed", "rejected", "withdrawn")) == first
    assert sum(r[2] for r in first) == 4  # A3, A4, A6, C3 submitted Mon 16


def test_backfill_command_and_beat_tasks(november):
    from django.core.management import call_command

    from kupang_portal.dashboards import tasks

    call_command("fill_dashboards", "--from", "2026-11-01", "--to", "2026-11-30")
    assert FillRun.objects.get().status == FillRun.Status.DONE
    assert DailyRollup.objects.filter(day__month=11).exists()
    tasks.periodic_fill_today()
    tasks.periodic_fill_last_week()
    assert FillRun.objects.filter(kind="today", status="done").exists()
    assert FillRun.objects.filter(kind="nightly", status="done").exists()
