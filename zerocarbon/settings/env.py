"""Reading the environment: every malformed value stops start-up with a message naming the
variable, what it holds and what was expected (fail loudly, never guess)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set (see .env.example).")
        return default
    return value


def env_optional(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty entry; separate with commas.")
    return items


def database_from_url(name: str, url: str) -> dict[str, Any]:
    scheme = urlparse(url).scheme
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name}={url!r} is not supported: use postgres://USER@HOST:PORT/NAME or "
            "sqlite:///path/to/file.sqlite3."
        )
    try:
        # Connections live for a minute; each request first checks that its reused connection
        # still answers, so a database restart or a dropped connection costs no failed request.
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={url!r} is malformed: {error}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={url!r} names no database (…/DBNAME at the end).")
    return config


def broker_url(name: str) -> str | None:
    url = env_optional(name)
    if url is None:
        return None
    parsed = urlparse(url)
    if parsed.scheme not in {"redis", "rediss"} or not parsed.hostname:
        raise ImproperlyConfigured(
            f"{name}={url!r} is malformed: expected redis://HOST:PORT/DB (or rediss://)."
        )
    return url


VISIBILITY_MARGIN_SECONDS = 60


def celery_time_limits() -> tuple[int, int, int]:
    """The hard and soft task time limits and the broker visibility timeout, in seconds.

    The soft limit comes first so that a task can stop cleanly before the hard limit kills it.
    The visibility timeout comes after the hard limit: Redis hands a task nobody acknowledged
    to another worker once it has passed, so a shorter one would run a task that is still
    running elsewhere a second time, and a much longer one leaves the task of a dead worker
    waiting for nothing. Its default is the hard limit plus a minute.
    """
    hard = env_int("CELERY_TASK_TIME_LIMIT", default=300, minimum=1)
    soft = env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=240, minimum=1)
    visibility = env_int(
        "CELERY_VISIBILITY_TIMEOUT", default=hard + VISIBILITY_MARGIN_SECONDS, minimum=1
    )
    if soft >= hard:
        raise ImproperlyConfigured(
            f"CELERY_TASK_SOFT_TIME_LIMIT={soft} must be below CELERY_TASK_TIME_LIMIT={hard}: "
            "the soft limit lets a task stop cleanly before the hard limit kills it."
        )
    if visibility <= hard:
        raise ImproperlyConfigured(
            f"CELERY_VISIBILITY_TIMEOUT={visibility} must be greater than "
            f"CELERY_TASK_TIME_LIMIT={hard} (unset, it is the hard limit + "
            f"{VISIBILITY_MARGIN_SECONDS} s): otherwise Redis hands a task that is still "
            "running to another worker."
        )
    return hard, soft, visibility
