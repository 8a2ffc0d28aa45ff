"""503 with Retry-After, never a 500, when the database or the broker is gone for a moment.

Work that can be recorded is recorded and handed over later (the outboxes of
zerocarbon.leases), so most requests never meet a missing broker. What is left — the database
connection dropped in the middle of a request, or a broker error that no outbox absorbs —
is nobody's fault and passes: the client is told to send the request again after
RETRY_AFTER_SECONDS (API: the one JSON error shape; pages: a short translated page). The
transaction of the request was rolled back, so nothing was half written. Between requests,
CONN_HEALTH_CHECKS (settings.env.database_from_url) replaces a dropped connection unseen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnreachable
from redis import ConnectionError as RedisConnectionError
from redis import TimeoutError as RedisTimeoutError

from zerocarbon.api import is_api_request, json_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNREACHABLE = (
    OperationalError,
    InterfaceError,
    BrokerUnreachable,
    RedisConnectionError,
    RedisTimeoutError,
)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "The service is briefly unavailable (the database or the task queue did not answer);"
        " nothing was changed. Try again in a few seconds."
    )
    if is_api_request(request):
        answer: HttpResponse = json_error(503, "unavailable", message)
    else:
        page = f"503 {_('Service briefly unavailable')}\n\n{message}\n"
        answer = HttpResponse(page, status=503, content_type="text/plain; charset=utf-8")
    answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return answer


class UnavailableMiddleware:
    """Turns a lost database connection or broker into 503 + Retry-After (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UNREACHABLE):
            return None
        logger.warning(
            "%s %s: 503, %s: %s", request.method, request.path, type(exception).__name__, exception
        )
        return unavailable_response(request)
