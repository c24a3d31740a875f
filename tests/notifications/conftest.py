"""Fixtures for the notification tests.

The integration fixtures (a real worker on real Redis) come from tests/integration/conftest.py;
``reminder_case_model`` is the test-only case type of tests.caseapp, since the real case types
(layanan, pengaduan) are other apps' business.
"""

import pytest

from tests.integration.conftest import celery_worker_process, require_services  # noqa: F401 (fixtures)


@pytest.fixture
def reminder_case_model():
    """A concrete case type for the reminder jobs: the test-only ticket of tests.caseapp."""
    from tests.caseapp.models import Ticket

    return Ticket


@pytest.fixture
def make_worker(require_services, tmp_path, settings):  # noqa: F811 (the imported fixture)
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
