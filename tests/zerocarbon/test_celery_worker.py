from __future__ import annotations

from typing import Any

import pytest

from zerocarbon.celery import app
from zerocarbon.tasks import ping

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_a_task_end_to_end_and_reaches_the_database(
    start_worker: Any, broker: str
) -> None:
    app.conf.update(result_backend=broker)
    try:
        start_worker(CELERY_RESULT_BACKEND=broker)
        result = ping.delay("hello-worker").get(timeout=60)
    finally:
        app.conf.update(result_backend=None)
    assert result["token"] == "hello-worker"
    assert result["database"] == "ok"
    assert result["worker"]


def test_the_celery_app_only_speaks_json_and_acknowledges_late() -> None:
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
