"""`make up`: migrate, collect static files, then run gunicorn, a Celery worker and Celery beat.

Needs DATABASE_URL and REDIS_URL in the environment. Ctrl-C (or SIGTERM) stops all three
cleanly; if one of them dies, the others are stopped too and the exit code says so.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main():
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        sys.exit(f"make up needs {' and '.join(missing)} (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/kupang REDIS_URL=redis://127.0.0.1:6379/0).")
    env = dict(os.environ)
    # Production-like static files: collected below, hashed and pre-compressed (see settings).
    env.setdefault("STATIC_MANIFEST", "1")
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], check=True, cwd=ROOT, env=env)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, cwd=ROOT, env=env)
    bind = env.get("BIND", "127.0.0.1:8000")
    commands = {
        "web": [str(BIN / "gunicorn"), "kupang_portal.wsgi", "--bind", bind,
                "--workers", env.get("WEB_CONCURRENCY", "2"), "--access-logfile", "-", "--graceful-timeout", "20"],
        "worker": [str(BIN / "celery"), "-A", "kupang_portal", "worker", "--loglevel", "INFO",
                   "-Q", "default,notifications,routing,periodic", "--concurrency", env.get("WORKER_CONCURRENCY", "2")],
        "beat": [str(BIN / "celery"), "-A", "kupang_portal", "beat", "--loglevel", "INFO",
                 "--schedule", str(var / "celerybeat-schedule")],
    }
    procs = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in commands.items()}
    print(f"Portal on http://{bind} (Ctrl-C stops web, worker and beat)", flush=True)
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; stopping the others", file=sys.stderr, flush=True)
                exit_code = proc.returncode or 1
                stopping = True
        time.sleep(0.5)
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.time() + 30
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            proc.kill()
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
