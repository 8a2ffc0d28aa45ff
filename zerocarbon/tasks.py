"""Diagnostics on the worker: proves a worker can reach the broker and the database."""

from __future__ import annotations

import os
import socket

from celery import shared_task

import zerocarbon.celery  # noqa: F401  (the app shared_task binds to: zerocarbon/__init__.py)
from zerocarbon import leases
from zerocarbon.health import database_status


@shared_task(name="zerocarbon.ping")
def ping(token: str) -> dict[str, str | int]:
    return {
        "token": token,
        "worker": socket.gethostname(),
        "pid": os.getpid(),
        "database": database_status(),
    }


@shared_task(name="zerocarbon.reap_leases", ignore_result=True)
def reap_leases() -> dict[str, dict[str, list[int]]]:
    """Beat, every minute: hand over again the jobs the queue lost or a dead worker held."""
    return {
        outcome.name: {"republished": outcome.republished, "failed": outcome.failed}
        for outcome in leases.reap_all()
    }
