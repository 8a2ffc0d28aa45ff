"""Rendered answers of the busiest read views, kept until the data under them changes.

A cached answer is only ever given back to the very request that could have rendered it:
the key names the signed-in session (or the API key), the user, the CSRF secret, the active
language, the local date, the absolute URL with its query, the negotiated format and the htmx
headers, and the **data generation** read from PostgreSQL before the view reads anything.

The data generation is exact, whatever wrote: the ORM, a bulk update, a COPY, a trigger,
the admin or psql. Every table has a statement trigger (installed after each `migrate`, so
a table added later has it too) that counts the transaction's writing statements in one
`zc_data_change` row; at the commit, a deferred trigger on that row adds one to the single
`zc_data_generation` row and deletes the count. The two become visible together with the
transaction's writes, so a reader that sees the old generation was either before the commit
or sees the new one, and the answer it keeps under a generation is never older than that
generation. Inside a transaction that has written (a test's, or a view's own), the
uncommitted count is part of the generation, so even that transaction never reads back a
page from before its own write. Only the session table and django-axes' login records are
left out: no cached answer shows them (the session's user and language are in the key, and
an answer is neither kept nor given while flash messages are waiting).

Everything else an answer could depend on is in the key or bounds the entry: the date
(certificates expire by date), and ZEROCARBON_PAGE_CACHE_SECONDS as the outer limit.
Answers live in the `pages` cache (local memory of each process by default, so a cache
server down costs nothing); a failure of the cache itself only means rendering again.
Without PostgreSQL (the SQLite quickstart) nothing is cached.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
# Tables whose rows no cached answer shows (see the module's docstring).
UNWATCHED_TABLES = (
    "django_session",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
)
# An answer larger than this is rendered each time rather than crowding out the rest.
MAX_BODY_BYTES = 512 * 1024

GENERATION_SQL = """
SELECT g.value, (SELECT c.statements FROM zc_data_change c
                 WHERE c.xact = pg_current_xact_id_if_assigned())
FROM zc_data_generation g WHERE g.id = 1
"""

INSTALL_SQL = """
CREATE TABLE IF NOT EXISTS zc_data_generation (
    id smallint PRIMARY KEY CHECK (id = 1),
    value bigint NOT NULL
);
INSERT INTO zc_data_generation (id, value) VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS zc_data_change (
    xact xid8 PRIMARY KEY,
    statements bigint NOT NULL
);
CREATE OR REPLACE FUNCTION zc_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO zc_data_change AS c (xact, statements) VALUES (pg_current_xact_id(), 1)
    ON CONFLICT (xact) DO UPDATE SET statements = c.statements + 1;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION zc_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE zc_data_generation SET value = value + 1 WHERE id = 1;
    DELETE FROM zc_data_change WHERE xact = NEW.xact;
    RETURN NULL;
END $$;
DO $$
DECLARE t record;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'zc_bump_generation'
                   AND tgrelid = 'zc_data_change'::regclass) THEN
        CREATE CONSTRAINT TRIGGER zc_bump_generation AFTER INSERT ON zc_data_change
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zc_bump_generation();
    END IF;
    FOR t IN SELECT c.oid::regclass AS name FROM pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace
               AND c.relkind IN ('r', 'p')
               AND c.relname NOT LIKE 'zc\\_%%' AND c.relname <> ALL (%s)
               AND NOT EXISTS (SELECT FROM pg_trigger g
                               WHERE g.tgrelid = c.oid AND g.tgname = 'zc_note_change')
    LOOP
        EXECUTE format('CREATE TRIGGER zc_note_change AFTER INSERT OR UPDATE OR DELETE '
                       'OR TRUNCATE ON %%s FOR EACH STATEMENT '
                       'EXECUTE FUNCTION zc_note_change()', t.name);
    END LOOP;
END $$;
"""


def install(using: str = "default") -> None:
    """Creates (again) the generation tables and every table's change trigger (PostgreSQL)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(INSTALL_SQL, [list(UNWATCHED_TABLES)])


def generation(using: str = "default") -> str | None:
    """The data generation as this connection sees it now, or None where there is none."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        row = cursor.fetchone()
    if row is None:
        return None
    committed, pending = row
    return f"{committed}.{pending or 0}"


@dataclass(frozen=True)
class Kept:
    """What is kept of an answer: enough to give the same bytes and headers again."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    csrf_token_used: bool

    def response(self, request: HttpRequest) -> HttpResponse:
        answer = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            answer.headers[name] = value
        if self.csrf_token_used:  # the cookie is refreshed as the rendering refreshed it
            get_token(request)
        return answer


def _enabled() -> bool:
    return bool(getattr(settings, "ZEROCARBON_PAGE_CACHE_SECONDS", 0))


def _key(request: HttpRequest, identity: str, variant: str) -> str | None:
    """The entry's key, or None when the request must be rendered (no generation, flash
    messages waiting)."""
    current = generation()
    if current is None:
        return None
    htmx = sorted((k, v) for k, v in request.META.items() if k.startswith("HTTP_HX_"))
    parts = (
        current,
        identity,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        getattr(request, "LANGUAGE_CODE", ""),
        timezone.localdate().isoformat(),
        request.build_absolute_uri(),
        variant,
        repr(htmx),
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _read(key: str) -> Kept | None:
    try:
        kept = caches[CACHE_ALIAS].get(key)
    except Exception:  # a cache failure only means rendering again
        logger.warning("page cache unreadable", exc_info=True)
        return None
    return kept if isinstance(kept, Kept) else None


def _keep(key: str, request: HttpRequest, response: HttpResponseBase, pages: bool) -> None:
    """Keeps a plain, complete 200 answer that set no cookie and left no flash message."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or (pages and len(messages.get_messages(request)))
        or not isinstance(response, HttpResponse)
        or len(response.content) > MAX_BODY_BYTES
    ):
        return
    token_used = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
    if token_used and request.META.get("CSRF_COOKIE") != request.COOKIES.get(
        settings.CSRF_COOKIE_NAME
    ):
        return  # its forms carry a new CSRF secret, which only this answer's cookie sets
    kept = Kept(
        status=response.status_code,
        headers=tuple(response.headers.items()),
        content=response.content,
        csrf_token_used=token_used,
    )
    try:
        caches[CACHE_ALIAS].set(key, kept, timeout=settings.ZEROCARBON_PAGE_CACHE_SECONDS)
    except Exception:  # not kept: the next request renders again
        logger.warning("page cache unwritable", exc_info=True)


def answer(
    request: HttpRequest,
    identity: str,
    render: Callable[[], HttpResponseBase],
    *,
    variant: str = "",
    pages: bool = False,
) -> HttpResponseBase:
    """The kept answer for this request, or `render()`'s, kept once it is rendered."""
    key = _key(request, identity, variant) if _enabled() else None
    if key is None:
        return render()
    kept = _read(key)
    if kept is not None:
        return kept.response(request)
    response = render()
    if callable(getattr(response, "add_post_render_callback", None)) and not getattr(
        response, "is_rendered", True
    ):
        response.add_post_render_callback(  # type: ignore[attr-defined]
            lambda rendered: _keep(key, request, rendered, pages)
        )
    else:
        _keep(key, request, response, pages)
    return response


def session_identity(request: HttpRequest) -> str:
    """A signed-in browser: its session and its user (both checked by the request's own
    authentication before the key is made)."""
    return f"session:{request.session.session_key}:{request.user.pk}"


def api_identity(request: Request) -> str:
    """A DRF request: its API key (a key's own factory scope is data, in the generation) or
    its signed-in session."""
    key = getattr(request, "auth", None)
    if key is not None and getattr(key, "pk", None) is not None:
        return f"key:{type(key).__name__}:{key.pk}"
    return session_identity(request._request)


class CachedReadMixin:
    """A DRF viewset's list and retrieve, kept per API key or session (JSON answers only;
    the browsable API renders each time). Authentication, permissions and throttles have
    run before the handler, so a kept answer counts against the rate limit like any other.
    A kept answer is a plain HttpResponse: DRF's finalize_response takes any response from a
    handler (it sets the renderer only on its own Response), hence the casts."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        render = super().list  # type: ignore[misc]
        return self._cached(request, lambda: render(request, *args, **kwargs))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        render = super().retrieve  # type: ignore[misc]
        return self._cached(request, lambda: render(request, *args, **kwargs))

    def _cached(self, request: Request, render: Callable[[], Response]) -> Response:
        if getattr(request.accepted_renderer, "format", None) != "json":
            return render()
        variant = f"json:{request.accepted_media_type}"
        return cast(
            Response, answer(request._request, api_identity(request), render, variant=variant)
        )


def cached_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A signed-in user's GET of a page view, kept (put it under @login_required)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.method != "GET"
            or not request.user.is_authenticated
            or len(messages.get_messages(request))  # shown once, so never kept nor given
        ):
            return view(request, *args, **kwargs)
        return answer(
            request, session_identity(request), lambda: view(request, *args, **kwargs), pages=True
        )

    return wrapper


def clear(**_signal: Any) -> None:
    """Forgets every kept answer (a changed setting may change what a page says)."""
    caches[CACHE_ALIAS].clear()


setting_changed.connect(clear, dispatch_uid="zerocarbon.page_cache.clear")
