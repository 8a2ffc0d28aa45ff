"""gunicorn's settings live in one module that the compose web service and `make bench`
both name; with them a client's connection stays open across requests."""

from __future__ import annotations

import http.client
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT
from tests.zerocarbon.test_compose_healthchecks import (
    accepts_connections,
    compose_service,
    free_loopback_port,
    running,
    wait_until,
)

CONFIG = "python:zerocarbon.gunicorn_config"


def config(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import zerocarbon.gunicorn_config as module

    return importlib.reload(module)


def test_the_compose_web_service_and_the_bench_start_gunicorn_with_the_one_config() -> None:
    command = " ".join(compose_service("web")["command"].split())
    assert f"gunicorn zerocarbon.wsgi:application --config {CONFIG} " in command
    assert "--workers" not in command
    assert "--threads" not in command
    harness = (ROOT / "benchmarks" / "run_all.py").read_text(encoding="utf-8")
    assert f'GUNICORN_CONFIG = "{CONFIG}"' in harness
    assert '"--workers"' not in harness


def test_threaded_workers_one_a_core_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = config(monkeypatch)
    assert settings.worker_class == "gthread"
    assert settings.workers == (os.cpu_count() or 2)
    assert settings.threads == 4
    assert settings.keepalive >= 60  # seconds: longer than a client pauses between requests
    assert settings.bind == "0.0.0.0:8000"


def test_the_environment_sets_the_counts_and_refuses_nonsense(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = config(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_THREADS="2")
    assert (settings.workers, settings.threads, settings.timeout) == (3, 2, 60)
    for bad in ("0", "two", "-1"):
        with pytest.raises(SystemExit, match="GUNICORN_WORKERS"):
            config(monkeypatch, GUNICORN_WORKERS=bad)


@pytest.mark.postgres
@pytest.mark.django_db
def test_one_connection_serves_several_requests(tmp_path: Path) -> None:
    port = free_loopback_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zerocarbon.settings.test",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }
    argv = [sys.executable, "-m", "gunicorn", "zerocarbon.wsgi:application", "--config", CONFIG]
    argv += ["--bind", f"127.0.0.1:{port}"]
    log = tmp_path / "gunicorn.log"

    with running(argv, env, log) as server:
        wait_until(lambda: accepts_connections(port), server, log, "gunicorn")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # a busy machine
        connection.connect()
        socket_used = connection.sock
        for _ in range(3):
            connection.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
            answer = connection.getresponse()
            assert answer.status == 200, log.read_text(errors="replace")[-2000:]
            answer.read()
            assert answer.getheader("Connection", "").lower() != "close"
        assert connection.sock is socket_used  # never reconnected
        connection.close()
