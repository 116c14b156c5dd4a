"""Settings for youthcase: one file, configured from the environment.

Development (`make run`) needs no environment at all: SQLite in the checkout
and Celery tasks run in-process. Production sets at least SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL and REDIS_URL with DJANGO_DEBUG=false; see the
README. Bad values fail at start-up, loudly, rather than at the first request.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local, git-ignored .env (written by `make run`) is read for development;
# variables already in the environment win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


def env_flag(name: str, *, default: bool) -> bool:
    """A yes/no setting; anything but a clear yes or no is an error, not False."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")
    return raw in _TRUE


DEBUG = env_flag("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "accounts",
    "cases",
    "interventions",
    "outcomes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before anything below: no session, no CSP, cacheable.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Cache-Control: no-store on every response to a signed-in user (accounts/middleware.py).
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The 30-minute idle and 12-hour absolute session limits, then the second factor
    # for analysts and administrators (accounts/middleware.py).
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the case data's history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "youthcase.urls"
WSGI_APPLICATION = "youthcase.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# No DATABASE_URL: SQLite in the checkout, for `make run` on a bare machine.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cases.User"
# django-axes first: it refuses a locked-out username or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Our users have one `name` field, not Django's first and last name.
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Copenhagen"  # all calendar reasoning is local (spec §1)
USE_TZ = True

# --- Static files (vendored, no CDN) --------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security (docs/SECURITY.md) ---------------------------------------------------
# Sessions: 30 minutes without a request ends a session, and so does 12 hours after
# sign-in whatever the activity (accounts/middleware.py). The session row itself
# expires SESSION_COOKIE_AGE after its last save; the middleware saves it at most once
# a SESSION_TOUCH_SECONDS, so the idle limit is between 29 and 30 minutes.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Lock-out (django-axes): LOGIN_FAILURE_LIMIT failed sign-ins lock that username, and
# separately that address, for LOGIN_COOLOFF_MINUTES. A successful sign-in clears the
# count. An administrator lifts a lock early with `manage.py axes_reset_username NAME`
# or `axes_reset_ip ADDRESS` (or deletes the attempt in the admin).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Behind the TLS proxy every request comes from the proxy's address; with
# LOGIN_TRUSTED_PROXIES=1 the client's address is the entry that one proxy appended to
# X-Forwarded-For (accounts/addresses.py), so one office's typos do not lock out everyone.
LOGIN_TRUSTED_PROXIES = env.int("LOGIN_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"

# Second factor (django-otp, TOTP): analysts and administrators enrol an authenticator
# app at their first sign-in and give a code at every sign-in (accounts/middleware.py).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="youthcase")

# Content Security Policy (django-csp): no inline script or style anywhere; the API
# docs pages get their documented exceptions in youthcase/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap's icons are data: SVGs in its CSS
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- REST API ----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "youthcase API",
    "DESCRIPTION": "Case management for municipal youth services. All data is scoped to the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two methods each have an "outcome" and the mediation relationship is used
    # under two names; give each choice set one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MentorMatchOutcomeEnum": "interventions.models.mentoring.Match.Outcome",
        "MediationOutcomeEnum": "interventions.models.mediation.MediationCase.Outcome",
        "MediationRelationshipEnum": "interventions.models.mediation.Relationship",
    },
}

# --- Celery ------------------------------------------------------------------
# No REDIS_URL: tasks run in-process (eager), so `make run` needs no broker.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_flag("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# The longest task (the nightly recompute of one shard) is capped here; the
# broker's visibility timeout in youthcase/celery.py is set well above it so a
# task is never redelivered while it is still running.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TIMEZONE = TIME_ZONE
# Enrolments per shard of the nightly recompute (docs/JOBS.md): each shard is one task of
# about a second on the 20,000 database; fewer, larger shards cut per-shard overhead.
INDICATOR_SHARD_SIZE = env.int("INDICATOR_SHARD_SIZE", default=5000)
# The nightly recompute of every enrolment's indicators (docs/JOBS.md); on
# Sundays the weekly fact table is rebuilt as well. Exactly one beat process runs.
CELERY_BEAT_SCHEDULE = {
    "indicators-nightly": {
        "task": "outcomes.tasks.recompute_all",
        "schedule": crontab(hour=1, minute=30, day_of_week="mon-sat"),
    },
    # On the first day of each quarter, last quarter's municipality report; the analysts get an e-mail.
    "quarterly-report": {
        "task": "outcomes.reports.request_last_quarter",
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # Data lifecycle (docs/SECURITY.md): expired access-log rows, then closed cases past retention.
    "access-log-retention": {
        "task": "cases.tasks.purge_expired_access_log",
        "schedule": crontab(hour=2, minute=30),
    },
    "case-retention": {
        "task": "cases.tasks.purge_closed_cases",
        "schedule": crontab(hour=3, minute=0, day_of_week="sun"),
    },
    "indicators-weekly-with-facts": {
        "task": "outcomes.tasks.recompute_all",
        "schedule": crontab(hour=1, minute=30, day_of_week="sun"),
        "kwargs": {"rebuild_facts": True},
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="youthcase@localhost")
# The address e-mailed links point to, and the municipality named on report covers.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
MUNICIPALITY_NAME = env.str("MUNICIPALITY_NAME", default="")

# --- Retention (docs/SECURITY.md) -------------------------------------------------
# How long the access log is kept before the nightly job deletes it.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=5 * 365)
# Enrolments closed more than this many years ago are archived (JSON) and purged.
CASE_RETENTION_YEARS = env.int("CASE_RETENTION_YEARS", default=5)
RETENTION_ARCHIVE_DIR = env.path("RETENTION_ARCHIVE_DIR", default=Path(str(MEDIA_ROOT)) / "retention-archives")

# --- Logging ------------------------------------------------------------------
# Application logs never carry personal data: views log ids, never names, CPR
# numbers or notes. Who read what lives in the access log (cases.AccessLog).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every render at INFO; only problems matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes narrates every sign-in at INFO; a lock-out is a WARNING and stays.
        "axes": {"level": "WARNING"},
    },
}

# Office hours used to derive whether a contact was outside them (local time):
# Monday-Friday 08:00-16:00, the opening hours of a Danish municipal office.
OFFICE_HOURS_START = env.int("OFFICE_HOURS_START", default=8)
OFFICE_HOURS_END = env.int("OFFICE_HOURS_END", default=16)
