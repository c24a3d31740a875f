"""Hand a case to a Celery task after the commit; sweep what the broker lost.

Every case type routes the same way: the transition's effect calls ``after_commit`` (the task
starts only once the change is visible to the worker); if the broker is down the send is only
logged, and a periodic task calls ``sweep`` over the cases still waiting, which sends them again.
Routing tasks are idempotent, so a case sent twice is routed once.
"""

import datetime
import logging

from django.utils import timezone

logger = logging.getLogger(__name__)
SWEEP_AFTER_SECONDS = 120
SWEEP_LIMIT = 500


def enqueue(task, *args):
    try:
        task.delay(*args)
    except Exception:  # broker down: the sweep sends it again
        logger.warning("could not enqueue %s%r; the sweep will retry", task.name, args, exc_info=True)
        return False
    return True


def after_commit(ctx, task, *args):
    """Send ``task(*args)`` once the transition in ``ctx`` has committed."""
    ctx.on_commit.append(lambda: enqueue(task, *args))


def sweep(waiting, task, *, since_field, args=("pk",), older_than_seconds=SWEEP_AFTER_SECONDS, limit=SWEEP_LIMIT,
          now=None):
    """Send ``task`` again for cases of ``waiting`` (a queryset of cases still waiting for it)
    whose ``since_field`` is older than ``older_than_seconds``. Returns how many were sent."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=older_than_seconds)
    rows = list(waiting.filter(**{f"{since_field}__lt": cutoff}).order_by(since_field).values_list(*args)[:limit])
    for row in rows:
        enqueue(task, *row)
    return len(rows)
