"""Development and quickstart: DEBUG on, a fixed development secret, SQLite unless
DATABASE_URL says otherwise."""

from __future__ import annotations

from zerocarbon.settings.base import *  # noqa: F403
from zerocarbon.settings.env import env_bool, env_optional, env_str

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret")
# Review e-mails go to the console of `make run` unless the environment names a backend.
EMAIL_BACKEND = (
    env_optional("DJANGO_EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
)
