"""Tasks only the benchmark uses (the worker it starts imports this module with --include)."""

from celery import shared_task


@shared_task(name="bench.noop", ignore_result=True, queue="notifications")
def noop():
    """Does nothing: the benchmark's baseline for the cost of a task on this broker and worker."""
    return None
