"""Celery tasks for complaints: they only orchestrate ``pengaduan.services``."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from kupang_portal.workflow import engine

from . import services
from .models import Complaint, Status


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
        raise self.retry(exc=exc, countdown=2)
    return "routed" if event else "skipped"


@shared_task(ignore_result=True)
def periodic_autoclose_responded():
    """Close complaints 10 working days after the office's response without a reply (idempotent)."""
    return services.autoclose_due()


@shared_task(ignore_result=True)
def periodic_route_pending():
    """Re-enqueue complaints whose routing task was lost (broker outage): unrouted after 2 minutes."""
    stale = timezone.now() - timedelta(minutes=2)
    pending = list(Complaint.objects.filter(status=Status.SUBMITTED, routed_at__isnull=True, created_at__lt=stale)
                   .values_list("pk", flat=True)[:500])
    for pk in pending:
        services.enqueue_routing(pk)
    return len(pending)
