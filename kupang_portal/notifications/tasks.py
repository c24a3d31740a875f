"""Celery tasks for the outbox: they only orchestrate services and jobs."""

from celery import shared_task

from . import jobs, services


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_notification(self, notification_id):
    """Deliver one outbox row by id. Safe to run twice: the row lock and status check skip a row
    that another worker holds or already sent. Transient failures retry with exponential backoff
    (services.backoff_seconds) until NOTIFICATION_MAX_ATTEMPTS, then the row is marked failed."""
    result, retry_in = services.deliver(notification_id)
    if result == services.DeliveryResult.RETRY and not self.request.is_eager:
        raise self.retry(countdown=retry_in)
    return result


@shared_task(ignore_result=True)
def periodic_sweep_pending():
    """Re-enqueue rows still pending after a minute (broker outage, lost task, due retry)."""
    return services.sweep_pending()


@shared_task(ignore_result=True)
def periodic_deadline_reminders():
    """Due-soon reminders and overdue escalations for every case type (idempotent)."""
    return jobs.deadline_reminders()


@shared_task(ignore_result=True)
def periodic_daily_digest():
    """Morning summary for every office head (idempotent per head and day)."""
    return jobs.daily_digest()

