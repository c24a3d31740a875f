"""Celery tasks for complaints: they only orchestrate ``pengaduan.services``."""

from celery import shared_task

from kupang_portal.workflow import engine, routing

from . import pending_photos, services
from .models import Complaint


@shared_task(bind=True, acks_late=True, max_retries=5, ignore_result=True)
def route_complaint(self, complaint_id):
    """Apply the routing rules to a new complaint and notify the desk (queue "routing").

    Idempotent: a complaint already routed (or no longer waiting) is left alone, so a redelivered
    task does nothing twice. A concurrent change is retried.
    """
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return "missing"
    try:
        event = services.route(complaint)
    except engine.ConcurrentTransition as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=2) from exc
    return "routed" if event else "skipped"


@shared_task(ignore_result=True)
def periodic_autoclose_responded():
    """Close complaints 10 working days after the office's response without a reply (idempotent)."""
    return services.autoclose_due()


@shared_task(ignore_result=True)
def periodic_route_pending():
    """Re-send routing of complaints still unrouted after 2 minutes (lost task, broker outage)."""
    return routing.sweep(services.routing_waiting(), route_complaint, since_field="created_at")


@shared_task(ignore_result=True)
def periodic_purge_pending_photos():
    """Delete photos of complaint forms never sent, older than PENGADUAN_PENDING_PHOTO_MAX_AGE_HOURS."""
    return pending_photos.purge_abandoned()
