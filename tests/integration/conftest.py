"""A real Celery worker process against real Redis and the test PostgreSQL database.

Skipped (with the reason) unless REDIS_URL is set and the database is PostgreSQL. Tests using
these fixtures must be ``@pytest.mark.django_db(transaction=True)`` so the worker sees their rows.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from kupang_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
WORKER_REDIS_DB = 13  # keep test traffic away from the database `make up` uses
# Every test run gets its own key prefix on the broker, so parallel runs never take each other's tasks.
KEY_PREFIX = f"kupang-test-{os.getpid()}-{time.time_ns()}:"


def integration_redis_url(base=None):
    base = (base or os.environ.get("REDIS_URL", "")).rstrip("/")
    if base.count("/") >= 3 and base.rsplit("/", 1)[1].isdigit():
        base = base.rsplit("/", 1)[0]
    return f"{base}/{WORKER_REDIS_DB}"


@pytest.fixture
def require_services():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: integration tests need a real Redis")
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL: integration tests need a database shared with the worker")


def database_url_for_worker():
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """A `celery worker` subprocess; start/kill/restart it from a test."""

    def __init__(self, broker_url, tmp_path, extra_env=None, concurrency=2):
        self.broker_url = broker_url
        self.tmp_path = tmp_path
        self.extra_env = extra_env or {}
        self.concurrency = concurrency
        self.proc = None
        self.log = tmp_path / "worker.log"

    def env(self):
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url_for_worker(),
            REDIS_URL=self.broker_url,
            CELERY_BROKER_URL=self.broker_url,
            CELERY_TASK_ALWAYS_EAGER="0",
            CELERY_KEY_PREFIX=KEY_PREFIX,
            VAR_DIR=str(self.tmp_path / "var"),
            NOTIFICATION_FILE_DIR=str(self.tmp_path / "notifications"),
            PRIVATE_MEDIA_ROOT=str(self.tmp_path / "private"),
            CELERY_DB_REUSE_MAX="1000",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self):
        cmd = [sys.executable, "-m", "celery", "-A", "kupang_portal", "worker", "--loglevel", "INFO",
               "-Q", "default,notifications,routing,periodic", "--concurrency", str(self.concurrency),
               "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}-{time.time_ns()}@%h"]
        with open(self.log, "ab") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_ready()
        return self

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
            if b"ready." in self.log.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log.read_text()[-3000:]}")

    def kill(self):
        """SIGKILL the whole worker process group, as a crash would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        # The next start must look for its own "ready." line.
        self.log.write_bytes(b"")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def use_broker(broker_url):
    """Publish from this test process to ``broker_url``: drop cached connection/producer pools.

    Celery reads an exported ``CELERY_BROKER_URL`` before ``conf.broker_url``: when the shell
    exports one (a developer's or helper's environment), it is pointed at ``broker_url`` too, or
    the test would publish where the worker does not listen."""
    if "CELERY_BROKER_URL" in os.environ:
        os.environ["CELERY_BROKER_URL"] = broker_url
    celery_app.conf.broker_url = broker_url
    options = dict(celery_app.conf.broker_transport_options or {})
    options["global_keyprefix"] = KEY_PREFIX
    celery_app.conf.broker_transport_options = options
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def point_app_at(broker_url):
    """Make this test process publish to the real broker (not eagerly)."""
    celery_app.conf.task_always_eager = False
    use_broker(broker_url)


@pytest.fixture
def celery_worker_process(require_services, tmp_path, settings):
    broker_url = integration_redis_url()
    previous_broker = celery_app.conf.broker_url
    point_app_at(broker_url)
    settings.NOTIFICATION_FILE_DIR = tmp_path / "notifications"
    worker = Worker(broker_url, tmp_path).start()
    yield worker
    worker.stop()
    use_broker(previous_broker)


def wait_for(predicate, timeout=60, interval=0.2, message="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
