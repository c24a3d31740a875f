"""Issue 12, item 12: configuration that is safe by default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "kupang-test-" + "x7Qp2LmZ9vR4tY8wE1uI5oP3aS6dF0gH" * 2,
    "ALLOWED_HOSTS": "layanan.kupangkota.go.id",
    "SITE_URL": "https://layanan.kupangkota.go.id",
}


def run(code_or_args, extra=None, drop=()):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", *drop}}
    env.update(DJANGO_SETTINGS_MODULE="kupang_portal.settings", **(extra or {}))
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_debug_is_off_unless_asked_for():
    result = run("import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)", PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout
    result = run("import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)", {"DEBUG": "1"})
    assert "DEBUG True" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"])
def test_refuses_to_start_without_production_settings(missing):
    given = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run(["manage.py", "check", "--deploy"], given)
    assert result.returncode != 0
    assert missing in result.stderr and "DEBUG" in result.stderr
    assert all(name not in result.stderr.split("must be set")[0].split("so ")[-1] for name in given)


def test_check_deploy_is_clean_with_debug_unset():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_web_server_refuses_to_start_without_collected_static(tmp_path):
    result = run("import kupang_portal.wsgi", {**PRODUCTION, "STATIC_ROOT": str(tmp_path / "empty")})
    assert result.returncode != 0
    assert "collectstatic" in result.stderr and "ImproperlyConfigured" in result.stderr
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    result = run("import kupang_portal.wsgi; print('started')", {**PRODUCTION, "STATIC_ROOT": str(tmp_path / "static")})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_cache_key_prefix_comes_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings; print('PREFIX', settings.CACHES['default']['KEY_PREFIX'])"
    result = run(code, {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/9", "CACHE_KEY_PREFIX": "portal-b"})
    assert "PREFIX portal-b" in result.stdout, result.stderr
    result = run(code, {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/9"}, drop={"CACHE_KEY_PREFIX"})
    assert "PREFIX kupang" in result.stdout, result.stderr


@pytest.mark.django_db
def test_flash_messages_are_kept_in_the_session_not_a_cookie(client):
    from tests import factories

    user = factories.resident(username="maria.ndolu", first_name="Maria", last_name="Ndolu")
    response = client.post("/akun/masuk/", {"username": "maria.ndolu", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = client.get(response["Location"]).content.decode()
    assert "Selamat datang, Maria" in page and user.pk
