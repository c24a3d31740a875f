"""Benchmark: the portal's pages and writes against bare Django views on the same server.

Two gunicorn servers run as ``make up`` runs the portal (2 sync workers, DEBUG off, collected and
compressed static files, persistent connections, Redis cache and broker), each on its own
PostgreSQL database filled by the project's one generator (``manage.py generate_cases``):

- ``<bench>_large``: BENCH_CASES cases (default 1,000,000) over the generator's 2 years; loaded once
  and reused by later runs while the case count matches (a 1M load takes minutes on 2 cores);
- ``<bench>_small``: BENCH_SMALL_CASES cases (default 10,000) arriving at the same daily rate as the
  large one, so over BENCH_SMALL_YEARS = 2 × small ÷ large years (7.3 days by default): the same
  city with 100× less history. Both queues then start with a full page of open cases, so the
  queue ratios compare table sizes, not a 4-row page with a 50-row one (over 2 years the 10k
  dataset leaves 17 open cases in the clerk's office and 4 at the desk).

``<bench>`` is BENCH_DATABASE_PREFIX (default ``kupang_bench``) on DATABASE_URL's server. Each
server also serves the floors of bench/_site_urls.py: ``/_bench/page/`` (a bare template page
through the full middleware) and ``/_bench/upload/`` (stores the posted files and one row).

Every workload alternates with its floor for BENCH_ROUNDS rounds (default 3) of BENCH_SECONDS
each (default 3 s); a round's figure is the workload's rate over the floor's rate measured just
before it; printed is the median round with the min-max of all rounds:

  RATIO queue_1m_vs_10k           clerk queue (/admin/layanan/application/, a DISDUKCAPIL clerk):
                                  time per page at 1M / at 10k, each relative to its server's page floor
  RATIO desk_queue_1m_vs_10k      the complaint desk's queue (verifikator), the same way
  RATIO submit_vs_upload_floor    a resident submits an application with 2 small PDFs (8 connections),
                                  against the upload floor receiving the same body
  RATIO public_pages_vs_page_floor home, catalogue, one service page, /lacak/<number>/ in turn
  RATIO open311_list_vs_page_floor GET /api/open311/v2/requests.json
  RATIO generator_vs_copy         a bare COPY of the same rows into tables without indexes plus
                                  building the same indexes, over the generator's time, at
                                  BENCH_GEN_CASES cases (default 100,000) in ``<bench>_gen``

Redis: database BENCH_REDIS_DB (default 14) on REDIS_URL's server, every key under a prefix of
this run; only those keys are deleted at the end (never FLUSHDB).
"""

import http.client
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
LARGE = int(os.environ.get("BENCH_CASES", "1000000"))
SMALL = int(os.environ.get("BENCH_SMALL_CASES", "10000"))
LARGE_YEARS = 2.0  # the generator's default span
SMALL_YEARS = float(os.environ.get("BENCH_SMALL_YEARS", "0") or 0) or LARGE_YEARS * SMALL / LARGE
GEN_CASES = int(os.environ.get("BENCH_GEN_CASES", "100000"))
PREFIX_DB = os.environ.get("BENCH_DATABASE_PREFIX", "kupang_bench")
PORTS = {"small": int(os.environ.get("BENCH_PORT_SMALL", "8170")), "large": int(os.environ.get("BENCH_PORT_LARGE", "8171"))}
KEY_PREFIX = f"kupang-bench-{os.getpid()}-"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n") + b"0" * 20_000


def log(*args):
    print(*args, flush=True)


# --- databases -----------------------------------------------------------------------------------
def base_url():
    return os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"


def db_url(name):
    return urlunsplit(urlsplit(base_url())._replace(path=f"/{name}"))


def psql_admin():
    import psycopg2

    conn = psycopg2.connect(db_url("postgres"))
    conn.autocommit = True
    return conn


def ensure_database(name):
    conn = psql_admin()
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def drop_database(name):
    conn = psql_admin()
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def case_count(name):
    """(cases, days between the first and the last application) of a generated database."""
    import psycopg2

    conn = psycopg2.connect(db_url(name))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT (SELECT count(*) FROM layanan_application) + (SELECT count(*) FROM pengaduan_complaint), "
                        "(SELECT EXTRACT(EPOCH FROM max(created_at) - min(created_at)) / 86400 FROM layanan_application)")
            cases, days = cur.fetchone()
            return cases, float(days or 0)
    except psycopg2.Error:
        return 0, 0.0
    finally:
        conn.close()


def manage(args, database, **extra):
    env = server_env(database, **extra)
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args[:2])} on {database} failed:\n{result.stderr[-3000:]}")
    return result


def prepare_dataset(name, cases, years):
    """Migrate and fill ``name`` with ``cases`` generated cases over ``years``, unless it already
    holds them."""
    ensure_database(name)
    manage(["migrate", "--noinput", "-v0"], name)
    have, days = case_count(name)
    if abs(have - cases) <= max(50, cases // 100) and abs(days - years * 365.25) <= max(1.5, years * 365.25 * 0.05):
        log(f"dataset {name}: {have:,} cases over {days:.1f} days (reused)")
        return
    if have:
        drop_database(name)
        ensure_database(name)
        manage(["migrate", "--noinput", "-v0"], name)
    started = time.perf_counter()
    out = manage(["generate_cases", "--cases", str(cases), "--years", repr(years), "--force"], name)
    log(f"dataset {name}: generated {cases:,} cases over {years * 365.25:.1f} days in {time.perf_counter() - started:.0f} s")
    log("  " + out.stdout.strip().splitlines()[-1])
    manage(["shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"], name)


# --- servers -------------------------------------------------------------------------------------
def redis_url():
    base = (os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0").rstrip("/")
    if base.rsplit("/", 1)[-1].isdigit() and base.count("/") >= 3:
        base = base.rsplit("/", 1)[0]
    return f"{base}/{int(os.environ.get('BENCH_REDIS_DB', '14'))}"


MEDIA = Path(tempfile.mkdtemp(prefix="kupang-bench-media-"))


def server_env(database, **extra):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url(database), REDIS_URL=redis_url(), CELERY_BROKER_URL=redis_url(), CELERY_KEY_PREFIX=KEY_PREFIX,
        CACHE_KEY_PREFIX=KEY_PREFIX + "cache", CELERY_TASK_ALWAYS_EAGER="0", DEBUG="0", SECRET_KEY="bench-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0", STATIC_MANIFEST="1",
        STATIC_ROOT=str(MEDIA / "static"), PRIVATE_MEDIA_ROOT=str(MEDIA / "private"), LOG_LEVEL="WARNING",
        LAYANAN_MAX_NEW_PER_USER_PER_DAY="100000000", LAYANAN_MAX_NEW_PER_IP_PER_HOUR="100000000",
        DJANGO_SETTINGS_MODULE="bench._site_settings", PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_REPLICA_URL", None)
    # DEBUG off requires SITE_URL (links in e-mails and QR codes); the bench servers send none.
    env.setdefault("SITE_URL", f"http://127.0.0.1:{PORTS['small']}")
    env.update(extra)
    return env


def start_server(database, port):
    env = server_env(database)
    cmd = [str(BIN / "gunicorn"), "kupang_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
           "--graceful-timeout", "5", "--log-level", "warning", "--env", "DJANGO_SETTINGS_MODULE=bench._site_settings"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,
                            stdout=open(MEDIA / f"gunicorn-{port}.log", "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115 (open while the server runs)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            status, _body, _ = request(port, "GET", "/_bench/page/")
            if status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn on {port} exited; see {MEDIA}/gunicorn-{port}.log")
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn on {port} did not start")


def stop_server(proc):
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# --- HTTP ----------------------------------------------------------------------------------------
def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, data, response
    finally:
        conn.close()


def load(port, make_request, seconds=SECONDS, connections=2, ok=(200,)):
    """``connections`` clients in a closed loop for ``seconds``; returns (requests/s, p50 ms)."""
    latencies, errors = [], []
    stop_at = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(index):
        counter = 0
        while time.perf_counter() < stop_at:
            method, path, body, headers = make_request(index, counter)
            counter += 1
            started = time.perf_counter()
            status, data, _ = request(port, method, path, body, headers)
            elapsed = time.perf_counter() - started
            with lock:
                if status in ok:
                    latencies.append(elapsed)
                else:
                    errors.append((status, path, data[:200]))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, first: {errors[0]}")
    return len(latencies) / wall, statistics.median(latencies) * 1000


def get(path, cookies=""):
    headers = {"Cookie": cookies} if cookies else {}
    return lambda i, n: ("GET", path, None, headers)


def rotate(paths, cookies=""):
    headers = {"Cookie": cookies} if cookies else {}
    return lambda i, n: ("GET", paths[(i + n) % len(paths)], None, headers)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- users and sessions (in the bench databases, through Django) ---------------------------------
SETUP_SCRIPT = r'''
import json, secrets, sys
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from kupang_portal.accounts.models import OfficeMembership, User
from kupang_portal.accounts.roles import GROUP_NAMES, Role
from kupang_portal.organization.models import Office
from layanan.models import Application, Service
from django.db.models import Count, Q

def user(name, role, office=None, staff=False):
    u, _ = User.objects.get_or_create(username=name, defaults={"is_staff": staff, "first_name": "Bench", "last_name": name})
    u.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if office:
        OfficeMembership.objects.get_or_create(user=u, office=Office.objects.get(code=office), defaults={"role": role})
    return u

def session(u):
    s = SessionStore()
    s[SESSION_KEY] = str(u.pk)
    s[BACKEND_SESSION_KEY] = "kupang_portal.accounts.backends.UsernameEmailPhoneBackend"
    s[HASH_SESSION_KEY] = u.get_session_auth_hash()
    s.create()
    return s.session_key

clerk = user("bench.petugas", Role.CLERK, "DISDUKCAPIL", staff=True)
desk = user("bench.verifikator", Role.VERIFIER, "BAG_ORGANISASI", staff=True)
residents = [user(f"bench.warga{i}", Role.RESIDENT) for i in range(8)]
svc = (Service.objects.published().annotate(req=Count("requirements", filter=Q(requirements__is_required=True)))
       .filter(req=2).order_by("pk").first())
fields = [r.field_name for r in svc.requirements.filter(is_required=True)]
number = Application.objects.filter(number__isnull=False).order_by("-pk").values_list("number", flat=True).first()
print(json.dumps({"clerk": session(clerk), "desk": session(desk), "residents": [session(u) for u in residents],
                  "service": svc.slug, "fields": fields, "number": number,
                  "service_page": svc.get_absolute_url()}))
'''


def setup_users(database):
    import json

    out = manage(["shell", "-c", SETUP_SCRIPT], database)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the workloads -------------------------------------------------------------------------------
def rounds_of(measure):
    """Run ``measure()`` (returning one ratio and a note) BENCH_ROUNDS times."""
    results = []
    for index in range(ROUNDS):
        ratio, note = measure()
        results.append(ratio)
        log(f"  round {index + 1}: {ratio:.3f} ({note})")
    return results


def report(name, results):
    median = statistics.median(results)
    print(f"RATIO {name} {median:.2f} ({min(results):.2f}-{max(results):.2f})", flush=True)


def floor_then(port, workload, floor=None, connections=2, ok=(200,)):
    floor_rate, floor_p50 = load(port, floor or get("/_bench/page/"), connections=connections)
    rate, p50 = load(port, workload, connections=connections, ok=ok)
    return rate, p50, floor_rate, floor_p50


def queue_rows(port, path, cookies):
    """Rows on the queue's first page (both sizes should show a full page: see the docstring)."""
    status, body, _ = request(port, "GET", path, headers={"Cookie": cookies})
    assert status == 200, (path, status)
    return body.count(b'class="action-select"')


def queue_ratio(info, session_key, path):
    def measure():
        costs, notes = {}, []
        for size in ("small", "large"):
            cookies = f"sessionid={info[size][session_key]}"
            rate, p50, floor_rate, _ = floor_then(PORTS[size], get(path, cookies))
            costs[size] = floor_rate / rate  # time per page in floor pages
            notes.append(f"{size} {queue_rows(PORTS[size], path, cookies)} rows {p50:.0f} ms p50, "
                         f"{rate:.0f}/s vs floor {floor_rate:.0f}/s")
        return costs["large"] / costs["small"], "; ".join(notes)

    return rounds_of(measure)


def submit_ratio(info):
    port, data = PORTS["small"], info["small"]
    csrf = secrets.token_hex(16)
    apply_path = f"/layanan/{data['service']}/ajukan/"

    def submit(index, n):
        body, ctype = multipart(
            {"action": "submit", "token": str(uuid.uuid4()), "applicant_nik": "5371014512920004", "phone": "081234567890",
             "notes": "", "csrfmiddlewaretoken": csrf},
            {name: (f"dok{i}.pdf", PDF) for i, name in enumerate(data["fields"])})
        cookies = f"sessionid={data['residents'][index % len(data['residents'])]}; csrftoken={csrf}"
        return "POST", apply_path, body, {"Content-Type": ctype, "Cookie": cookies, "Referer": f"http://127.0.0.1:{port}{apply_path}"}

    def floor(index, n):
        body, ctype = multipart({"notes": ""}, {name: (f"dok{i}.pdf", PDF) for i, name in enumerate(data["fields"])})
        return "POST", "/_bench/upload/", body, {"Content-Type": ctype}

    def measure():
        floor_rate, floor_p50 = load(port, floor, connections=8, ok=(201,))
        rate, p50 = load(port, submit, connections=8, ok=(302,))
        return rate / floor_rate, f"submit {rate:.0f}/s p50 {p50:.0f} ms vs upload floor {floor_rate:.0f}/s p50 {floor_p50:.0f} ms"

    return rounds_of(measure)


def page_ratio(port, workload, label):
    def measure():
        rate, p50, floor_rate, floor_p50 = floor_then(port, workload, connections=4)
        return rate / floor_rate, f"{label} {rate:.0f}/s p50 {p50:.1f} ms vs floor {floor_rate:.0f}/s p50 {floor_p50:.1f} ms"

    return rounds_of(measure)


def first_visit_kb(port, path, cookies=""):
    """Bytes a phone downloads on a first visit (empty cache): the page and every stylesheet,
    script and image it links, as sent with ``Accept-Encoding: br, gzip``."""
    import re

    headers = {"Accept-Encoding": "br, gzip"}
    if cookies:
        headers["Cookie"] = cookies
    status, body, response = request(port, "GET", path, headers=headers)
    assert status == 200, (path, status)
    total = len(body)
    html = body
    if response.getheader("Content-Encoding") == "gzip":
        import gzip

        html = gzip.decompress(body)
    assets = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
    details = []
    for asset in sorted(assets):
        status, data, response = request(port, "GET", asset.decode(), headers=headers)
        total += len(data)
        details.append(f"{asset.decode().rsplit('/', 1)[-1]} {len(data) / 1024:.0f} KB {response.getheader('Content-Encoding') or 'identity'}")
    return total / 1024, details


# --- generator against a bare COPY ---------------------------------------------------------------
GEN_TABLES = ["accounts_user", "layanan_application", "pengaduan_complaint", "workflow_caseevent",
              "pengaduan_complaintresponse", "layanan_surveyresponse"]


def generator_ratio():
    import io

    import psycopg2

    name = f"{PREFIX_DB}_gen"

    def fresh():
        drop_database(name)
        ensure_database(name)
        manage(["migrate", "--noinput", "-v0"], name)

    def measure():
        fresh()
        started = time.perf_counter()
        manage(["generate_cases", "--cases", str(GEN_CASES), "--force"], name)
        generator_seconds = time.perf_counter() - started
        conn = psycopg2.connect(db_url(name))
        conn.autocommit = False
        cur = conn.cursor()
        dumps, index_defs = {}, {}
        for table in GEN_TABLES:
            buffer = io.StringIO()
            cur.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
            dumps[table] = buffer.getvalue()
            cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
            index_defs[table] = [row[0] for row in cur.fetchall()]
        conn.commit()
        started = time.perf_counter()
        for table in GEN_TABLES:
            bare = f"bare_{table}"
            cur.execute(f'CREATE TABLE "{bare}" (LIKE "{table}" INCLUDING DEFAULTS)')
            cur.copy_expert(f'COPY "{bare}" FROM STDIN', io.StringIO(dumps[table]))
            for index, definition in enumerate(index_defs[table]):
                on = definition.split(" ON ", 1)[1].replace(f"public.{table} ", f'public."{bare}" ', 1)
                unique = "UNIQUE " if definition.startswith("CREATE UNIQUE") else ""
                cur.execute(f'CREATE {unique}INDEX "bare_{table}_{index}" ON {on}')
        conn.commit()
        copy_seconds = time.perf_counter() - started
        rows = sum(d.count("\n") for d in dumps.values())
        conn.close()
        return copy_seconds / generator_seconds, (f"{rows:,} rows: generator {generator_seconds:.1f} s, "
                                                 f"bare COPY + indexes {copy_seconds:.1f} s")

    try:
        return rounds_of(measure)
    finally:
        drop_database(name)


# --- main ----------------------------------------------------------------------------------------
def cleanup_redis():
    import redis

    client = redis.Redis.from_url(redis_url())
    keys = list(client.scan_iter(match=f"{KEY_PREFIX}*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
    # The cache keys carry Django's "<prefix>:<version>:" form, which the pattern above covers.
    return len(keys)


def main():  # noqa: C901 (one branch per workload)
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    log(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; rounds {ROUNDS} x {SECONDS:.0f} s; "
        f"datasets {SMALL:,} cases over {SMALL_YEARS * 365.25:.1f} days and {LARGE:,} over {LARGE_YEARS:g} years")
    names = {"small": f"{PREFIX_DB}_small", "large": f"{PREFIX_DB}_large"}
    prepare_dataset(names["small"], SMALL, SMALL_YEARS)
    if not only or only & {"queue", "desk"}:
        prepare_dataset(names["large"], LARGE, LARGE_YEARS)
    manage(["collectstatic", "--noinput", "-v0"], names["small"])
    servers = {}
    try:
        info = {}
        for size, name in names.items():
            if size == "large" and only and not only & {"queue", "desk"}:
                continue
            info[size] = setup_users(name)
            servers[size] = start_server(name, PORTS[size])
        if not only or "weight" in only:
            for label, path, cookies in (("home", "/", ""), ("admin_list", "/admin/layanan/application/",
                                                             f"sessionid={info['small']['clerk']}")):
                kb, details = first_visit_kb(PORTS["small"], path, cookies)
                log(f"  {label}: " + ", ".join(details))
                print(f"WEIGHT {label}_first_visit_kb {kb:.0f}", flush=True)
        if not only or "queue" in only:
            log("queue_1m_vs_10k")
            report("queue_1m_vs_10k", queue_ratio(info, "clerk", "/admin/layanan/application/"))
        if not only or "desk" in only:
            log("desk_queue_1m_vs_10k")
            report("desk_queue_1m_vs_10k", queue_ratio(info, "desk", "/admin/pengaduan/complaint/"))
        if not only or "submit" in only:
            log("submit_vs_upload_floor")
            report("submit_vs_upload_floor", submit_ratio(info))
        if not only or "public" in only:
            data = info["small"]
            pages = ["/", "/layanan/", data["service_page"], f"/lacak/{data['number']}/"]
            log("public_pages_vs_page_floor")
            report("public_pages_vs_page_floor", page_ratio(PORTS["small"], rotate(pages), "public pages"))
        if not only or "open311" in only:
            log("open311_list_vs_page_floor")
            report("open311_list_vs_page_floor",
                   page_ratio(PORTS["small"], get("/api/open311/v2/requests.json"), "open311 list"))
    finally:
        for proc in servers.values():
            stop_server(proc)
        log(f"redis: deleted {cleanup_redis()} keys of this run (prefix {KEY_PREFIX})")
    if not only or "generator" in only:
        log("generator_vs_copy")
        report("generator_vs_copy", generator_ratio())


if __name__ == "__main__":
    random.seed(1)
    main()
