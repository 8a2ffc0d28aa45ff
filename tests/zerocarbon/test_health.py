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


@pytest.mark.django_db
def test_healthz_answers_a_loopback_probe_over_plain_http_under_production_rules(
    client: Client, settings: Any
) -> None:
    settings.CELERY_BROKER_URL = None
    settings.ALLOWED_HOSTS = ["zerocarbon.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    probe = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert probe.status_code == 200
    assert probe.json()["status"] == "ok"
    # Every other page still refuses that host, and redirects a listed one to HTTPS.
    assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    redirect = client.get("/accounts/login/", HTTP_HOST="zerocarbon.example.com")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://zerocarbon.example.com/accounts/login/"


@pytest.mark.django_db
def test_healthz_still_refuses_methods_other_than_get(client: Client, settings: Any) -> None:
    settings.CELERY_BROKER_URL = None
    assert client.post("/healthz").status_code == 405
