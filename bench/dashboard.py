"""Benchmark: the supervisor dashboard stays flat from 10 thousand to a million cases.

Builds two PostgreSQL databases on DATABASE_URL's server (``kupang_bench_dash_small`` and
``kupang_bench_dash_large``, dropped and recreated each run), fills each with the one data
generator (``manage.py generate_cases``: BENCH_DASHBOARD_SMALL cases, default 10,000, and
BENCH_DASHBOARD_CASES, default 1,000,000), fills the rollups for the whole 2 years
(``manage.py fill_dashboards``), then serves each with gunicorn (2 sync workers, the project's
settings with DEBUG off, plus a "floor" view) and measures, logged in as a city supervisor
(``pimpinan``) with the default filters:

- median latency of ``/dasbor/`` (one client, BENCH_DASHBOARD_REQUESTS requests, default 200, after
  a warm-up) at both sizes -> ``RATIO dashboard_1m_vs_10k`` (goal <= 1.5);
- requests/s of ``/dasbor/`` and of the floor view (a logged-in view that reads one pre-aggregated
  row set: today's rollup rows) with 2 concurrent clients on the large database ->
  ``RATIO dashboard_vs_rollup_floor`` (goal >= 0.5);
- the generator's rows/s (all tables, COPY with indexes rebuilt after the load).

Redis: the cache lives in database BENCH_REDIS_DB (default 14) under a key prefix of this run
only; nothing is flushed. Set BENCH_DASHBOARD_KEEP=1 to reuse databases of a previous run of the
same sizes (no generation then: rows/s is not printed).
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SMALL = int(os.environ.get("BENCH_DASHBOARD_SMALL", "10000"))
LARGE = int(os.environ.get("BENCH_DASHBOARD_CASES", "1000000"))
REQUESTS = int(os.environ.get("BENCH_DASHBOARD_REQUESTS", "200"))
SECONDS = float(os.environ.get("BENCH_DASHBOARD_SECONDS", "20"))
KEEP = os.environ.get("BENCH_DASHBOARD_KEEP") == "1"


def urls(name):
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base)
    database_url = urlunsplit(parts._replace(path=f"/{name}"))
    redis_base = (os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0").rstrip("/")
    if redis_base.rsplit("/", 1)[-1].isdigit() and redis_base.count("/") >= 3:
        redis_base = redis_base.rsplit("/", 1)[0]
    return database_url, f"{redis_base}/{int(os.environ.get('BENCH_REDIS_DB', '14'))}"


def admin_connection(database_url):
    import psycopg2

    connection = psycopg2.connect(urlunsplit(urlsplit(database_url)._replace(path="/postgres")))
    connection.autocommit = True
    return connection


def database_cases(database_url):
    import psycopg2

    try:
        connection = psycopg2.connect(database_url)
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT (SELECT count(*) FROM layanan_application) + (SELECT count(*) FROM pengaduan_complaint)")
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return None
    finally:
        connection.close()


def recreate(database_url):
    name = urlsplit(database_url).path.lstrip("/")
    admin = admin_connection(database_url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def env_for(database_url, redis_url, prefix):
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, CELERY_BROKER_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="1",
               DJANGO_SETTINGS_MODULE="bench._dashboard_settings", BENCH_CACHE_PREFIX=prefix, DEBUG="1",
               LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT), CONN_MAX_AGE="600")
    return env


def manage(env, *args, capture=False):
    cmd = [sys.executable, "manage.py", *args]
    result = subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True,
                            stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    return result.stdout if capture else None


def prepare(label, cases, prefix):
    database_url, redis_url = urls(f"kupang_bench_dash_{label}")
    env = env_for(database_url, redis_url, prefix)
    stats = None
    if KEEP and database_cases(database_url) == cases:
        print(f"{label}: reusing {cases:,} cases", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")  # a database kept from older code gets its new tables
    else:
        recreate(database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        out = manage(env, "generate_cases", "--cases", str(cases), "--json", "--force", capture=True)
        stats = json.loads(out.strip().splitlines()[-1])
        print(f"{label}: generated {stats['cases']:,} cases, {stats['total_rows']:,} rows in {stats['seconds']:.1f} s "
              f"= {stats['rows_per_second']:,.0f} rows/s (load {stats['load_seconds']:.1f} s, indexes {stats['index_seconds']:.1f} s)",
              flush=True)
        started = time.monotonic()
        manage(env, "fill_dashboards", "--from", _two_years_ago(), capture=True)
        print(f"{label}: rollups filled for 2 years in {time.monotonic() - started:.1f} s", flush=True)
    manage(env, "shell", "-c", BENCH_USER)
    session = manage(env, "shell", "-c", LOGIN, capture=True).strip().splitlines()[-1]
    _vacuum(database_url)
    return env, session, stats


def _two_years_ago():
    import datetime as dt

    return (dt.date.today() - dt.timedelta(days=735)).isoformat()


def _vacuum(database_url):
    import psycopg2

    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


BENCH_USER = """
from django.contrib.auth.models import Group
from kupang_portal.accounts.models import User
from kupang_portal.accounts.roles import GROUP_NAMES, Role
user, _ = User.objects.get_or_create(username="bench.pimpinan", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.SUPERVISOR]))
"""
LOGIN = """
from django.test import Client
from kupang_portal.accounts.models import User
client = Client()
client.force_login(User.objects.get(username="bench.pimpinan"))
print(client.cookies["sessionid"].value)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env):
        self.env = env
        self.port = free_port()
        self.proc = None

    def __enter__(self):
        cmd = [sys.executable, "-m", "gunicorn", "kupang_portal.wsgi:application", "--workers", "2",
               "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "--pythonpath", str(ROOT)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def fetch(port, path, session):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        if response.status != 200 or b"/akun/masuk/" in response.geturl().encode():
            raise RuntimeError(f"{path}: HTTP {response.status} {response.geturl()}")
        return body


def latency(port, path, session, n):
    for _ in range(10):
        fetch(port, path, session)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fetch(port, path, session)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def throughput(port, path, session, seconds, clients=2):
    for _ in range(5):
        fetch(port, path, session)
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def worker(i):
        while time.monotonic() < stop:
            fetch(port, path, session)
            counts[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def main():
    prefix = f"kupang-bench-dash-{os.getpid()}-{time.time_ns()}"
    results = {}
    for label, cases in (("small", SMALL), ("large", LARGE)):
        env, session, stats = prepare(label, cases, f"{prefix}-{label}")
        with Server(env) as server:
            fetch(server.port, "/dasbor/", session)
            median = latency(server.port, "/dasbor/", session, REQUESTS)
            print(f"{label}: /dasbor/ median {median * 1000:.1f} ms over {REQUESTS} requests ({cases:,} cases)", flush=True)
            results[label] = {"median": median, "stats": stats}
            if label == "large":
                page = throughput(server.port, "/dasbor/", session, SECONDS)
                floor = throughput(server.port, "/bench/floor/", session, SECONDS)
                print(f"large: /dasbor/ {page:.0f} req/s, floor {floor:.0f} req/s (2 clients, {SECONDS:.0f} s each)", flush=True)
                results["rps"] = (page, floor)
    generated = results["large"]["stats"] or results["small"]["stats"]
    if generated:
        print(f"generator: {generated['rows_per_second']:,.0f} rows/s ({generated['total_rows']:,} rows, {generated['cases']:,} cases)")
    print(f"RATIO dashboard_1m_vs_10k {results['large']['median'] / results['small']['median']:.2f}")
    page, floor = results["rps"]
    print(f"RATIO dashboard_vs_rollup_floor {page / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
