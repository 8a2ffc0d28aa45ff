"""/healthz: is the database reachable, is the broker reachable. 200 when both are, else 503.

Without a configured broker (quickstart, eager tasks) the broker is reported as "eager",
which is healthy by design.
"""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BROKER_TIMEOUT_SECONDS = 1.0


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


def broker_status() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "eager"
    client = redis.Redis.from_url(
        url, socket_timeout=BROKER_TIMEOUT_SECONDS, socket_connect_timeout=BROKER_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return f"error: {error.__class__.__name__}"
    finally:
        client.close()  # type: ignore[no-untyped-call]
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value in {"ok", "eager"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
