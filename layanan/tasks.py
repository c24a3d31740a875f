"""Celery tasks: they only orchestrate; the rules are in layanan.services / layanan.workflow."""

from celery import shared_task

from kupang_portal.workflow import routing
from kupang_portal.workflow.engine import ConcurrentTransition

from . import services


@shared_task(name="layanan.tasks.route_application", bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def route_application(self, application_id, from_step):
    """Hand an application to the next office of its chain (routing queue). Idempotent: a
    redelivered task finds the step already advanced and does nothing."""
    try:
        return services.route_application(application_id, from_step)
    except ConcurrentTransition as exc:
        raise self.retry(exc=exc) from exc


@shared_task(name="layanan.tasks.periodic_route_pending", ignore_result=True)
def periodic_route_pending():
    """Re-send routing still pending after two minutes (lost task, broker outage)."""
    return routing.sweep(services.routing_waiting(), route_application, since_field="updated_at",
                         args=("pk", "current_step"))
