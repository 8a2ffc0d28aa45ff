"""Diagnostics on the worker: proves a worker can reach the broker and the database."""

from __future__ import annotations

import os
import socket

from celery import shared_task

from zerocarbon.health import database_status


@shared_task(name="zerocarbon.ping")
def ping(token: str) -> dict[str, str | int]:
    return {
        "token": token,
        "worker": socket.gethostname(),
        "pid": os.getpid(),
        "database": database_status(),
    }
