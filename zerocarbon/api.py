"""One JSON error shape for the whole API:
{"error": {"code": ..., "message": ..., "errors": [{"path": ..., "message": ...}]}}."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from zerocarbon.errors import Conflict, DomainError, NotFound, PermissionDenied

_STATUS = {NotFound: 404, Conflict: 409, PermissionDenied: 403}


def error_body(
    code: str, message: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "errors": errors or []}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        http_status = next(
            (code for kind, code in _STATUS.items() if isinstance(exc, kind)),
            status.HTTP_400_BAD_REQUEST,
        )
        errors = [{"path": e.path, "message": e.message} for e in exc.errors]
        return Response(error_body(exc.code, exc.message, errors), status=http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    field_errors: list[dict[str, str]] = []
    if isinstance(detail, dict) and "detail" not in detail:
        field_errors = list(_flatten(detail, ""))
        message = "The request is invalid."
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
