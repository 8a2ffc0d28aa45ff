from __future__ import annotations

import os
import re
from typing import Any

import pytest

from zerocarbon.celery import app
from zerocarbon.tasks import ping

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_a_task_end_to_end_and_reaches_the_database(
    start_worker: Any,
) -> None:
    worker = start_worker()
    ping.delay("hello-worker")
    worker.wait_for("Task zerocarbon.ping[", timeout=30)
    worker.wait_for("succeeded", timeout=30)
    line = next(line for line in worker.output().splitlines() if "succeeded" in line)
    assert "'token': 'hello-worker'" in line
    assert "'database': 'ok'" in line
    pid = int(re.search(r"'pid': (\d+)", line).group(1))  # type: ignore[union-attr]
    assert pid != os.getpid()  # ran in the worker process, not eagerly in this one


def test_the_celery_app_only_speaks_json_and_acknowledges_late() -> None:
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
