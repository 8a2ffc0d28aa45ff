"""gunicorn's settings, in one place: the compose web service and `make bench` both start
gunicorn with `--config python:zerocarbon.gunicorn_config` (their command lines add only
the address, and the bench its log level).

gthread workers: each process serves several connections at once from a few threads and
keeps them alive between requests, as browsers and API clients do, so that a client does
not pay for a new connection per request and one slow answer does not hold up the
connections queued behind it. One process per core (each has its own interpreter lock) and
four threads each (the database wait of one request overlaps the Python of another).
GUNICORN_WORKERS, GUNICORN_THREADS and GUNICORN_TIMEOUT override the defaults.
"""

from __future__ import annotations

import os


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name}={raw!r}: expected a whole number of at least 1")
    return int(raw)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = _count("GUNICORN_WORKERS", os.cpu_count() or 2)
threads = _count("GUNICORN_THREADS", 4)
# Seconds an idle kept-alive connection stays open (longer than a client waits between two
# requests, so that a client never sends on a connection the server is closing, which it
# would see as a reset); a request may take up to `timeout`.
keepalive = 75
timeout = _count("GUNICORN_TIMEOUT", 60)
