"""Outbox rows and their leases: no queued job is lost, no running job runs forever.

A job row (a PDF render, an import job, …) is its own outbox: it is recorded queued, handed
to the task queue after the commit (`enqueued_at` says the queue took it), and claimed by
the worker that runs it (`status` running, `started_at`). The claim is a lease of
ZEROCARBON_TASK_LEASE_SECONDS: a worker that died holding it leaves a row that
`Outbox.reap` hands over again (or, after MAX_ATTEMPTS hand-overs, marks failed with a
reason the user can act on). The same reap publishes again what the queue never took.

Apps declare their outboxes; settings.ZEROCARBON_LEASE_HOLDERS lists them by dotted path,
and the beat task `zerocarbon.reap_leases` reaps them all. Adding a kind of job is one
`Outbox(...)` in its app and one line in that setting. Nothing here knows a domain model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import KombuError
from redis import RedisError

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# The requester publishes right after its commit; the reaper leaves it this long to do so.
ENQUEUE_GRACE = timedelta(seconds=60)
REAP_BATCH = 500
QUEUED, RUNNING = "queued", "running"
# What a publish can raise when the broker is unreachable (kombu wraps most of it).
PUBLISH_ERRORS = (KombuError, RedisError, OSError)
# A publish gives up after about a second instead of Celery's ~15 s: the row is recorded,
# the reaper hands it over later.
PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}


def lease() -> timedelta:
    """How long a claimed job may stay running before its worker is presumed dead."""
    return timedelta(seconds=settings.ZEROCARBON_TASK_LEASE_SECONDS)


def lost_after() -> timedelta:
    """How long a message the queue took may stay unclaimed before it is presumed lost."""
    return timedelta(
        seconds=settings.CELERY_TASK_TIME_LIMIT
        + settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )


@dataclass(frozen=True)
class ReapOutcome:
    name: str
    republished: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Outbox:
    """A model whose rows have status (queued/running/…), created_at, enqueued_at,
    enqueue_attempts and started_at; `publish(pk)` hands a row to the queue (never raising:
    it records enqueued_at itself when the queue took it), `fail(pk, attempts)` records why
    the row gave up."""

    name: str
    model: type[models.Model]
    publish: Callable[[int], bool]
    fail: Callable[[int, int], None]

    def stalled(self, now: datetime) -> Q:
        never_taken = Q(status=QUEUED, enqueued_at__isnull=True, created_at__lt=now - ENQUEUE_GRACE)
        lost = Q(status=QUEUED, enqueued_at__lt=now - lost_after())
        abandoned = Q(status=RUNNING, started_at__lt=now - lease())
        # claimed before claims recorded their time (rows older than the lease fields)
        unrecorded = Q(status=RUNNING, started_at__isnull=True, created_at__lt=now - lease())
        return never_taken | lost | abandoned | unrecorded

    def reap(self, now: datetime | None = None) -> ReapOutcome:
        """Hand over again each stalled row, or fail it after MAX_ATTEMPTS hand-overs."""
        now = now or timezone.now()
        outcome = ReapOutcome(self.name)
        manager: Any = self.model._default_manager
        stalled = manager.filter(self.stalled(now)).order_by("created_at")
        for pk in stalled.values_list("pk", flat=True)[:REAP_BATCH]:
            with transaction.atomic():
                # Skip rows a worker or another reaper holds; re-check under the lock.
                row = manager.select_for_update(skip_locked=True).filter(self.stalled(now), pk=pk)
                locked = row.first()
                if locked is None:
                    continue
                if locked.enqueue_attempts >= MAX_ATTEMPTS:
                    self.fail(pk, locked.enqueue_attempts)
                    outcome.failed.append(pk)
                    continue
                manager.filter(pk=pk).update(
                    status=QUEUED,
                    started_at=None,
                    enqueued_at=None,
                    enqueue_attempts=locked.enqueue_attempts + 1,
                )
                transaction.on_commit(lambda pk=pk: self.publish(pk))  # type: ignore[misc]
                outcome.republished.append(pk)
        return outcome


def publish_row(task: Any, model: type[models.Model], pk: int) -> bool:
    """Hand row `pk` to `task`; True (and `enqueued_at` set) if the queue took it.

    Never raises into the caller: the row is recorded, so a broker that cannot be reached
    costs a warning, and the reaper publishes it later."""
    try:
        task.apply_async((pk,), retry_policy=PUBLISH_RETRY_POLICY)
    except PUBLISH_ERRORS as error:
        logger.warning(
            "%s %s not queued (%s: %s); the reaper will publish it again",
            model.__name__,
            pk,
            type(error).__name__,
            error,
        )
        return False
    manager: Any = model._default_manager
    manager.filter(pk=pk, status=QUEUED).update(enqueued_at=timezone.now())
    return True


def holders() -> list[Outbox]:
    return [import_string(path) for path in settings.ZEROCARBON_LEASE_HOLDERS]


def reap_all(now: datetime | None = None) -> list[ReapOutcome]:
    outcomes = [holder.reap(now) for holder in holders()]
    for outcome in outcomes:
        if outcome.republished or outcome.failed:
            logger.warning(
                "reaper: %s republished %s, failed %s",
                outcome.name,
                outcome.republished,
                outcome.failed,
            )
    return outcomes
