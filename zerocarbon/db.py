"""Transactions that survive the database's own concurrency verdicts.

PostgreSQL may abort one of two transactions that wait for each other (deadlock, SQLSTATE
40P01) or that cannot be serialised (40001). Neither is the user's fault, and running the
loser again is the documented remedy: `retrying_transaction` does so a few times, and after
that raises `Busy` (503 with Retry-After) instead of a server error.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from zerocarbon.errors import Unavailable

T = TypeVar("T")
logger = logging.getLogger(__name__)

RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 4


class Busy(Unavailable):
    """The database kept refusing a transaction for concurrency; the client may retry."""

    code = "busy"
    retry_after_seconds = 2


def _retryable(error: OperationalError) -> bool:
    return getattr(error.__cause__, "pgcode", None) in RETRYABLE_SQLSTATES


def retrying_transaction(work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run `work` in a transaction; run it again (after a short random pause) when
    PostgreSQL aborted it as a deadlock victim or a serialisation failure. Inside an outer
    transaction (tests, callers that own the transaction) it runs once: retrying is the
    outermost transaction's business."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return work()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if not _retryable(error):
                raise
            logger.warning("transaction aborted by the database (%s), attempt %s", error, attempt)
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter, not crypto
    raise Busy(_("The database is busy with a conflicting change; try again in a moment."))
