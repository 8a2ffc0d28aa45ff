"""The health checks of docker-compose.yml pass against the production settings, for real:
gunicorn and a Celery worker run as the compose services run them (production settings, a
PostgreSQL database, a Redis broker), and the compose file's own probe commands must exit 0.
No Docker: the commands are read out of the YAML and run on this machine."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from tests.conftest import BROKER_URL, ROOT, _database_url

START_TIMEOUT_SECONDS = 60


def compose_service(name: str) -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    service: dict[str, Any] = compose["services"][name]
    return service


def seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+)s", duration)
    assert match, f"unexpected compose duration {duration!r}"
    return float(match.group(1))


def production_env() -> dict[str, str]:
    """What the compose services get from .env and x-app, pointed at the test services."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "AXES_"))
    }
    return {
        **inherited,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "zerocarbon.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "zerocarbon.example.com",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
    }


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Runs a server process for the duration of the block, then stops it (killed if it does
    not stop within 30 s)."""
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, our own servers
            argv, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def wait_until(ready: Any, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if ready():
            return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"{what} never became ready:\n{log.read_text(errors='replace')[-4000:]}")


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def status_of(url: str, host: str | None = None) -> int:
    """The status of a GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            status: int = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status


def run_probe(
    command: list[str], env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """A compose healthcheck `test`: CMD runs argv, CMD-SHELL runs a shell command line."""
    kind, *rest = command
    argv = ["/bin/sh", "-c", rest[0]] if kind == "CMD-SHELL" else rest
    return subprocess.run(  # noqa: S603 - commands from our own compose file
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db
def test_the_web_healthcheck_passes_against_gunicorn_with_production_settings(
    tmp_path: Path,
) -> None:
    web = compose_service("web")
    probe = list(web["healthcheck"]["test"])
    assert probe[:3] == ["CMD", "python", "-c"]
    assert "http://127.0.0.1:8000/healthz" in probe[3], "the probe no longer asks :8000/healthz"
    port = free_loopback_port()
    probe[1] = sys.executable
    probe[3] = probe[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    env = production_env()
    gunicorn = [sys.executable, "-m", "gunicorn", "zerocarbon.wsgi:application"]
    argv = [*gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"]
    log = tmp_path / "gunicorn.log"

    with running(argv, env, log) as server:
        wait_until(lambda: accepts_connections(port), server, log, "gunicorn")
        # The server really applies the production rules: an unlisted host is refused and a
        # listed one is sent to HTTPS ...
        assert status_of(f"http://127.0.0.1:{port}/accounts/login/") == 400
        assert status_of(f"http://127.0.0.1:{port}/", host="zerocarbon.example.com") == 301
        # ... and still the compose probe passes.
        result = run_probe(probe, env, timeout=seconds(web["healthcheck"]["timeout"]))
        assert result.returncode == 0, f"{result.stderr}\n{log.read_text(errors='replace')}"


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
@pytest.mark.django_db
def test_the_worker_healthcheck_pings_a_worker_started_with_production_settings(
    tmp_path: Path,
) -> None:
    worker = compose_service("worker")
    probe = list(worker["healthcheck"]["test"])
    assert probe[0] == "CMD-SHELL"
    probe[1] = probe[1].replace("$$", "$")  # compose's escape for a literal $
    timeout = seconds(worker["healthcheck"]["timeout"])
    # In the container the node name is celery@<hostname> and HOSTNAME holds that hostname.
    hostname = f"zc-health-{os.getpid()}"
    env = {**production_env(), "HOSTNAME": hostname}
    command = list(worker["command"])
    assert command[0] == "celery"
    argv = [sys.executable, "-m", *command, "-n", f"celery@{hostname}"]
    log = tmp_path / "worker.log"
    redis.Redis.from_url(BROKER_URL).flushdb()

    nobody = run_probe(probe, env, timeout=timeout)
    assert nobody.returncode != 0, "the probe passes with no worker running"

    with running(argv, env, log) as process:
        wait_until(lambda: "ready." in log.read_text(errors="replace"), process, log, "worker")
        result = run_probe(probe, env, timeout=timeout)
        assert result.returncode == 0, f"{result.stdout}{result.stderr}\n{log.read_text()}"
        assert f"celery@{hostname}: OK" in result.stdout
