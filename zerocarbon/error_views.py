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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import defaults

from zerocarbon.api import is_api_request, json_error

MIB = 1024 * 1024

_BAD_REQUEST = {
    DisallowedHost: gettext_noop("The Host header names a host this server does not serve."),
    TooManyFieldsSent: gettext_noop("The request has more form fields than the server accepts."),
    TooManyFilesSent: gettext_noop("The request has more files than the server accepts."),
    MultiPartParserError: gettext_noop("The multipart body could not be read."),
}


def describe_bytes(count: int) -> str:
    return _("{count:,} bytes ({mib:g} MiB)").format(count=count, mib=count / MIB)


def _plain(http_status: int, title: str, message: str) -> HttpResponse:
    page = f"{http_status} {title}\n\n{message}\n"
    return HttpResponse(page, status=http_status, content_type="text/plain; charset=utf-8")


def too_large(request: HttpRequest, limit: int, length: int | None = None) -> HttpResponse:
    if length is None:
        message = _("This address accepts request bodies of at most {limit}.")
    else:
        message = _(
            "This address accepts request bodies of at most {limit}; this one has {length:,} bytes."
        )
    message = message.format(limit=describe_bytes(limit), length=length)
    if is_api_request(request):
        return json_error(413, "request_too_large", message)
    return _plain(413, _("Request too large"), message)


def malformed_length(request: HttpRequest, raw: str) -> HttpResponse:
    message = _("The Content-Length header {value!r} is not a number of bytes.")
    message = message.format(value=raw[:40])
    if is_api_request(request):
        return json_error(400, "bad_request", message)
    return _plain(400, _("Bad request"), message)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    message = next(
        (text for kind, text in _BAD_REQUEST.items() if isinstance(exception, kind)),
        gettext_noop("The request is malformed."),
    )
    return json_error(400, "bad_request", _(message))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    return json_error(403, "permission_denied", _("You may not do this."))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return json_error(404, "not_found", _("Nothing is served at this address."))


def server_error(request: HttpRequest) -> HttpResponse:
    if not is_api_request(request):
        return defaults.server_error(request)
    message = _("The server failed to answer this request; the error has been logged.")
    return json_error(500, "server_error", message)
