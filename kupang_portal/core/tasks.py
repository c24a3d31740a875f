"""Beat jobs of the core app."""

import logging

from celery import shared_task

from . import retention

logger = logging.getLogger(__name__)


@shared_task
def periodic_retention():
    """Remove personal data past its retention period (idempotent: nothing is due twice)."""
    items = retention.run()
    if items:
        logger.info("retention: personal data removed from %d cases", len(items))
    return len(items)
