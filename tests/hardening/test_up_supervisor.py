"""Issue 12, item 7: `make up` restarts a crashed child and stops everything only on a signal."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SUPERVISOR = """
import sys
sys.path.insert(0, "scripts")
import up
sleeper = [sys.executable, "-c", "import time; time.sleep(600)"]
sys.exit(up.supervise({"web": sleeper, "worker": sleeper, "beat": sleeper}, poll_interval=0.1, grace=5))
"""


def read_until(proc, lines, pattern, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for line in lines:
            match = re.search(pattern, line)
            if match:
                return match
        line = proc.stderr.readline()
        if not line:
            time.sleep(0.05)
            continue
        lines.append(line)
    raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(lines)}")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_killed_worker_comes_back_and_only_sigterm_stops_all():
    proc = subprocess.Popen([sys.executable, "-c", SUPERVISOR], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        pids = {name: int(read_until(proc, lines, rf"{name} started \(pid (\d+)\)").group(1)) for name in ("web", "worker", "beat")}
        os.kill(pids["worker"], signal.SIGKILL)
        read_until(proc, lines, rf"worker \(pid {pids['worker']}\) exited with -9; restart #1 in 1 s")
        new_worker = int(read_until(proc, lines, r"worker started \(pid (?!%d\))(\d+)\)" % pids["worker"]).group(1))
        assert new_worker != pids["worker"] and alive(new_worker)
        # The others never stopped.
        assert alive(pids["web"]) and alive(pids["beat"]) and proc.poll() is None
        # A second crash waits longer (backoff).
        os.kill(new_worker, signal.SIGKILL)
        read_until(proc, lines, r"worker \(pid %d\) exited with -9; restart #2 in 2 s" % new_worker)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        read_until(proc, lines, r"all stopped")
        time.sleep(0.2)
        assert not alive(pids["web"]) and not alive(pids["beat"])
    finally:
        if proc.poll() is None:
            proc.kill()


def test_up_refuses_to_start_without_production_settings():
    sys.path.insert(0, str(ROOT / "scripts"))
    import up

    base = {"DATABASE_URL": "postgres://x/y", "REDIS_URL": "redis://r/0"}
    assert up.missing_settings(base) == ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"]
    assert up.missing_settings({**base, "DEBUG": "1"}) == []


def test_systemd_units_restart_each_part():
    import configparser

    units = {}
    for name in ("web", "worker", "beat"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read(ROOT / "deploy" / "systemd" / f"kupang-{name}.service")
        units[name] = parser
        assert parser["Service"]["Restart"] == "always"
        assert parser["Service"]["EnvironmentFile"] == "/etc/kupang/portal.env"
        assert "StartLimitBurst" in parser["Unit"]
    assert "gunicorn kupang_portal.wsgi" in units["web"]["Service"]["ExecStart"]
    assert "celery -A kupang_portal worker" in units["worker"]["Service"]["ExecStart"]
    assert "-Q default,notifications,routing,periodic" in units["worker"]["Service"]["ExecStart"]
    assert "celery -A kupang_portal beat" in units["beat"]["Service"]["ExecStart"]
    readme = (ROOT / "README.md").read_text()
    assert "deploy/systemd/kupang-web.service" in readme and "systemctl enable --now" in readme
