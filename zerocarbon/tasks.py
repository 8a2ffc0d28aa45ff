"""Diagnostics on the worker: proves a worker can reach the broker and the database."""

from __future__ import annotations

import socket

from celery import shared_task

from zerocarbon.health import database_status


@shared_task(name="zerocarbon.ping")
def ping(token: str) -> dict[str, str]:
    return {"token": token, "worker": socket.gethostname(), "database": database_status()}
