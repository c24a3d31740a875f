"""Point 1 of the journeys issue: links sent out use SITE_URL, which follows `make run`'s HOST and
PORT and must be set for a deployment; the in-app inbox uses relative links."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from kupang_portal.notifications import services
from kupang_portal.notifications.models import Notification
from tests import factories

ROOT = Path(django_settings.BASE_DIR)


def _check_deploy(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    base.update({"DJANGO_SETTINGS_MODULE": "kupang_portal.settings", "DEBUG": "0", "SECRET_KEY": "x" * 60 + "-kupang-prod-key",
                 "ALLOWED_HOSTS": "layanan.kupangkota.go.id", "CSRF_TRUSTED_ORIGINS": "https://layanan.kupangkota.go.id"})
    base.update(env)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"], cwd=ROOT, env=base,
                          capture_output=True, text=True)


def test_check_deploy_fails_without_site_url():
    result = _check_deploy()
    assert result.returncode != 0 and "kupang.E001" in result.stderr + result.stdout


def test_check_deploy_fails_with_a_local_site_url():
    result = _check_deploy(SITE_URL="http://127.0.0.1:8000")
    assert result.returncode != 0 and "kupang.E003" in result.stderr + result.stdout


def test_check_deploy_passes_with_a_public_site_url():
    result = _check_deploy(SITE_URL="https://layanan.kupangkota.go.id")
    assert "kupang.E00" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr + result.stdout


def test_make_run_sets_site_url_from_host_and_port(tmp_path):
    """`make run PORT=8101` runs manage.py with SITE_URL=http://127.0.0.1:8101 (a stand-in python
    records what it was given)."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake = venv / "bin" / "python"
    log = tmp_path / "calls.txt"
    fake.write_text(f'#!/bin/sh\necho "$SITE_URL $*" >> {log}\n')
    fake.chmod(0o755)
    stamp = venv / ".installed-stamp"
    stamp.touch()
    os.utime(stamp, (4_000_000_000, 4_000_000_000))  # newer than the requirements: no install
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    subprocess.run(["make", "-s", "run", f"VENV={venv}", "PORT=8101"], cwd=ROOT, env=env, check=True, capture_output=True)
    calls = log.read_text().splitlines()
    assert any("runserver 127.0.0.1:8101" in c for c in calls)
    assert all(c.startswith("http://127.0.0.1:8101 ") for c in calls), calls
    log.unlink()
    subprocess.run(["make", "-s", "run", f"VENV={venv}", "PORT=8101"], cwd=ROOT, env={**env, "SITE_URL": "https://x.example"},
                   check=True, capture_output=True)
    assert all(c.startswith("https://x.example ") for c in log.read_text().splitlines())


@pytest.mark.django_db
def test_inbox_links_are_relative(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    user = factories.resident(username="pembaca")
    services.notify("complaint_closed", [user], {}, link="/pengaduan/ADU-2026-000001/", case_number="ADU-2026-000001")
    row = Notification.objects.get(channel="inapp")
    assert row.link == "http://127.0.0.1:8000/pengaduan/ADU-2026-000001/"  # absolute for e-mail/SMS/gateways
    settings.SITE_URL = "http://127.0.0.1:8101"  # the portal now runs elsewhere
    client.force_login(user)
    body = client.get("/akun/notifikasi/").content.decode()
    assert 'href="/pengaduan/ADU-2026-000001/"' in body and "127.0.0.1:8000" not in body


@pytest.mark.django_db
def test_sent_links_use_site_url(settings):
    settings.SITE_URL = "https://layanan.kupangkota.go.id"
    user = factories.resident(username="penerima", email="penerima@example.id")
    user.notify_email = True
    user.save()
    services.notify("complaint_closed", [user], {}, link="/pengaduan/ADU-2026-000001/", case_number="ADU-2026-000001")
    email = Notification.objects.get(channel="email")
    assert email.link == "https://layanan.kupangkota.go.id/pengaduan/ADU-2026-000001/"
    from kupang_portal.notifications.backends import plain_text_body

    assert plain_text_body(email).endswith("https://layanan.kupangkota.go.id/pengaduan/ADU-2026-000001/")
    assert "http" not in email.body  # no raw URL in the message text (point 13)
