"""OneZone settings, read from the environment.

Defaults give a development site on an embedded SQLite database under the data directory.
Production (``ONEZONE_DEBUG`` false) refuses to start with the default secret key.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DATA_DIR = Path(os.environ.get("ONEZONE_DATA_DIR", Path.cwd() / "data")).resolve()

DEBUG = _env_bool("ONEZONE_DEBUG", True)

DEFAULT_SECRET_KEY = "onezone-insecure-development-key-change-me"  # noqa: S105  # nosec B105  # refused in production
SECRET_KEY = os.environ.get("ONEZONE_SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured("生产环境必须设置 ONEZONE_SECRET_KEY（至少50个随机字符），不能使用默认密钥。")

ALLOWED_HOSTS = _env_list("ONEZONE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _env_list("ONEZONE_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "onezone.core",
    "onezone.notify",
    "onezone.zones",
    "onezone.org",
    "onezone.powers",
    "onezone.enterprises",
    "onezone.personnel",
    "onezone.company",
    "onezone.safety",
    "onezone.support",
    "onezone.window",
    "onezone.investment",
    "onezone.policies",
    "onezone.assessment",
    "onezone.api",
    "onezone.portal",
    "onezone.synth",
    "onezone.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "onezone.core.middleware.NulRefusalMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "onezone.core.db_router.ReplicaRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onezone.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "onezone.urls"
WSGI_APPLICATION = "onezone.wsgi.application"
ASGI_APPLICATION = "onezone.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onezone.core.context_processors.onezone",
            ],
        },
    },
]

_sqlite_path = DATA_DIR / "onezone.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("ONEZONE_DATABASE_URL", f"sqlite:///{_sqlite_path}"),
        conn_max_age=int(os.environ.get("ONEZONE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction so two writers queue instead of failing half-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# A streaming replica for the reads that tolerate seconds of lag (core.db_router): the dashboard, rankings,
# exports, reports, public lists. A user who wrote reads from the primary for ONEZONE_REPLICA_PIN_SECONDS.
if os.environ.get("ONEZONE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["ONEZONE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("ONEZONE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 3}
    # The test run reads the primary's test database through the replica's server (tests/core/test_replica.py).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["onezone.core.db_router.PrimaryReplicaRouter"]
ONEZONE_REPLICA_PIN_SECONDS = int(os.environ.get("ONEZONE_REPLICA_PIN_SECONDS", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs: Django's Tasks API (the django-tasks backport). Embedded default: the database
# backend, run by `onezone worker`; with ONEZONE_REDIS_URL, RQ on Redis (many workers, many machines).
if os.environ.get("ONEZONE_REDIS_URL"):
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {"default": {"URL": os.environ["ONEZONE_REDIS_URL"]}}
    INSTALLED_APPS.append("django_rq")
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# `onezone worker --schedule` enqueues the nightly sweep once a day at this time (Asia/Shanghai, HH:MM);
# a running job that reports nothing for this many minutes is taken as interrupted (it can be retried).
# `onezone migrate` leaves the holiday calendar seeded from chinesecalendar (core.signals); the test suite's
# databases are made without it so that each test chooses its calendar.
ONEZONE_SEED_CALENDAR_ON_MIGRATE = True
ONEZONE_SWEEP_AT = os.environ.get("ONEZONE_SWEEP_AT", "02:00")
ONEZONE_JOB_STALE_MINUTES = int(os.environ.get("ONEZONE_JOB_STALE_MINUTES", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "onezone.core.passwords.CharacterClassValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
# Chinese only, whatever the browser asks for: the records, rules and messages are Chinese, and an
# English-language browser must not get half the screen in English.
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Stored files (materials, evidence, forms) go through Django's storage API: the media directory by
# default, any S3-compatible store with ONEZONE_S3_BUCKET (needs the ``s3`` extra: django-storages, boto3).
if os.environ.get("ONEZONE_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ONEZONE_S3_BUCKET"],
            "endpoint_url": os.environ.get("ONEZONE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ONEZONE_S3_REGION") or None,
            "access_key": os.environ.get("ONEZONE_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("ONEZONE_S3_SECRET_KEY") or None,
            "location": os.environ.get("ONEZONE_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": os.environ.get("ONEZONE_S3_ADDRESSING_STYLE") or None,
        },
    }
# The document cameras' upload folders: ONEZONE_SCAN_DIR/<username>/ per clerk (empty turns them off).
ONEZONE_SCAN_DIR = os.environ.get("ONEZONE_SCAN_DIR", str(DATA_DIR / "scans")) or None
ONEZONE_UPLOAD_MAX_BYTES = int(os.environ.get("ONEZONE_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# The demo serves static files straight from the installed packages: no collectstatic step. A production
# site serves the collected, hashed files: WhiteNoise sends those with a ten-year lifetime and ``immutable``
# (a new version has a new name); the few unhashed ones (favicon) for an hour.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600

LOGIN_URL = "/admin/login/"
LOGIN_REDIRECT_URL = "/admin/"

# Sessions end after 30 minutes without activity (等保三级: 登录超时自动退出).
SESSION_COOKIE_AGE = int(os.environ.get("ONEZONE_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

ONEZONE_BEHIND_TLS = _env_bool("ONEZONE_BEHIND_TLS", not DEBUG)
if ONEZONE_BEHIND_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("ONEZONE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ONEZONE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _env_bool("ONEZONE_HSTS_PRELOAD", True)

# Failed-login lockout: this many failures within the window lock the account name for the window.
ONEZONE_LOGIN_MAX_FAILURES = int(os.environ.get("ONEZONE_LOGIN_MAX_FAILURES", "5"))
ONEZONE_LOGIN_LOCK_MINUTES = int(os.environ.get("ONEZONE_LOGIN_LOCK_MINUTES", "15"))
ONEZONE_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("ONEZONE_LOGIN_MAX_FAILURES_PER_IP", "30"))

# The service window (all in working days): warning before the committed deadline, rectification of a
# bad rating, answering a complaint; and public status look-ups allowed per address and minute.
ONEZONE_WINDOW_WARNING_DAYS = int(os.environ.get("ONEZONE_WINDOW_WARNING_DAYS", "3"))
ONEZONE_WINDOW_RECTIFICATION_DAYS = int(os.environ.get("ONEZONE_WINDOW_RECTIFICATION_DAYS", "15"))
ONEZONE_WINDOW_COMPLAINT_DAYS = int(os.environ.get("ONEZONE_WINDOW_COMPLAINT_DAYS", "10"))
ONEZONE_WINDOW_LOOKUPS_PER_MINUTE = int(os.environ.get("ONEZONE_WINDOW_LOOKUPS_PER_MINUTE", "10"))

# The zone the site shows when a user holds roles in one zone only is found from the roles;
# a single-zone site may name it outright.
ONEZONE_ZONE_MODEL = "zones.Zone"
ONEZONE_DEMO = _env_bool("ONEZONE_DEMO", False)
ONEZONE_DEFAULT_ZONE_CODE = os.environ.get("ONEZONE_DEFAULT_ZONE_CODE", "")

# With Redis (ONEZONE_REDIS_URL) every web process shares the cache (login lockout, look-up limits, the
# calendar) and the sessions, which then cost no database write per request. Sessions live in their own
# cache alias and key prefix; a Redis that keeps its data (appendonly) keeps users signed in across restarts.
ONEZONE_REDIS_URL = os.environ.get("ONEZONE_REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "onezone",
    }
}
if ONEZONE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ONEZONE_REDIS_URL,
            "KEY_PREFIX": "onezone",
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ONEZONE_REDIS_URL,
            "KEY_PREFIX": "onezone-session",
            "TIMEOUT": SESSION_COOKIE_AGE,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ONEZONE_LOG_LEVEL", "WARNING")},
}

from onezone.core.admin_site import UNFOLD  # noqa: E402,F401  the back office's look and navigation

AUTHENTICATION_BACKENDS = ["onezone.core.auth.LockoutModelBackend"]

# API paging bounds: no page beyond these, so a hostile offset is refused rather than sent to the database.
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_MAX_OFFSET = 10_000_000
