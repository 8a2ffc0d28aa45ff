"""Celery task of the reports app: a RenderedPdf id in, reports.rendering does the work.

A render that fails is recorded on its row with a reference the log carries too, so the page
says it failed instead of showing "running" forever.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils.translation import gettext as _

import zerocarbon.celery  # noqa: F401  (the app shared_task binds to: zerocarbon/__init__.py)
from reports import rendering

logger = logging.getLogger(__name__)

# Errors worth another try: the database went away for a moment (a dropped connection).
TRANSIENT = (OperationalError, InterfaceError)
MAX_RETRIES = 5


@shared_task(
    bind=True,
    name="reports.render_pdf",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def render_pdf_task(self: Task[[int], int | None], rendered_pdf_id: int) -> int | None:
    """Render one queued PDF; returns its size in bytes (None when there was nothing to do)."""
    reference = f"pdf-{rendered_pdf_id}-{self.request.id or 'local'}"
    try:
        row = rendering.run_render(rendered_pdf_id)
    except TRANSIENT as error:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("render of PDF %s: no database [%s]", rendered_pdf_id, reference)
            raise  # the row stays running: the reaper's lease hands it over or fails it
        logger.warning("render of PDF %s lost the database (%s); retrying", rendered_pdf_id, error)
        _reconnect_and_release(rendered_pdf_id)
        raise self.retry(exc=error, countdown=2**self.request.retries) from error
    except Exception:
        # Not control flow: the last line of defence, so that no render stays "running".
        # The traceback goes to the log under the reference the row shows.
        logger.exception("render of PDF %s failed [%s]", rendered_pdf_id, reference)
        message = _("The PDF could not be rendered (reference {reference}); ask again.")
        rendering.record_failure(rendered_pdf_id, message.format(reference=reference))
        return None
    return row.size_bytes if row else None


def _reconnect_and_release(rendered_pdf_id: int) -> None:
    """Drop the broken connection (the next query opens a fresh one) and give the claimed
    row back to the queue, so that the retry can claim it again."""
    close_old_connections()
    try:
        rendering.release(rendered_pdf_id)
    except TRANSIENT as error:  # still down: the lease runs out and the reaper releases it
        logger.warning("render of PDF %s not released (%s)", rendered_pdf_id, error)
