"""A real PostgreSQL streaming replica: lag-tolerant reads are served by it, writes by the primary.

The test builds its own small cluster on this machine: a primary (``initdb``, port 5441) and a
replica made with ``pg_basebackup -R`` (port 5442), both in a temporary directory, run as the
``postgres`` user when the test runs as root. The portal runs in a subprocess with
DATABASE_URL=primary and DATABASE_REPLICA_URL=replica, like a web node would.

Skipped (with the reason) where the PostgreSQL server binaries are missing; never in CI, where
they are present.
"""

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRIMARY_PORT, REPLICA_PORT = int(os.environ.get("KUPANG_REPLICA_TEST_PORT", "5441")), int(os.environ.get("KUPANG_REPLICA_TEST_PORT", "5441")) + 1


def pg_bin():
    for candidate in [os.environ.get("PG_BIN", "")] + sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if candidate and all(os.path.exists(os.path.join(candidate, tool)) for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return candidate
    for tool in ("initdb", "pg_ctl", "pg_basebackup"):
        if shutil.which(tool) is None:
            return None
    return os.path.dirname(shutil.which("initdb"))


BIN = pg_bin()
pytestmark = [
    pytest.mark.skipif(BIN is None, reason="PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found; set PG_BIN"),
]


def as_postgres(cmd, **kwargs):
    """Run a server binary; as root through the ``postgres`` user (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300, **kwargs)


def port_free(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def start(datadir, port, log):
    as_postgres([f"{BIN}/pg_ctl", "-D", datadir, "-l", log, "-w", "-t", "120", "-o",
                 f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={os.path.dirname(datadir)}", "start"])


def stop(datadir):
    with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
        as_postgres([f"{BIN}/pg_ctl", "-D", datadir, "-m", "fast", "-w", "stop"])


@pytest.fixture(scope="module")
def cluster():
    if not (port_free(PRIMARY_PORT) and port_free(REPLICA_PORT)):
        pytest.skip(f"ports {PRIMARY_PORT}/{REPLICA_PORT} are in use")
    base = tempfile.mkdtemp(prefix="kupang-replica-")
    os.chmod(base, 0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica = os.path.join(base, "primary"), os.path.join(base, "replica")
    started = []
    try:
        as_postgres([f"{BIN}/initdb", "-D", primary, "-U", "postgres", "-A", "trust", "--no-sync"])
        with open(os.path.join(primary, "pg_hba.conf"), "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        start(primary, PRIMARY_PORT, os.path.join(base, "primary.log"))
        started.append(primary)
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "-c", "CREATE DATABASE kupang"],
                       check=True, capture_output=True)
        env = portal_env()
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=600)
        as_postgres([f"{BIN}/pg_basebackup", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres",
                     "-D", replica, "-X", "stream", "-R", "--no-sync",
                     # A spread checkpoint after the migration's writes can take checkpoint_timeout x
                     # completion_target (4.5 min by default) before the copy starts.
                     "--checkpoint=fast"])
        start(replica, REPLICA_PORT, os.path.join(base, "replica.log"))
        started.append(replica)
        yield env
    finally:
        for datadir in reversed(started):
            stop(datadir)
        shutil.rmtree(base, ignore_errors=True)


def portal_env():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/kupang",
        DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/kupang",
        DJANGO_SETTINGS_MODULE="kupang_portal.settings", CELERY_TASK_ALWAYS_EAGER="1", LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="testserver", PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return env


PROBE = r'''
import json, time
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pengaduan.models import Category, Complaint
from kupang_portal.core.db import lag_tolerant

def in_recovery(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        return cursor.fetchone()

out = {"default": in_recovery("default"), "replica": in_recovery("replica")}
# A write, inside a lag-tolerant scope too, goes to the primary.
category = Category.objects.filter(is_active=True).first()
with lag_tolerant():
    Complaint.objects.create(number="ADU-2026-999001", category=category, status="submitted", is_open=True,
                             title="Uji replika", description="Ditulis di primer.", channel="web")
# Wait for streaming replication to bring it to the replica.
deadline = time.time() + 30
while time.time() < deadline:
    with lag_tolerant():
        if Complaint.objects.filter(number="ADU-2026-999001").exists():
            break
    time.sleep(0.1)
out["lag_seconds_max"] = 30 - (deadline - time.time())
client = Client()
with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(connections["replica"]) as on_replica:
    response = client.get("/api/open311/v2/requests.json?service_request_id=ADU-2026-999001")
out["status"] = response.status_code
out["ids"] = [r["service_request_id"] for r in response.json()]
out["open311_queries_primary"] = len(on_primary)
out["open311_queries_replica"] = len(on_replica)
# Outside a lag-tolerant scope (what a clerk or resident just changed) reads stay on the primary.
with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(connections["replica"]) as on_replica:
    Complaint.objects.filter(number="ADU-2026-999001").exists()
out["plain_read"] = [len(on_primary), len(on_replica)]
try:
    with connections["replica"].cursor() as cursor:
        cursor.execute("UPDATE pengaduan_complaint SET title = 'x'")
    out["replica_write"] = "accepted"
except Exception as exc:
    out["replica_write"] = type(exc).__name__ + ": " + str(exc).splitlines()[0]
print(json.dumps(out))
'''


def test_reads_served_by_the_replica_writes_by_the_primary(cluster):
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=cluster, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["default"] == [False, PRIMARY_PORT]
    assert out["replica"] == [True, REPLICA_PORT]  # a standby in recovery, on its own port
    assert out["status"] == 200 and out["ids"] == ["ADU-2026-999001"]  # written on the primary, read back from the replica
    assert out["open311_queries_replica"] > 0 and out["open311_queries_primary"] == 0
    assert out["plain_read"] == [1, 0]
    assert "read-only transaction" in out["replica_write"]


PAGES_PROBE = r'''
import json, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from kupang_portal.dashboards import services as dash_services
from kupang_portal.dashboards.models import ExportJob
from kupang_portal.core.db import lag_tolerant
from django.utils import timezone
from pengaduan.models import Category, Complaint

CASE_TABLES = ("pengaduan_complaint", "layanan_application", "dashboards_dailyrollup", "skm_", "layanan_surveyresponse")

def split(primary, replica):
    """(queries on the primary, on the replica, primary queries that read case or rollup tables)."""
    reads = [q["sql"] for q in primary.captured_queries if q["sql"].startswith("SELECT") and any(t in q["sql"] for t in CASE_TABLES)]
    return len(primary), len(replica), reads

out = {}
# A new supervisor, logged in a moment ago: the user and session exist on the primary only (maybe).
boss = get_user_model().objects.create_superuser("pimpinan.replika", "pimpinan@example.id", "Sandi-uji-2026!")
client = Client()
client.force_login(boss)
for name, url in [("dashboard", "/dasbor/"), ("performance", "/dasbor/kinerja/"), ("staff", "/dasbor/staf/"),
                  ("transparency", "/transparansi/"), ("transparency_csv", "/transparansi/data.csv"),
                  ("skm_results", "/survei/hasil/")]:
    with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(url, secure=True)
    p, r, case_reads = split(on_primary, on_replica)
    out[name] = {"status": response.status_code, "primary": p, "replica": r, "case_reads_on_primary": case_reads[:2],
                 "replica_tables": sorted({t for q in on_replica.captured_queries for t in CASE_TABLES if t in q["sql"]})}
# The export job: a complaint written on the primary is exported from the replica; the job's state
# and file are written on the primary.
Complaint.objects.create(number="ADU-2026-999002", category=Category.objects.filter(is_active=True).first(),
                         status="submitted", is_open=True, title="Uji ekspor replika", description="Ditulis di primer.",
                         channel="web", submitted_at=timezone.now())
deadline = time.time() + 30
while time.time() < deadline:
    with lag_tolerant():
        if Complaint.objects.filter(number="ADU-2026-999002").exists():
            break
    time.sleep(0.1)
job = ExportJob.objects.create(owner=boss, format="csv", content="kasus", params={"angka": "diterima"})
with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(connections["replica"]) as on_replica:
    dash_services.run_export(job.pk)
job.refresh_from_db()
p, r, case_reads = split(on_primary, on_replica)
out["export"] = {"status": job.status, "rows": job.row_count, "error": job.error, "primary": p, "replica": r,
                 "case_reads_on_primary": case_reads[:2],
                 "exported": "ADU-2026-999002" in job.file.open("rb").read().decode("utf-8-sig"),
                 "writes_on_primary": sum(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries),
                 "replica_tables": sorted({t for q in on_replica.captured_queries for t in CASE_TABLES if t in q["sql"]})}
# Read your own writes: after a POST this browser's replica pages read the primary for a while.
client.post("/lacak/", {"nomor": "ADU-2026-999002"}, secure=True)
with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(connections["replica"]) as on_replica:
    response = client.get("/dasbor/", secure=True)
out["after_post"] = {"status": response.status_code, "primary": len(on_primary), "replica": len(on_replica)}
print(json.dumps(out))
'''


def test_dashboards_transparency_skm_and_exports_read_the_replica(cluster):
    """The lag-tolerant pages and the export job (issue 13): reads on the replica, writes on the
    primary; a session made a moment ago still works; after a POST the browser reads the primary."""
    result = subprocess.run([sys.executable, "-c", PAGES_PROBE], cwd=ROOT, env=cluster, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("dashboard", "performance", "staff", "transparency", "transparency_csv", "skm_results"):
        page = out[name]
        assert page["status"] == 200, (name, page)
        assert page["replica"] > 0 and page["case_reads_on_primary"] == [], (name, page)
    assert "dashboards_dailyrollup" in out["performance"]["replica_tables"]  # rollup reads
    assert "pengaduan_complaint" in out["dashboard"]["replica_tables"]  # the exception lists
    assert out["export"]["status"] == "done" and out["export"]["exported"], out["export"]  # written on the primary, read back
    assert out["export"]["replica"] > 0 and out["export"]["case_reads_on_primary"] == [], out["export"]
    assert "pengaduan_complaint" in out["export"]["replica_tables"] and out["export"]["writes_on_primary"] >= 2
    assert out["after_post"]["status"] == 200 and out["after_post"]["replica"] == 0, out["after_post"]
