"""A transaction PostgreSQL aborts for concurrency (deadlock victim, serialisation failure) is
run again; one that keeps failing is a 503 with Retry-After, never a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection

from zerocarbon.db import Busy, retrying_transaction


class _PgError(Exception):
    def __init__(self, pgcode: str) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


def _aborted(pgcode: str) -> OperationalError:
    error = OperationalError(f"aborted {pgcode}")
    error.__cause__ = _PgError(pgcode)
    return error


def _failing(times: int, pgcode: str = "40P01") -> Any:
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise _aborted(pgcode)
        return "done"

    return work, calls


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pgcode", ["40P01", "40001"])
def test_a_deadlock_victim_is_run_again(pgcode: str) -> None:
    work, calls = _failing(2, pgcode)
    assert retrying_transaction(work) == "done"
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_keeps_losing_is_busy() -> None:
    work, calls = _failing(99)
    with pytest.raises(Busy) as raised:
        retrying_transaction(work, attempts=3)
    assert len(calls) == 3
    assert raised.value.retry_after_seconds > 0


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried() -> None:
    work, calls = _failing(1, "08006")  # connection failure: not a concurrency verdict
    with pytest.raises(OperationalError):
        retrying_transaction(work)
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_an_outer_transaction_it_runs_once() -> None:
    assert connection.in_atomic_block
    work, calls = _failing(1)
    with pytest.raises(OperationalError):
        retrying_transaction(work)
    assert len(calls) == 1


@pytest.mark.django_db
def test_busy_is_a_503_with_retry_after_on_the_api(alice_client: Any, monkeypatch: Any) -> None:
    from assessments.api import views

    def busy(*args: object, **kwargs: object) -> None:
        raise Busy("The database is busy with a conflicting change; try again in a moment.")

    monkeypatch.setattr(views, "import_dossier", busy)
    response = alice_client.post(
        "/api/v1/dossiers/?organisation=org-a", "{}", content_type="application/json"
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["error"]["code"] == "busy"
