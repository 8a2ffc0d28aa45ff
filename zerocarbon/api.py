"""One JSON error shape for the whole API:
{"error": {"code": ..., "message": ..., "errors": [{"path": ..., "message": ...}], "total": n}}.

`errors` lists at most MAX_LISTED_ERRORS entries; `total` always says how many were found (0
when the message alone explains the refusal). DRF's errors come through `exception_handler`;
Django's own (unknown URL, server error, oversized body) through `zerocarbon.error_views`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from zerocarbon.errors import (
    MAX_LISTED_ERRORS,
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    Unavailable,
    more_errors_note,
)

API_PREFIX = "/api/"
_STATUS = {NotFound: 404, Conflict: 409, PermissionDenied: 403, Unavailable: 503}


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_body(code: str, message: str, errors: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    found = list(errors)
    total = len(found)
    if total > MAX_LISTED_ERRORS:
        message = f"{message} {more_errors_note(total)}"
    listed = found[:MAX_LISTED_ERRORS]
    return {"error": {"code": code, "message": message, "errors": listed, "total": total}}


def json_error(
    http_status: int, code: str, message: str, errors: Iterable[dict[str, str]] = ()
) -> JsonResponse:
    """The error shape outside DRF: middleware and Django's error handlers."""
    body = error_body(code, message, errors)
    # As DRF writes it: UTF-8 text, no spaces.
    params = {"ensure_ascii": False, "separators": (",", ":")}
    return JsonResponse(body, status=http_status, json_dumps_params=params)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        http_status = next(
            (code for kind, code in _STATUS.items() if isinstance(exc, kind)),
            status.HTTP_400_BAD_REQUEST,
        )
        errors = ({"path": e.path, "message": e.message} for e in exc.errors)
        answer = Response(error_body(exc.code, exc.message, errors), status=http_status)
        if isinstance(exc, Unavailable):
            answer["Retry-After"] = str(exc.retry_after_seconds)
        return answer
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    field_errors: list[dict[str, str]] = []
    if isinstance(detail, dict) and "detail" not in detail:
        field_errors = list(_flatten(detail, ""))
        message = _("The request is invalid.")
    else:
        message = str(detail.get("detail", detail) if isinstance(detail, dict) else detail)
    code = getattr(exc, "default_code", "error")
    response.data = error_body(str(code), message, field_errors)
    return response


def _flatten(detail: object, path: str) -> list[dict[str, str]]:
    """DRF's nested error dicts and lists as JSON-pointer paths: /energy/2/unit."""
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in _flatten(value, f"{path}/{key}")]
    if isinstance(detail, list) and all(isinstance(item, str) for item in detail):
        return [{"path": path or "/", "message": str(item)} for item in detail]
    if isinstance(detail, list):
        return [e for index, item in enumerate(detail) for e in _flatten(item, f"{path}/{index}")]
    return [{"path": path or "/", "message": str(detail)}]
