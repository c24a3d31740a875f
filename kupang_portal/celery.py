"""Celery application: JSON only, late acks, named queues, beat schedule from settings."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kupang_portal.settings")

app = Celery("kupang_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "notifications", "routing", "periodic")]
app.autodiscover_tasks()
