"""Bounded request bodies: every view accepts at most a declared number of bytes.

The limit is checked against Content-Length in `process_view`, after the URL is resolved and
before anything reads the body (this middleware sits above CSRF, which reads form posts).
Without a Content-Length Django reads no body at all, so the header is the only way in; a
malformed one is refused. Views declare a larger limit with `@body_limit("dossier")`; all
others get settings.MAX_BODY_BYTES.

Also here: MembershipsReadOnceMiddleware, which lets a request read its user's memberships
once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from zerocarbon.accounts.tenancy import memberships_read_once
from zerocarbon.error_views import malformed_length, too_large

BodyKind = Literal["general", "dossier", "evidence", "readings"]
V = TypeVar("V", bound=Callable[..., Any])

# Boundaries, part headers and the small fields next to an evidence file (kind, reference,
# CSRF token): the file itself may have EVIDENCE_MAX_BYTES.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
_LIMIT_ATTRIBUTE = "zerocarbon_body_limit"
_DIGITS = re.compile(r"[0-9]+")
# More digits than this is more than any limit, and int() of it is not worth the time.
_MAX_DIGITS = 18


def body_limit(kind: BodyKind) -> Callable[[V], V]:
    """Declare the body limit of a view function or class (DRF's as_view keeps `cls`).
    Apply it outermost on functions, or before decorators that do not copy attributes."""

    def declare(view: V) -> V:
        setattr(view, _LIMIT_ATTRIBUTE, kind)
        return view

    return declare


def limit_bytes(kind: BodyKind) -> int:
    if kind == "dossier":
        return int(settings.MAX_DOSSIER_BYTES)
    if kind == "readings":
        return int(settings.MAX_READINGS_BYTES)
    if kind == "evidence":
        return int(settings.EVIDENCE_MAX_BYTES) + MULTIPART_OVERHEAD_BYTES
    return int(settings.MAX_BODY_BYTES)


def view_limit(view_func: Callable[..., Any]) -> int:
    """The limit declared on the function, or on the class behind it (DRF: cls)."""
    for owner in (
        view_func,
        getattr(view_func, "cls", None),
        getattr(view_func, "view_class", None),
    ):
        kind = getattr(owner, _LIMIT_ATTRIBUTE, None)
        if kind is not None:
            return limit_bytes(kind)
    return limit_bytes("general")


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        raw = str(request.META.get("CONTENT_LENGTH") or "").strip()
        if not raw:
            return None
        if not _DIGITS.fullmatch(raw):
            return malformed_length(request, raw)
        limit = view_limit(view_func)
        if len(raw) > _MAX_DIGITS:
            return too_large(request, limit)
        length = int(raw)
        return too_large(request, limit, length) if length > limit else None


class MembershipsReadOnceMiddleware:
    """The request reads its user's memberships once, however many selectors scope by them
    (zerocarbon.accounts.tenancy); the next request reads them again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with memberships_read_once():
            return self.get_response(request)
