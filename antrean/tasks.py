"""Celery tasks of the antrean app: they only call services (idempotent, safe to run twice)."""

from datetime import datetime

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def periodic_sweep():
    """Every minute: expired holds give their place back; missed visits become no-shows."""
    return {"released": services.release_expired_holds(), "no_shows": services.mark_no_shows()}


@shared_task(ignore_result=True)
def periodic_reminders(which, at=None):
    """``which`` = "today" (morning of the visit) or "next" (the working day before); ``at`` (ISO
    datetime) replays a run for another moment, e.g. after an outage."""
    return services.send_reminders(which, now=datetime.fromisoformat(at) if at else None)
