"""Benchmark: outbox delivery rate against the cost of a no-op task, on one real worker.

Uses a dedicated PostgreSQL database (``kupang_bench`` on the server of DATABASE_URL, created and
migrated when missing; BENCH_DATABASE_URL overrides) and a Redis database (number BENCH_REDIS_DB,
default 14, on REDIS_URL's server) in which every key of the run carries its own prefix
(Celery's ``global_keyprefix``); at the end only the keys with that prefix are deleted, never the
whole database. One worker (--concurrency 2, prefetch 1, acks_late, DB connection reuse) serves
both phases:

  (a) no-op tasks per second: N ``noop`` tasks;
  (b) notifications per second: N SMS/WhatsApp outbox rows written with notify() (FileBackend
      channels), one delivery task each, enqueued on commit as in production.

In both phases the tasks are first published to a holding list, then moved onto the worker's
queue with one RENAME; the clock runs from the RENAME until the work is done: the queue and the
unacked set empty on two checks 20 ms apart (a message moving from the list to the unacked set
is briefly in neither) and, for (b), every row of the round marked sent (polled until then, the
clock stops at the first empty check after which no row was left pending). So the figures are the
worker's drain rates, not one publisher's.

What the ratio measures: a delivery (lock the outbox row, render nothing, append one line to a
file per channel, mark it sent: three statements and a commit) against a task that does nothing,
on the same worker. It is the outbox's overhead per message on top of Celery's, not a gateway's
speed.

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
# Every Redis key of this run starts with this; cleanup deletes exactly these keys.
KEY_PREFIX = f"kupang-bench-notify-{os.getpid()}-"


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
        NOTIFICATION_FILE_DIR=str(file_dir), CELERY_DB_REUSE_MAX="1000", CELERY_KEY_PREFIX=KEY_PREFIX,
        CACHE_KEY_PREFIX=KEY_PREFIX + "cache",
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
    with open(log_path, "wb") as log:  # the worker keeps its own descriptor
        return subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


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
    """Queue and unacked set empty twice, 20 ms apart: kombu moves a message from the list to the
    unacked hash in two steps, so one empty look can fall between them."""
    def empty():
        return redis_client.llen(KEY_PREFIX + "notifications") == 0 and redis_client.hlen(KEY_PREFIX + "unacked") == 0

    if not empty():
        return False
    time.sleep(0.02)
    return empty()


def cleanup(redis_client):
    keys = list(redis_client.scan_iter(match=f"{KEY_PREFIX}*", count=1000))
    for start in range(0, len(keys), 500):
        redis_client.delete(*keys[start:start + 500])
    return len(keys)


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
    if redis_client.llen(KEY_PREFIX + "notifications"):
        raise RuntimeError("the notifications queue is not empty")
    started = time.perf_counter()
    redis_client.rename(KEY_PREFIX + HOLD, KEY_PREFIX + "notifications")
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
    # The queue can look drained while the last task is still being processed: the rows decide.
    deadline = time.time() + 60
    while rows.exclude(status=Notification.Status.SENT).exists():
        if time.time() > deadline:
            pending = rows.exclude(status=Notification.Status.SENT).count()
            raise RuntimeError(f"{pending} of {total} rows not sent")
        time.sleep(0.01)
        finished = time.perf_counter()
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
        print(f"redis: deleted {cleanup(client)} keys of this run (prefix {KEY_PREFIX})", flush=True)
    lines = sum(len((workdir / "notifications" / f"{channel}.jsonl").read_text().splitlines()) for channel in ("sms", "whatsapp"))
    ratio, noop_rate, notification_rate = sorted(rounds)[len(rounds) // 2]  # the median round
    print(f"noop_tasks_per_second {noop_rate:.0f}")
    print(f"notifications_per_second {notification_rate:.0f} ({total} rows per round, {lines} lines written incl. warm-up)")
    print(f"RATIO notifications_vs_noop {ratio:.2f}")


if __name__ == "__main__":
    main()
