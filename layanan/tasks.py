"""Celery tasks: they only orchestrate; the rules are in layanan.services / layanan.workflow."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="layanan.tasks.route_application", bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def route_application(self, application_id, from_step):
    """Hand an application to the next office of its chain (routing queue). Idempotent: a
    redelivered task finds the step already advanced and does nothing."""
    from kupang_portal.workflow.engine import ConcurrentTransition

    from . import services

    try:
        return services.route_application(application_id, from_step)
    except ConcurrentTransition as exc:
        raise self.retry(exc=exc)


def enqueue_routing(application_id, from_step):
    """Called on commit of "finish_step". A broker outage is logged; periodic_route_pending retries."""
    try:
        route_application.delay(application_id, from_step)
    except Exception:  # pragma: no cover - broker down
        logger.exception("could not enqueue routing of application %s", application_id)


@shared_task(name="layanan.tasks.periodic_route_pending", ignore_result=True)
def periodic_route_pending():
    """Re-enqueue routing that is still pending after two minutes (lost task, broker outage)."""
    from . import services

    pending = services.routing_overdue()
    for application_id, step in pending:
        enqueue_routing(application_id, step)
    return len(pending)
