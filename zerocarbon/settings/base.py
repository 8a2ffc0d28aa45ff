"""Settings shared by every environment; the environment decides the rest (see .env.example)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from zerocarbon.settings.env import (
    broker_url,
    celery_time_limits,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_optional,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
SHARED_DIR = BASE_DIR.parent / "shared"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # The admin modules are imported by the URL configuration, not at start-up (zerocarbon/apps.py).
    "zerocarbon.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    # Needed for its abstract key model (its module also defines a concrete APIKey, which
    # Django refuses outside an installed app); we use our own zerocarbon.accounts.ApiKey.
    "rest_framework_api_key",
    "drf_spectacular",
    "django_filters",
    # Swagger UI's scripts and styles as our own static files: the docs page loads nothing
    # from another host (docs/decisions.md).
    "drf_spectacular_sidecar",
    "axes",
    # The audit trail of the inventories and assessments (emissions/history.py).
    "simple_history",
    "zerocarbon.accounts",
    "emissions",
    "assessments",
    "reports",
]

MIDDLEWARE = [
    # First: answers the container health probe before host validation and the HTTPS
    # redirect, which a probe on http://127.0.0.1 cannot pass (see zerocarbon/health.py).
    "zerocarbon.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every answer (django-csp; policy below).
    "csp.middleware.CSPMiddleware",
    # Before anything reads a body (CSRF reads form posts): refuses one above the view's limit.
    "zerocarbon.middleware.BodyLimitMiddleware",
    # A database or broker gone for a moment: 503 with Retry-After, not 500.
    "zerocarbon.unavailable.UnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A signed-in user's own choice of language, saved on the user, wins over the cookie.
    "zerocarbon.language.UserLanguageMiddleware",
    # Under /api/: English unless Accept-Language prefers Chinese (pages keep the above).
    "zerocarbon.language.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's memberships, read once a request by every selector that scopes by them.
    "zerocarbon.middleware.MembershipsReadOnceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The request's user (or API key, set later by DRF) names who made a change in the trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zerocarbon.urls"
WSGI_APPLICATION = "zerocarbon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zerocarbon.accounts.context_processors.membership",
            ],
            # Filters every page uses: {% load zc %} (bilingual texts, exact numbers).
            "libraries": {"zc": "zerocarbon.templatetags"},
        },
    },
]

_database_url = env_optional("DATABASE_URL")
if not _database_url:
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": (
        database_from_url("DATABASE_URL", _database_url)
        if _database_url
        else {
            # Quickstart only: a file under the ignored var/ folder. IMMEDIATE transactions
            # serialise writers, which the serial-claim triggers rely on.
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "zerocarbon.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes) for the site login and the admin login: after
# AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is refused
# (HTTP 429, registration/lockout.html) for AXES_COOLOFF_MINUTES, even with the right
# password. Keyed on the pair, so nobody locks a user out from another address. The axes
# backend only refuses; ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The language cookie of the header's switch outlives the browser session (a signed-in user's
# choice is also saved on the user: zerocarbon/language.py).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# The catalogue of zerocarbon/ and templates/ (zerocarbon is not an app); the apps' own are
# found in <app>/locale. Compiled .mo files are committed: running needs no gettext tools.
LOCALE_PATHS = [BASE_DIR / "zerocarbon" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "zerocarbon" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
EVIDENCE_MAX_BYTES = env_int("ZEROCARBON_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024, minimum=1)
# Request bodies (zerocarbon/middleware.py): at most MAX_BODY_BYTES, except the dossier import
# routes (MAX_DOSSIER_BYTES) and evidence uploads (EVIDENCE_MAX_BYTES + multipart overhead).
# Django's own cap on bodies read into memory never refuses what a view's limit allows; an
# upload above the general limit is streamed to a temporary file.
MAX_BODY_BYTES = env_int("ZEROCARBON_MAX_BODY_BYTES", default=1024 * 1024, minimum=1)
MAX_DOSSIER_BYTES = env_int("ZEROCARBON_MAX_DOSSIER_BYTES", default=16 * 1024 * 1024, minimum=1)
# Meter readings: 50,000 rows of a JSON list are about 5 MB (emissions/ingest/readings.py).
MAX_READINGS_BYTES = env_int("ZEROCARBON_MAX_READINGS_BYTES", default=16 * 1024 * 1024, minimum=1)
# Certificates are valid to the end of the year this many years after the data year.
CERTIFICATE_VALID_YEARS = env_int("ZEROCARBON_CERTIFICATE_VALID_YEARS", default=1, minimum=1)
# The review of a certification body: with four eyes on, nobody who prepared a submission
# (submitted it, or changed its data, answers or evidence) may approve it.
REVIEW_FOUR_EYES = env_bool("ZEROCARBON_REVIEW_FOUR_EYES", default=True)
# E-mail: each review step notifies the consultants and auditors concerned (SMTP unless the
# environment names another Django backend; the quickstart prints them on the console).
EMAIL_BACKEND = (
    env_optional("DJANGO_EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_optional("DJANGO_EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", default=25, minimum=1)
EMAIL_HOST_USER = env_optional("DJANGO_EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_optional("DJANGO_EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_optional("DJANGO_DEFAULT_FROM_EMAIL") or "ZeroCarbon <no-reply@localhost>"
# The public verification pages (/verify/): requests per minute per client address, counted
# in the default cache with django-ratelimit (per process, as the API's throttles).
VERIFY_REQUESTS_PER_MINUTE = env_int("ZEROCARBON_VERIFY_REQUESTS_PER_MINUTE", default=30, minimum=1)
# Where /verify/<number>/ is reached from outside: the host of the certificates' QR codes.
ZEROCARBON_PUBLIC_BASE_URL = env_optional("ZEROCARBON_PUBLIC_BASE_URL") or "http://localhost:8000"
# The rendered answers of the busiest read views (zerocarbon/page_cache.py), kept in each
# process's memory until the data generation under them changes; this many seconds at most
# (0: nothing is kept). The default cache holds the rate-limit counters.
ZEROCARBON_PAGE_CACHE_SECONDS = env_int("ZEROCARBON_PAGE_CACHE_SECONDS", default=300, minimum=0)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "zerocarbon-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000, "CULL_FREQUENCY": 4},
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = max(MAX_BODY_BYTES, MAX_DOSSIER_BYTES, MAX_READINGS_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES

REST_FRAMEWORK = {
    # The key first: DRF takes the 401 challenge from the first authenticator, so a request
    # without credentials answers 401, never 403. The browser's session login comes second
    # (with CSRF on its writes); a key request carries no cookie, so it needs no CSRF token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zerocarbon.accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Requests a minute per key, per user and per address (zerocarbon/throttling.py); generous
    # by default, so that only a runaway client meets them.
    "DEFAULT_THROTTLE_CLASSES": [
        "zerocarbon.throttling.ApiKeyRateThrottle",
        "zerocarbon.throttling.UserRateThrottle",
        "zerocarbon.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api_key": f"{env_int('ZEROCARBON_API_KEY_REQUESTS_PER_MINUTE', 6000, minimum=1)}/min",
        "user": f"{env_int('ZEROCARBON_API_USER_REQUESTS_PER_MINUTE', 1200, minimum=1)}/min",
        "anon": f"{env_int('ZEROCARBON_API_ANON_REQUESTS_PER_MINUTE', 120, minimum=1)}/min",
    },
    "DEFAULT_PARSER_CLASSES": ["zerocarbon.parsers.DecimalJSONParser"],
    # Decimals as JSON numbers with exactly their digits (DRF's own writes them through float).
    "DEFAULT_RENDERER_CLASSES": [
        "zerocarbon.renderers.ExactJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "zerocarbon.api.exception_handler",
    # Limit/offset, at most 500 a page; a bad limit, offset or filter is a 400 naming it.
    "DEFAULT_PAGINATION_CLASS": "zerocarbon.query_params.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["zerocarbon.query_params.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "zerocarbon.schema.ApiSchema",
}

# OpenAPI 3 at /api/v1/schema/, Swagger UI at /api/v1/docs/ (zerocarbon/api_urls.py).
SPECTACULAR_SETTINGS = {
    "TITLE": "ZeroCarbon API",
    "DESCRIPTION": (
        "Factories, inventories, assessments, evaluations and dossiers of the zero-carbon "
        "factory rating (T/CECA-G 0171-2022). Send an API key of your organisation as "
        "`Authorization: Bearer <key>` (or use the browser's login); without one every "
        "address but the schema and these docs answers 401. Every error has the one shape "
        "of the Error component."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets of the same field name in different resources, named after their owner.
    "ENUM_NAME_OVERRIDES": {
        "GreenInstrumentEnum": "emissions.models.instruments.GREEN_INSTRUMENTS",
        "CreditInstrumentEnum": "emissions.models.instruments.CREDIT_INSTRUMENTS",
        "CreditKindEnum": "emissions.models.instruments.CarbonCredit.Kind",
        "MeterKindEnum": "emissions.models.meters.Meter.Kind",
    },
    "TAGS": [
        {"name": "factories", "description": "Your organisations' factories."},
        {"name": "inventories", "description": "Emission inventories, one factory-year each."},
        {"name": "assessments", "description": "Ratings of an inventory against a rubric."},
        {"name": "evaluations", "description": "Recorded, reproducible evaluation results."},
        {"name": "dossiers", "description": "Whole `zerocarbon.dossier/1` files in and out."},
        {"name": "meters", "description": "Meters, their readings, monthly roll-up and quality."},
        {
            "name": "records",
            "description": "An inventory's lines: energy, process emissions, refrigerants, "
            "scope 3 and reduction measures; each write is checked by the dossier's rules.",
        },
        {
            "name": "instruments",
            "description": "Green-electricity instruments and carbon credits; their serial "
            "ranges are claimed once across the platform.",
        },
    ],
}

# Celery: Redis when a broker is configured; without one (quickstart only) tasks run
# in-process, eagerly, so the app still works with nothing but SQLite.
CELERY_BROKER_URL = broker_url("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_optional("CELERY_RESULT_BACKEND")  # results live in the DB
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
# In-process tasks end as on a worker: an error is logged and recorded by the task, never
# raised into the request that published it (and in-process retries run to the end).
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_IMPORTS = ["zerocarbon.tasks"]  # not an app, so not autodiscovered
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Unacknowledged tasks of a worker that died return to the queue after the visibility timeout:
# just longer than the hard time limit, so that no running task is handed out twice
# (celery_time_limits refuses inconsistent values).
CELERY_TASK_TIME_LIMIT, CELERY_TASK_SOFT_TIME_LIMIT, _visibility_timeout = celery_time_limits()
# Connecting to Redis gives up after 2 s, so that a broker that does not answer costs a
# submission a moment, not a hang (it is recorded and swept up later anyway).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    "socket_connect_timeout": 2,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # Chatter, not events: axes announces itself in every process, WeasyPrint every render step.
    "loggers": {"axes.apps": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Submissions always finish: every minute, publish again the evaluations the broker never took
# or must have lost (assessments.services.workflow.sweep_submissions). A sweep nobody ran within the
# minute is dropped: the next one does the same work.
# A re-rating's chunks report to their batch; when none has for this long, the sweep hands
# the remaining items to the queue again (a worker died, or the broker lost the messages).
ZEROCARBON_RERATE_LEASE_SECONDS = env_int("ZEROCARBON_RERATE_LEASE_SECONDS", default=120)

# A job claimed by a worker (a PDF render, an import job) that is still running this long
# after the claim is presumed abandoned by a dead worker: the reaper hands it over again, or
# fails it after three hand-overs (zerocarbon/leases.py; decision in docs/decisions.md).
# Default: the hard time limit plus the visibility timeout, past which no live worker can
# still hold it.
ZEROCARBON_TASK_LEASE_SECONDS = env_int(
    "ZEROCARBON_TASK_LEASE_SECONDS",
    default=CELERY_TASK_TIME_LIMIT + _visibility_timeout,
    minimum=1,
)
# The outboxes the reaper looks after; one line per kind of job (zerocarbon.leases.Outbox).
ZEROCARBON_LEASE_HOLDERS = [
    "reports.rendering.RENDERS",
    "assessments.services.import_jobs.IMPORTS",
]
CELERY_BEAT_SCHEDULE = {
    "zerocarbon.reap_leases": {
        "task": "zerocarbon.reap_leases",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    "assessments.sweep_reratings": {
        "task": "assessments.sweep_reratings",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    "assessments.sweep_submissions": {
        "task": "assessments.sweep_submissions",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
}


# Content security policy (django-csp, decision 101): everything from our own origin; no
# inline or eval'd script (htmx runs with allowEval off, our one listener is in app.js, the
# API docs use Swagger's split view); style attributes allowed, since the SVG charts size
# themselves with one (an attribute can neither define selectors nor load from elsewhere);
# no framing, no plug-ins, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
