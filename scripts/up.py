"""`make up`: migrate, collect static files, then run gunicorn, a Celery worker and Celery beat.

Needs DATABASE_URL and REDIS_URL in the environment (and, unless DEBUG=1, SECRET_KEY, ALLOWED_HOSTS
and SITE_URL). A child that dies (crash, SIGKILL, out of memory) is started again after a backoff
(1 s, 2 s, 4 s … capped at 30 s; back to 1 s once it has run a minute), and every exit and restart
is logged. Only Ctrl-C (SIGINT) or SIGTERM stops all three. A real server uses the systemd units in
deploy/systemd/ instead (see README).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

BACKOFF_START = 1.0
BACKOFF_CAP = 30.0
# A child that ran this long before dying is restarted without waiting long.
HEALTHY_AFTER = 60.0


def log(message):
    print(f"[up {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Child:
    def __init__(self, name, command, cwd, env):
        self.name, self.command, self.cwd, self.env = name, command, cwd, env
        self.proc = None
        self.started_at = 0.0
        self.backoff = BACKOFF_START
        self.restart_at = None
        self.restarts = 0

    def start(self):
        self.proc = subprocess.Popen(self.command, cwd=self.cwd, env=self.env)
        self.started_at = time.monotonic()
        self.restart_at = None
        log(f"{self.name} started (pid {self.proc.pid})")

    def check(self, now):
        """Notice an exit and schedule the restart; start it again when its backoff is over."""
        if self.restart_at is None and self.proc.poll() is not None:
            if now - self.started_at >= HEALTHY_AFTER:
                self.backoff = BACKOFF_START
            self.restart_at = now + self.backoff
            self.restarts += 1
            log(f"{self.name} (pid {self.proc.pid}) exited with {self.proc.returncode}; "
                f"restart #{self.restarts} in {self.backoff:.0f} s")
            self.backoff = min(self.backoff * 2, BACKOFF_CAP)
        if self.restart_at is not None and now >= self.restart_at:
            self.start()

    def terminate(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def wait(self, deadline):
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            log(f"{self.name} did not stop in time; killing it")
            self.proc.kill()
            self.proc.wait()


def supervise(commands, cwd=ROOT, env=None, poll_interval=0.5, grace=30):
    """Run ``{name: argv}`` until SIGINT/SIGTERM, restarting whatever dies. Returns 0."""
    children = [Child(name, argv, cwd, env) for name, argv in commands.items()]
    stopping = False

    def stop(signum, _frame):
        nonlocal stopping
        if not stopping:
            log(f"{signal.Signals(signum).name} received: stopping {', '.join(c.name for c in children)}")
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for child in children:
        child.start()
    while not stopping:
        now = time.monotonic()
        for child in children:
            child.check(now)
        time.sleep(poll_interval)
    for child in children:
        child.terminate()
    deadline = time.time() + grace
    for child in children:
        child.wait(deadline)
    log("all stopped")
    return 0


def missing_settings(env):
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not env.get(name)]
    if (env.get("DEBUG") or "").strip().lower() not in {"1", "true", "yes", "on"}:
        missing += [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL") if not env.get(name)]
    return missing


def main():
    env = dict(os.environ)
    missing = missing_settings(env)
    if missing:
        sys.exit(f"make up needs {', '.join(missing)} (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/kupang "
                 "REDIS_URL=redis://127.0.0.1:6379/0; DEBUG defaults to off, so also SECRET_KEY, ALLOWED_HOSTS and "
                 "SITE_URL, or DEBUG=1 for a local try).")
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
    log(f"portal on http://{bind} (Ctrl-C stops web, worker and beat; a crashed one is restarted)")
    sys.exit(supervise(commands, env=env))


if __name__ == "__main__":
    main()
