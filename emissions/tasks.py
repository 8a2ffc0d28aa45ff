"""Celery task of the emissions app: a meter's data quality of its inventory years, computed
on a worker once its readings have stopped changing for a moment.

The first evaluation after readings change would otherwise read every reading of the year
(MeterYearQuality is deleted by any change, migration 0012). After an ingest commits, the
write path calls `readings_changed`: it notes in Redis when each meter last changed and
publishes a task for a meter only if none is pending, with a countdown. The task computes
once the meter has been quiet for `QUIET_SECONDS`, else it puts itself off; so a thousand
batches of one meter make one computation, not a thousand.

Best effort: readings never depend on the broker (decision 104). If Redis cannot be reached
nothing is published and the next evaluation computes the quality itself, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from functools import cache
from typing import Any

import redis
from celery import shared_task
from django.conf import settings

import zerocarbon.celery  # noqa: F401  (the app shared_task binds to: zerocarbon/__init__.py)
from emissions.metering_selectors import store_meter_qualities
from zerocarbon.celery import app
from zerocarbon.leases import PUBLISH_ERRORS

logger = logging.getLogger(__name__)

QUIET_SECONDS = 5.0  # a meter's readings unchanged this long before its quality is computed
PENDING_SECONDS = 600  # the marks expire: a lost task or a failed publish blocks nothing longer
# One attempt: the readings are stored whatever happens here, and the next evaluation
# computes what no worker did.
NO_RETRY = {"max_retries": 0}


def _keys(meter_id: int) -> tuple[str, str]:
    """Redis keys: when the meter's readings last changed; whether a task is pending."""
    return f"zc:quality:changed:{meter_id}", f"zc:quality:pending:{meter_id}"


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def _redis() -> redis.Redis:
    return _client(settings.CELERY_BROKER_URL)


def readings_changed(meter_ids: Iterable[int]) -> list[int]:
    """After a commit that changed these meters' readings: mark them changed now and publish
    the quality task of those without one pending; returns the meters published for. Never
    raises: without a broker (quickstart, eager tasks) or with one that does not answer,
    nothing is published and the quality is computed by the next evaluation."""
    meters = sorted(set(meter_ids))
    if not meters or app.conf.task_always_eager or not settings.CELERY_BROKER_URL:
        return []
    published = []
    try:
        pipe = _redis().pipeline(transaction=False)
        now = time.time()
        for meter_id in meters:
            changed, pending = _keys(meter_id)
            pipe.set(changed, repr(now), ex=PENDING_SECONDS)
            pipe.set(pending, 1, nx=True, ex=PENDING_SECONDS)
        answers: list[Any] = pipe.execute()  # type: ignore[no-untyped-call]
        fresh = answers[1::2]
        for meter_id, due in zip(meters, fresh, strict=True):
            if due:
                _publish(meter_id, QUIET_SECONDS)
                published.append(meter_id)
    except PUBLISH_ERRORS as error:
        logger.warning(
            "quality of meters %s not queued (%s: %s); the next evaluation computes it",
            meters,
            type(error).__name__,
            error,
        )
    return published


def _publish(meter_id: int, countdown: float) -> None:
    store_meter_quality_task.apply_async((meter_id,), countdown=countdown, retry_policy=NO_RETRY)


def refresh_meter_quality(meter_id: int) -> list[int] | None:
    """The task's work: None (put off) while the meter changed less than `QUIET_SECONDS`
    ago, else the years whose quality it computed and stored. The pending mark goes before
    the computation reads the readings: a change committed after that publishes anew."""
    client = _redis()
    changed, pending = _keys(meter_id)
    last: Any = client.get(changed)  # the sync client: bytes or None
    quiet_for = QUIET_SECONDS if last is None else time.time() - float(last)
    if quiet_for < QUIET_SECONDS:
        client.expire(pending, PENDING_SECONDS)
        _publish(meter_id, QUIET_SECONDS - quiet_for)
        return None
    client.delete(pending)
    return store_meter_qualities(meter_id)


@shared_task(
    name="emissions.store_meter_quality",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def store_meter_quality_task(meter_id: int) -> list[int] | None:
    return refresh_meter_quality(meter_id)
