"""Fault fixtures: a throwaway Redis the test starts and stops (never the machine's own), and
an evaluation to render."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User

from assessments.models import Evaluation
from assessments.services.workflow import submit_assessment
from tests.conftest import _forget_producer_pool

AS_OF = date(2025, 6, 30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ThrowawayRedis:
    """A redis-server of the test's own on a free port, without persistence."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable, "redis-server is not installed"
        argv = [executable, "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv, our own server
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url).ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError(f"redis-server on port {self.port} never answered")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def queued(self, queue: str = "celery") -> int:
        """How many messages wait in `queue`."""
        length: Any = redis.Redis.from_url(self.url).llen(queue)  # sync client: an int
        return int(length)


@pytest.fixture
def throwaway_redis(settings: Any) -> Iterator[ThrowawayRedis]:
    """The app's broker is a Redis of this test's own, started; the test stops it when it
    wants the broker gone (and may start it again on the same port)."""
    from zerocarbon.celery import app

    server = ThrowawayRedis()
    server.start()
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_BROKER_URL = server.url
    app.conf.update(CELERY_BROKER_URL=server.url, CELERY_TASK_ALWAYS_EAGER=False)
    _forget_producer_pool(app)
    yield server
    server.stop()
    app.conf.update(CELERY_BROKER_URL=previous[0], CELERY_TASK_ALWAYS_EAGER=previous[1])
    _forget_producer_pool(app)


@pytest.fixture
def wuxi_evaluation(demo: dict[str, Any], alice: User) -> Evaluation:
    """An evaluated assessment (in-process: request this before any broker fixture)."""
    submit_assessment(alice, demo["wuxi"], as_of=AS_OF)
    evaluation = Evaluation.objects.filter(assessment=demo["wuxi"]).order_by("-pk").first()
    assert evaluation is not None, "the in-process evaluation did not run"
    return evaluation
