"""Celery tasks for the outbox: they only orchestrate services."""

from celery import shared_task

from . import services


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_notification(self, notification_id):
    result, retry_in = services.deliver(notification_id)
    if result == services.DeliveryResult.RETRY and not self.request.is_eager:
        raise self.retry(countdown=retry_in)
    return result


@shared_task(ignore_result=True)
def periodic_sweep_pending():
    """Re-enqueue rows still pending after a minute (broker outage, lost task, due retry)."""
    ids = services.pending_due()
    for notification_id in ids:
        services.enqueue_delivery(notification_id)
    return len(ids)
