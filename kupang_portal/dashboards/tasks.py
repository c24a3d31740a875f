"""Celery tasks of the dashboards: thin wrappers over ``services`` (beat schedule in settings)."""

from celery import shared_task

from . import services


@shared_task(time_limit=900, soft_time_limit=840)
def periodic_fill_today():
    """Every few minutes: today's and yesterday's buckets (the last minutes before midnight)."""
    services.resume_unfinished()
    return services.fill_recent(1, "today").pk


@shared_task(time_limit=3600, soft_time_limit=3500)
def periodic_fill_last_week():
    """Nightly: recompute the last 7 days (late changes, reopenings)."""
    services.resume_unfinished()
    return services.fill_recent(7, "nightly").pk


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True)
def run_export(job_id):
    job = services.run_export(job_id)
    return job.pk if job else None
