"""A database connection that died between two requests costs no failed request: connections
are kept for CONN_MAX_AGE and health-checked (CONN_HEALTH_CHECKS) before a request reuses them.

Requests go through Django's WSGI handler, as gunicorn calls it. The test Client would not
do: it deliberately keeps connections open across its requests (it disconnects
close_old_connections from request_started and request_finished), so the start-of-request
check never runs under it, with or without CONN_HEALTH_CHECKS."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def wsgi_get(path: str, session_id: str) -> int:
    """GET `path` with the given session through the WSGI handler; the HTTP status code."""
    environ: dict[str, Any] = {"PATH_INFO": path, "HTTP_COOKIE": f"sessionid={session_id}"}
    setup_testing_defaults(environ)
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    result = WSGIHandler()(environ, start_response)
    try:
        b"".join(result)
    finally:
        result.close()  # fires request_finished, as a server does
    return int(statuses[0].split()[0])


def terminate_backend_of_djangos_connection() -> None:
    """Ends the server process of Django's open connection from another connection and waits
    until PostgreSQL has removed it, as a database restart or a dropped link would."""
    pid = connection.connection.info.backend_pid
    other = connection.copy()  # a second connection to the same database
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() == (0,):
                    return
                time.sleep(0.05)
    finally:
        other.close()
    raise AssertionError(f"backend {pid} still runs 10 s after pg_terminate_backend")


@pytest.fixture
def alice_session(alice: User) -> str:
    client = Client()
    client.force_login(alice)
    return client.cookies["sessionid"].value


@pytest.fixture
def kept_connection() -> Iterator[None]:
    """Django's connection as production has it: kept between requests."""
    assert connection.settings_dict["CONN_MAX_AGE"] > 0, "connections would not be reused"
    connection.close()  # the next request opens it with the settings in force now
    yield
    connection.close()


def test_a_request_after_the_database_dropped_the_connection_answers_200(
    alice_session: str, kept_connection: None
) -> None:
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert wsgi_get("/", alice_session) == 200
    terminate_backend_of_djangos_connection()
    assert wsgi_get("/", alice_session) == 200


def test_without_health_checks_the_same_request_fails_which_is_what_they_prevent(
    alice_session: str, kept_connection: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: proves the scenario above really reuses a dead connection."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    assert wsgi_get("/", alice_session) == 200
    terminate_backend_of_djangos_connection()
    assert wsgi_get("/", alice_session) == 500
    assert wsgi_get("/", alice_session) == 200  # Django drops a broken connection afterwards
