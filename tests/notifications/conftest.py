"""Fixtures for the notification tests.

The integration fixtures (a real worker on real Redis) come from tests/integration/conftest.py;
``reminder_case_model`` is a concrete Case subclass that exists only while test_jobs runs, since
the real case types (layanan, pengaduan) are other apps' business.
"""

import pytest
from django.apps import apps
from django.db import connection, models

from tests.integration.conftest import celery_worker_process, require_services  # noqa: F401

_MODEL = {}


def _define_reminder_case():
    from kupang_portal.workflow.models import Case

    class ReminderCase(Case):
        number = models.CharField(max_length=40, blank=True)
        open_states = ("submitted", "in_process")

        class Meta:
            app_label = "notifications"
            db_table = "test_notifications_remindercase"

        def __str__(self):
            return self.number or f"RC-{self.pk}"

        @property
        def sla_title(self):
            return f"Uji {self.number}"

    return ReminderCase


@pytest.fixture(scope="module")
def reminder_case_model(django_db_setup, django_db_blocker):
    model = _MODEL.get("model")
    if model is None:
        model = _MODEL["model"] = _define_reminder_case()
    elif model._meta.model_name not in apps.all_models["notifications"]:
        apps.register_model("notifications", model)
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(model)
    yield model
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.delete_model(model)
    # Unregister, so nothing else in the session (e.g. a missing-migrations check) sees it.
    del apps.all_models["notifications"][model._meta.model_name]
    apps.clear_cache()


@pytest.fixture
def make_worker(require_services, tmp_path, settings):
    """Start real Celery workers with extra environment (backends, gateway URL) on a broker URL
    (by default the integration Redis database); stops them and restores the app afterwards."""
    from kupang_portal.celery import app as celery_app
    from tests.integration.conftest import Worker, integration_redis_url, point_app_at, use_broker

    previous = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    settings.NOTIFICATION_FILE_DIR = tmp_path / "notifications"
    started = []

    def start(extra_env=None, broker_url=None, concurrency=2):
        url = broker_url or integration_redis_url()
        point_app_at(url)  # with this run's own key prefix, which the worker gets too
        worker = Worker(url, tmp_path, extra_env=extra_env, concurrency=concurrency)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()
    use_broker(previous[0])
    celery_app.conf.broker_transport_options = previous[1]
