"""Shared fixtures: eager Celery for unit tests, a real worker for integration tests, Chromium."""

import os
import shutil

import pytest

from kupang_portal.celery import app as celery_app

from . import dbsnapshot

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# next to one unless told it is safe (the loop is Playwright's, not ours).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _eager_celery(settings, tmp_path):
    """Unit tests run tasks in-process (after commit); integration fixtures switch this off."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.NOTIFICATION_FILE_DIR = tmp_path / "notifications"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}},
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """Each test starts in the default language; a request in English must not leak into the next."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as the migrations left it, kept as the reference-data snapshot that
    every transactional test's flush restores (tests/dbsnapshot.py)."""
    with django_db_blocker.unblock():
        dbsnapshot.take()
    dbsnapshot.install()
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from kupang_portal.core import cache as resilient_cache
    from kupang_portal.organization import calendar

    cache.clear()
    resilient_cache.forget_outage()
    calendar.forget_local_holidays()
    yield


def chromium_path():
    """CHROMIUM_PATH, else Debian's /usr/bin/chromium, else whatever chromium is on PATH."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip("no Chromium found: install Debian's chromium or set CHROMIUM_PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (360 px wide) on the live test server."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    os.makedirs("test-artifacts", exist_ok=True)
    context.close()


@pytest.fixture
def login(page):
    def do_login(username, password):
        page.goto("/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return do_login

