"""Production: every secret comes from the environment, none has a default; HTTPS only; no
debug pages and no in-process tasks."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from zerocarbon.settings.base import *  # noqa: F403
from zerocarbon.settings.env import env_bool, env_int, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters.")
if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
env_str("DATABASE_URL")  # production never falls back to the quickstart SQLite file
if env_bool("DJANGO_DEBUG", default=False):
    raise ImproperlyConfigured(
        f"DJANGO_DEBUG={os.environ['DJANGO_DEBUG']!r} turns DEBUG on, which production "
        "refuses: debug pages show settings, code and data to anyone. Unset DJANGO_DEBUG or "
        "set it to false."
    )
DEBUG = False
if CELERY_BROKER_URL is None:  # noqa: F405
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL must be set in production (redis://HOST:PORT/DB): without a broker "
        "tasks would run in-process, inside the web request."
    )

# Static files straight from gunicorn, compressed and cache-busted; WhiteNoise goes right
# after SecurityMiddleware, as its documentation asks.
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host != "*"]  # noqa: F405
