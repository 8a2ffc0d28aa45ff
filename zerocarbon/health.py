"""/healthz: is the database reachable, is the broker reachable. 200 when both are, else 503.

Without a configured broker (quickstart, eager tasks) the broker is reported as "eager",
which is healthy by design.

HealthCheckMiddleware, first in MIDDLEWARE, answers /healthz before any other middleware. The
probe of docker-compose.yml runs inside the container and asks http://127.0.0.1:8000/healthz:
plain HTTP to a host name that no deployment lists in DJANGO_ALLOWED_HOSTS. Further down,
host validation refuses that host (400) and SecurityMiddleware redirects plain HTTP to HTTPS
(301), so the probe could never pass. Answering first is safe: the answer builds nothing from
the Host header and says only "ok" or an error class name. The alternative,
SECURE_REDIRECT_EXEMPT plus a Host header in the probe, would copy a production host name into
the compose file and break whenever DJANGO_ALLOWED_HOSTS changes.
"""

from __future__ import annotations

from collections.abc import Callable

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BROKER_TIMEOUT_SECONDS = 1.0
HEALTH_PATH = "/healthz"


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


class HealthCheckMiddleware:
    """Answers HEALTH_PATH with `healthz` before host validation and the HTTPS redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)
