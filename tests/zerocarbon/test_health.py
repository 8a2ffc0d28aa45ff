from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers_and_tasks_run_in_process(
    client: Client, settings: Any
) -> None:
    settings.CELERY_BROKER_URL = None
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "eager"}}


@pytest.mark.django_db
@pytest.mark.redis
def test_healthz_is_200_with_a_running_redis_broker(client: Client, broker: str) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_stopped_broker_as_503(client: Client, settings: Any) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error: ")


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_database_as_503(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError, connection

    settings.CELERY_BROKER_URL = None

    def broken_cursor(*args: object) -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: DatabaseError"
