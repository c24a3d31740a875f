"""Benchmark: outbox delivery rate against the cost of a no-op task, on one real worker.

Uses a dedicated PostgreSQL database (``kupang_bench`` on the server of DATABASE_URL, created and
migrated when missing; BENCH_DATABASE_URL overrides) and a Redis database of its own (number
BENCH_REDIS_DB, default 14, on REDIS_URL's server; only that database is flushed). One worker
(--concurrency 2, prefetch 1, acks_late, DB connection reuse) serves both phases:

  (a) no-op tasks per second: N ``noop`` tasks;
  (b) notifications per second: N SMS/WhatsApp outbox rows written with notify() (FileBackend
      channels), one delivery task each, enqueued on commit as in production.

In both phases the tasks are first published to a holding list, then moved onto the worker's
queue with one RENAME; the clock runs from the RENAME until the queue and the unacked set are
empty (and, for (b), every row is checked to be sent). So the figures are the worker's drain
rates, not one publisher's.

Both phases alternate for BENCH_ROUNDS rounds (default 3); prints each round, the median round's
raw rates and ``RATIO notifications_vs_noop <b/a>`` of the median round.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("BENCH_NOTIFICATIONS", "2000"))
# Alternating rounds of both phases; the median ratio resists the noise of a shared 2-core machine.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
BENCH_DB = "kupang_bench"


def bench_urls():
    base_db = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base_db)
    database_url = os.environ.get("BENCH_DATABASE_URL") or urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    redis_base = (os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0").rstrip("/")
    if redis_base.rsplit("/", 1)[-1].isdigit() and redis_base.count("/") >= 3:
        redis_base = redis_base.rsplit("/", 1)[0]
    redis_url = f"{redis_base}/{int(os.environ.get('BENCH_REDIS_DB', '14'))}"
    return database_url, redis_url


def ensure_database(database_url):
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def configure(database_url, redis_url, file_dir):
    os.environ.update(
        DATABASE_URL=database_url, REDIS_URL=redis_url, CELERY_BROKER_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="0",
        NOTIFICATION_FILE_DIR=str(file_dir), CELERY_DB_REUSE_MAX="1000", CELERY_KEY_PREFIX="",
        NOTIFY_SMS_BACKEND="kupang_portal.notifications.backends.FileBackend",
        NOTIFY_WHATSAPP_BACKEND="kupang_portal.notifications.backends.FileBackend",
        DJANGO_SETTINGS_MODULE="kupang_portal.settings", LOG_LEVEL="WARNING",
    )
    os.environ.pop("SMS_GATEWAY_URL", None)
    os.environ.pop("WHATSAPP_GATEWAY_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def start_worker(log_path):
    cmd = [sys.executable, "-m", "celery", "-A", "kupang_portal", "worker", "--include", "bench.tasks", "--loglevel", "WARNING",
           "-Q", "notifications", "--concurrency", "2", "--prefetch-multiplier", "1",
           "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"]
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return proc


def wait_worker_ready(redis_client, proc, timeout=60):
    """Ready when it has taken a ping task off the queue (no result backend needed)."""
    from bench.tasks import noop

    noop.delay()
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("worker exited early")
        if drained(redis_client):
            return
        time.sleep(0.1)
    raise RuntimeError("worker not ready")


def drained(redis_client):
    return redis_client.llen("notifications") == 0 and redis_client.hlen("unacked") == 0


def wait_until(predicate, timeout=600, interval=0.005):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return time.perf_counter()
        time.sleep(interval)
    raise RuntimeError("timed out")


HOLD = "bench_hold"


def release(redis_client):
    """Move the held messages onto the worker's queue in one atomic step; returns the start time.

    Publishing from this one process (~400-1000 messages/s) would otherwise cap both phases: the
    benchmark measures what the worker drains, not what one publisher can put in."""
    if redis_client.llen("notifications"):
        raise RuntimeError("the notifications queue is not empty")
    started = time.perf_counter()
    redis_client.rename(HOLD, "notifications")
    return started


def phase_noop(redis_client, n):
    from bench.tasks import noop

    for _ in range(n):
        noop.apply_async(queue=HOLD)
    started = release(redis_client)
    finished = wait_until(lambda: drained(redis_client))
    return n / (finished - started)


def bench_users(count=20):
    from kupang_portal.accounts.models import User

    users = []
    for i in range(count):
        user, _created = User.objects.get_or_create(
            username=f"bench{i}",
            defaults={"phone": f"+62812900{i:05d}", "email": None, "notify_email": False, "notify_sms": True, "notify_whatsapp": True},
        )
        users.append(user)
    return users


def phase_notifications(redis_client, n):
    from django.db import transaction

    from kupang_portal.notifications import services
    from kupang_portal.notifications.models import Channel, Notification
    from kupang_portal.notifications.tasks import deliver_notification

    users = bench_users()
    batch = f"B{time.time_ns()}"
    per_call = 2  # SMS and WhatsApp (plus the in-app row, written as sent)
    original = services.enqueue_delivery
    # The same on_commit enqueue as in production, parked on the holding queue until release.
    services.enqueue_delivery = lambda pk: deliver_notification.apply_async((pk,), queue=HOLD)
    try:
        with transaction.atomic():
            for i in range(n // per_call):
                services.notify("application_completed", [users[i % len(users)]], {"service": "KTP-el baru", "instructions": "Dokumen dapat diunduh di portal."},
                                link="/lacak/x/", case_number=f"{batch}-{i:06d}", channels=[Channel.SMS, Channel.WHATSAPP])
    finally:
        services.enqueue_delivery = original
    rows = Notification.objects.filter(case_number__startswith=batch, channel__in=[Channel.SMS, Channel.WHATSAPP])
    total = rows.count()
    started = release(redis_client)
    finished = wait_until(lambda: drained(redis_client))
    pending = rows.exclude(status=Notification.Status.SENT).count()
    if pending:
        raise RuntimeError(f"{pending} of {total} rows not sent")
    return total / (finished - started), total


def main():
    database_url, redis_url = bench_urls()
    ensure_database(database_url)
    workdir = Path(tempfile.mkdtemp(prefix="kupang-bench-"))
    configure(database_url, redis_url, workdir / "notifications")

    import redis
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    client = redis.Redis.from_url(redis_url)
    client.flushdb()  # the bench's own database number only
    proc = start_worker(workdir / "worker.log")
    try:
        wait_worker_ready(client, proc)
        phase_noop(client, 200)  # warm-up: forked children, connections
        phase_notifications(client, 200)
        rounds = []
        for _ in range(ROUNDS):
            noop_rate = phase_noop(client, N)
            notification_rate, total = phase_notifications(client, N)
            rounds.append((notification_rate / noop_rate, noop_rate, notification_rate))
            print(f"round: noop {noop_rate:.0f}/s, notifications {notification_rate:.0f}/s, ratio {rounds[-1][0]:.2f}", flush=True)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    lines = sum(1 for _ in open(workdir / "notifications" / "sms.jsonl")) + sum(1 for _ in open(workdir / "notifications" / "whatsapp.jsonl"))
    ratio, noop_rate, notification_rate = sorted(rounds)[len(rounds) // 2]  # the median round
    print(f"noop_tasks_per_second {noop_rate:.0f}")
    print(f"notifications_per_second {notification_rate:.0f} ({total} rows per round, {lines} lines written incl. warm-up)")
    print(f"RATIO notifications_vs_noop {ratio:.2f}")


if __name__ == "__main__":
    main()
