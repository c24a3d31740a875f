"""Entry point of `make bench`: runs every benchmark under bench/ in a fixed order.

Needs PostgreSQL (DATABASE_URL's server, default 127.0.0.1:5432) and Redis (REDIS_URL, default
127.0.0.1:6379); when either is unreachable it says so and exits 0 without running anything.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
# Known benchmarks first, in this order; any other bench/*.py after them, alphabetically.
ORDER = ["notifications.py", "perf.py"]


def reachable(url, default_port):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def benchmarks():
    # tasks.py is the worker's task module, not a benchmark.
    others = sorted(p.name for p in HERE.glob("*.py")
                    if p.name not in ORDER and p.name not in ("run.py", "tasks.py") and not p.name.startswith("_"))
    return [name for name in ORDER if (HERE / name).exists()] + others


def main():
    database_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if not database_url.startswith(("postgres://", "postgresql://")):
        print(f"SKIP benchmarks: DATABASE_URL is not PostgreSQL ({database_url.split(':', 1)[0]})")
        return 0
    missing = [name for name, url, port in (("PostgreSQL", database_url, 5432), ("Redis", redis_url, 6379)) if not reachable(url, port)]
    if missing:
        print(f"SKIP benchmarks: {' and '.join(missing)} unreachable (set DATABASE_URL / REDIS_URL)")
        return 0
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url)
    failed = []
    for name in benchmarks():
        print(f"== bench/{name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent, env=env).returncode != 0:
            failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
