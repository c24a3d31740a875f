"""Settings for Layanan Publik Kota Kupang, configured entirely by environment variables.

The embedded defaults (no variables set) give a working development portal: SQLite, Celery tasks
run eagerly after commit, e-mail and gateway messages written to files under var/.
Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and friends.
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = env(name)
    return default if value is None else int(value)


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Core ---------------------------------------------------------------------------------------
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

# Off unless asked for: a server started without the variable never shows debug pages. `make run`
# and the test settings turn it on explicitly.
DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "django-insecure-dev-only-kupang-portal-change-me"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Public base URL used in e-mail/SMS/WhatsApp links, receipts' QR codes and survey links (the
# in-app inbox uses relative links). `make run` sets it from HOST and PORT; without DEBUG it has no
# default: the portal refuses to start without it (and `check --deploy` checks it too,
# kupang_portal/core/checks.py).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000" if DEBUG else None)
if not DEBUG:
    _missing = [name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS), ("SITE_URL", SITE_URL))
                if not value]
    if _missing:
        raise ImproperlyConfigured(
            f"DEBUG is off (the default), so {', '.join(_missing)} must be set in the environment "
            "(see README, Configuration). For development set DEBUG=1, as `make run` does."
        )
SITE_URL = SITE_URL.rstrip("/")
VAR_DIR = Path(env("VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "kupang_portal.core",
    "kupang_portal.accounts",
    "kupang_portal.organization",
    "kupang_portal.workflow",
    "kupang_portal.notifications",
    "layanan",
    "pengaduan",
    "kupang_portal.dashboards",
    "antrean",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kupang_portal.core.middleware.NulByteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kupang_portal.core.middleware.IndonesianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kupang_portal.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # With DATABASE_REPLICA_URL: after a write, this browser reads the primary for a few seconds.
    "kupang_portal.core.db.PinAfterWriteMiddleware",
]

ROOT_URLCONF = "kupang_portal.urls"
WSGI_APPLICATION = "kupang_portal.wsgi.application"
ASGI_APPLICATION = "kupang_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kupang_portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: a new PostgreSQL connection costs ~4 ms of CPU per request.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# A streaming replica for reads that tolerate a second of lag (dashboards, transparency, Open311
# GETs, exports): see kupang_portal/core/db.py for the convention. Tests use the primary for it.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"), conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# Read your own writes: after a POST a browser's lag-tolerant pages read the primary this long.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)
# A value computed from the replica is cached at most this long (it may have raced the lag).
REPLICA_CACHE_SECONDS = env_int("REPLICA_CACHE_SECONDS", 30)
DATABASE_ROUTERS = ["kupang_portal.core.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (Redis when configured; it also carries rate limits and the holiday calendar) ---------
REDIS_URL = env("REDIS_URL")


def cache_settings(location, key_prefix, options):
    """``default``: counters and stamps (``kupang_portal.core.cache`` falls back to the process
    when Redis fails). ``template_fragments`` (Django's ``{% cache %}`` uses it when it exists) on
    the same Redis and keys: values the database can always give again (fragments, the
    catalogue's version, computed figures); when Redis fails a read there misses and a write is
    dropped, so the page is rendered instead of answering 500."""
    default = {"BACKEND": "kupang_portal.core.cache.PortalRedisCache", "LOCATION": location,
               "KEY_PREFIX": key_prefix, "OPTIONS": options}
    return {"default": default,
            "template_fragments": {**default, "BACKEND": "kupang_portal.core.cache.FailSoftRedisCache"}}


if REDIS_URL:
    # Like CELERY_KEY_PREFIX: several portals on one Redis keep their own counters. A stopped or
    # unreachable Redis answers quickly (1 s timeouts).
    CACHES = cache_settings(env("CACHE_URL", REDIS_URL), env("CACHE_KEY_PREFIX", "kupang"),
                            {"socket_connect_timeout": 1, "socket_timeout": 1})
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# With Redis, a signed-in request reads its session there (one GET) instead of a query; the
# database stays the record and the cache's outage rules apply (kupang_portal/core/sessions.py).
# Without it (make run) sessions stay in the database: a per-process cache would not see a logout
# made in another process.
SESSION_ENGINE = "kupang_portal.core.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"

# Whole public responses for anonymous visitors (home, catalogue, service standard, tracking page,
# Open311 list), renewed after every committed change they show: see kupang_portal/core/pagecache.py.
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)
# How long a web process serves its own copy without asking the shared cache (a second of lag
# across processes after a change; 0 = always ask).
PUBLIC_PAGE_CACHE_LOCAL_SECONDS = float(env("PUBLIC_PAGE_CACHE_LOCAL_SECONDS", "1"))
# Part of every cached page's key besides the templates' digest: set it to the deployed commit.
PUBLIC_PAGE_CACHE_RELEASE = env("PUBLIC_PAGE_CACHE_RELEASE", "")

# Flash messages live in the session, never in a cookie (they may carry the resident's name).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kupang_portal.accounts.backends.UsernameEmailPhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
# Argon2id first (parameters measured and explained in accounts/hashers.py and docs/scaling.md);
# the others only verify older hashes, which are upgraded to Argon2 at the next login.
PASSWORD_HASHERS = [
    "kupang_portal.accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (see accounts.backends): failures per (account, IP), per IP and per account
# within LOGIN_LOCKOUT_SECONDS; the per-account limit spares addresses the owner logged in from.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
LOGIN_MAX_FAILURES_PER_IP = env_int("LOGIN_MAX_FAILURES_PER_IP", 20)
LOGIN_MAX_FAILURES_PER_ACCOUNT = env_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 50)
LOGIN_KNOWN_IP_SECONDS = env_int("LOGIN_KNOWN_IP_SECONDS", 90 * 24 * 3600)
LOGIN_STAFF_ALERT_FAILURES = env_int("LOGIN_STAFF_ALERT_FAILURES", 10)
# Password reset requests: per address and per IP per hour (answers never reveal an account).
PASSWORD_RESET_MAX_PER_ADDRESS = env_int("PASSWORD_RESET_MAX_PER_ADDRESS", 3)
PASSWORD_RESET_MAX_PER_IP = env_int("PASSWORD_RESET_MAX_PER_IP", 10)
# Sign-ups refused because the e-mail, phone number or NIK belongs to an account, per IP and hour:
# past it the form checks nothing (it would tell anyone whose NIK or number has an account).
SIGNUP_MAX_TAKEN_PER_IP = env_int("SIGNUP_MAX_TAKEN_PER_IP", 10)
# New applications a resident (or one network) may start, against flooding.
LAYANAN_MAX_NEW_PER_USER_PER_DAY = env_int("LAYANAN_MAX_NEW_PER_USER_PER_DAY", 10)
LAYANAN_MAX_NEW_PER_IP_PER_HOUR = env_int("LAYANAN_MAX_NEW_PER_IP_PER_HOUR", 30)
# Complaints (see the README, "Limits"): per account when logged in; anonymous ones per browser and,
# much higher (carrier-grade NAT, shared office Wi-Fi), per IP; Open311 per API key.
PENGADUAN_MAX_PER_USER_PER_DAY = env_int("PENGADUAN_MAX_PER_USER_PER_DAY", 10)
PENGADUAN_MAX_ANONYMOUS_PER_BROWSER_PER_HOUR = env_int("PENGADUAN_MAX_ANONYMOUS_PER_BROWSER_PER_HOUR", 5)
PENGADUAN_MAX_ANONYMOUS_PER_IP_PER_HOUR = env_int("PENGADUAN_MAX_ANONYMOUS_PER_IP_PER_HOUR", 60)
PENGADUAN_MAX_PER_API_KEY_PER_HOUR = env_int("PENGADUAN_MAX_PER_API_KEY_PER_HOUR", 120)
# Wrong secret codes on /lacak/ before a lockout (window PENGADUAN_CODE_LOCK_SECONDS).
PENGADUAN_MAX_CODE_FAILURES_PER_NUMBER = env_int("PENGADUAN_MAX_CODE_FAILURES_PER_NUMBER", 10)
PENGADUAN_MAX_CODE_FAILURES_PER_IP = env_int("PENGADUAN_MAX_CODE_FAILURES_PER_IP", 30)
PENGADUAN_CODE_LOCK_SECONDS = env_int("PENGADUAN_CODE_LOCK_SECONDS", 3600)

# Retention after closing (days; see README, Retention): the complaint reporter's identity and
# photos (2 years: the Ombudsman takes reports up to 2 years after the event, UU 37/2008 Pasal 24),
# uploaded documents of applications (1 year: objection and PTUN deadlines are months, and the
# yearly audit of the service is done within the following year).
RETENTION_COMPLAINT_DAYS = env_int("RETENTION_COMPLAINT_DAYS", 730)
RETENTION_APPLICATION_DOCUMENTS_DAYS = env_int("RETENTION_APPLICATION_DOCUMENTS_DAYS", 365)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Makassar"  # WITA
USE_TZ = True
FORMAT_MODULE_PATH = None

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
_bootstrap_spec = importlib.util.find_spec("bootstrap")
STATICFILES_DIRS = [BASE_DIR / "static"]
if _bootstrap_spec and _bootstrap_spec.submodule_search_locations:
    # bootstrap-wrapper installs Bootstrap's dist folder as the package "bootstrap".
    STATICFILES_DIRS.append(("vendor/bootstrap", list(_bootstrap_spec.submodule_search_locations)[0]))
# Collected, hashed and pre-compressed (gzip + Brotli) static files, served by WhiteNoise with
# far-future cache headers: Bootstrap goes over the wire at about a fifth of its size. On by
# default without DEBUG and under `make up` (which runs collectstatic); in development WhiteNoise
# serves straight from the app folders (no collectstatic needed).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG and not STATIC_MANIFEST
# Private files (uploads, issued documents, receipts) never get a public URL: views stream them
# after a permission check.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "kupang_portal.core.staticstorage.PortalStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
# Upload limits (bytes). Judged by content, see kupang_portal.core.uploads.
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_BYTES", 5 * 1024 * 1024)
UPLOAD_MAX_TOTAL_BYTES = env_int("UPLOAD_MAX_TOTAL_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Layanan Publik Kota Kupang <noreply@kupangkota.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Notifications ------------------------------------------------------------------------------
# Channel name -> backend class path. Development backends write to files under var/.
NOTIFICATION_BACKENDS = {
    "inapp": "kupang_portal.notifications.backends.InAppBackend",
    "email": env("NOTIFY_EMAIL_BACKEND", "kupang_portal.notifications.backends.EmailBackend"),
    "sms": env(
        "NOTIFY_SMS_BACKEND",
        "kupang_portal.notifications.backends.FileBackend"
        if not env("SMS_GATEWAY_URL")
        else "kupang_portal.notifications.backends.HttpGatewayBackend",
    ),
    "whatsapp": env(
        "NOTIFY_WHATSAPP_BACKEND",
        "kupang_portal.notifications.backends.FileBackend"
        if not env("WHATSAPP_GATEWAY_URL")
        else "kupang_portal.notifications.backends.HttpGatewayBackend",
    ),
}
NOTIFICATION_FILE_DIR = Path(env("NOTIFICATION_FILE_DIR", VAR_DIR / "notifications"))
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", "")
WHATSAPP_GATEWAY_URL = env("WHATSAPP_GATEWAY_URL", "")
WHATSAPP_GATEWAY_TOKEN = env("WHATSAPP_GATEWAY_TOKEN", "")
GATEWAY_TIMEOUT_SECONDS = float(env("GATEWAY_TIMEOUT_SECONDS", "10"))
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 8)
# Backoff of a transient failure: the first retry after BASE seconds, doubled up to CAP.
NOTIFICATION_RETRY_BASE_SECONDS = float(env("NOTIFICATION_RETRY_BASE_SECONDS", "30"))
NOTIFICATION_RETRY_CAP_SECONDS = float(env("NOTIFICATION_RETRY_CAP_SECONDS", str(30 * 60)))
# A pending row older than this is re-enqueued by the beat sweeper, at most BATCH per run.
NOTIFICATION_SWEEP_AFTER_SECONDS = float(env("NOTIFICATION_SWEEP_AFTER_SECONDS", "60"))
NOTIFICATION_SWEEP_BATCH = env_int("NOTIFICATION_SWEEP_BATCH", 500)

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process; they are always enqueued on commit, so "eager" still
# means "after the transaction that caused them".
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", DEBUG and not REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "kupang_portal.notifications.tasks.*": {"queue": "notifications"},
    "layanan.tasks.route_*": {"queue": "routing"},
    "pengaduan.tasks.route_*": {"queue": "routing"},
    "*.tasks.periodic_*": {"queue": "periodic"},
}
CELERY_TASK_QUEUES_NAMES = ["default", "notifications", "routing", "periodic"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if env("CELERY_KEY_PREFIX"):
    # Lets several portals (or test runs) share one Redis without taking each other's tasks.
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env("CELERY_KEY_PREFIX")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep-pending": {
        "task": "kupang_portal.notifications.tasks.periodic_sweep_pending",
        "schedule": 60.0,
    },
    # Deadline reminders and escalations for every case type (working days, none on holidays).
    "notifications-deadline-reminders": {
        "task": "kupang_portal.notifications.tasks.periodic_deadline_reminders",
        "schedule": crontab(minute=0, hour="7-16", day_of_week="mon-fri"),
    },
    "notifications-daily-digest": {
        "task": "kupang_portal.notifications.tasks.periodic_daily_digest",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon-fri"),
    },
    # Routing lost to a broker outage is enqueued again.
    "layanan-route-pending": {"task": "layanan.tasks.periodic_route_pending", "schedule": 60.0},
    "pengaduan-route-pending": {"task": "pengaduan.tasks.periodic_route_pending", "schedule": 60.0},
    # From 1 October: the admins hear (weekly) when next year's holidays are not loaded yet.
    "organization-check-calendar": {
        "task": "kupang_portal.organization.tasks.periodic_check_calendar",
        "schedule": crontab(minute=0, hour=8),
    },
    # Personal data past its retention period (see README, Retention), nightly.
    "core-retention": {"task": "kupang_portal.core.tasks.periodic_retention", "schedule": crontab(minute=30, hour=2)},
    # Responded complaints close 10 working days after the response (SP4N-LAPOR!).
    # Dashboard rollups: today's (and yesterday's) buckets every 5 minutes, the last 7 days nightly.
    "dashboards-fill-today": {"task": "kupang_portal.dashboards.tasks.periodic_fill_today", "schedule": 300.0},
    "dashboards-fill-last-week": {
        "task": "kupang_portal.dashboards.tasks.periodic_fill_last_week",
        "schedule": crontab(minute=30, hour=1),
    },
    # Photos of complaint forms never sent (pengaduan/tunda/), older than a day: nightly.
    "pengaduan-purge-pending-photos": {
        "task": "pengaduan.tasks.periodic_purge_pending_photos",
        "schedule": crontab(minute=45, hour=3),
    },
    "pengaduan-autoclose-responded": {
        "task": "pengaduan.tasks.periodic_autoclose_responded",
        "schedule": crontab(minute=15, hour="*/1"),
    },
    # Counter appointments: holds expire, no-shows; reminders on the morning and the working day before.
    "antrean-sweep": {"task": "antrean.tasks.periodic_sweep", "schedule": 60.0},
    "antrean-remind-today": {"task": "antrean.tasks.periodic_reminders", "schedule": crontab(minute=0, hour=6, day_of_week="mon-fri"), "args": ("today",)},
    "antrean-remind-day-before": {"task": "antrean.tasks.periodic_reminders", "schedule": crontab(minute=5, hour=16, day_of_week="mon-fri"), "args": ("next",)},
}

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# No inline scripts anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Forms --------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- SLA ----------------------------------------------------------------------------------------
# A deadline falls at the end of its working day, local time (WITA).
SLA_END_OF_DAY = env("SLA_END_OF_DAY", "23:59:59")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # In eager mode (make run) every task would log a line into the web server's output.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

# Celery's Django fixup closes the DB connection around every task unless told to reuse it
# (~200 vs ~900 one-row tasks/s on this hardware).
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
