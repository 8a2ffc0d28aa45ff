"""Django's own error answers (zerocarbon/urls.py handler400/403/404/500, and the body limit):
the API's one JSON shape under /api/, the usual pages elsewhere. No message repeats the
exception's text: it may hold host names, paths or SQL."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views import defaults

from zerocarbon.api import is_api_request, json_error

MIB = 1024 * 1024

_BAD_REQUEST = {
    DisallowedHost: "The Host header names a host this server does not serve.",
    TooManyFieldsSent: "The request has more form fields than the server accepts.",
    TooManyFilesSent: "The request has more files than the server accepts.",
    MultiPartParserError: "The multipart body could not be read.",
}


def describe_bytes(count: int) -> str:
    return f"{count:,} bytes ({count / MIB:g} MiB)"


def _plain(http_status: int, title: str, message: str) -> HttpResponse:
    page = f"{http_status} {title}\n\n{message}\n"
    return HttpResponse(page, status=http_status, content_type="text/plain; charset=utf-8")


def too_large(request: HttpRequest, limit: int, length: int | None = None) -> HttpResponse:
    message = f"This address accepts request bodies of at most {describe_bytes(limit)}"
    message += f"; this one has {length:,} bytes." if length is not None else "."
    if is_api_request(request):
        return json_error(413, "request_too_large", message)
    return _plain(413, "请求过大 Request too large", message)


def malformed_length(request: HttpRequest, raw: str) -> HttpResponse:
    message = f"The Content-Length header {raw[:40]!r} is not a number of bytes."
    if is_api_request(request):
        return json_error(400, "bad_request", message)
    return _plain(400, "请求无效 Bad request", message)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    message = next(
        (text for kind, text in _BAD_REQUEST.items() if isinstance(exception, kind)),
        "The request is malformed.",
    )
    return json_error(400, "bad_request", message)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    return json_error(403, "permission_denied", "You may not do this.")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return json_error(404, "not_found", "Nothing is served at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    if not is_api_request(request):
        return defaults.server_error(request)
    message = "The server failed to answer this request; the error has been logged."
    return json_error(500, "server_error", message)
