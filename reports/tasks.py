"""Celery task of the reports app: a RenderedPdf id in, reports.rendering does the work.

A render that fails is recorded on its row with a reference the log carries too, so the page
says it failed instead of showing "running" forever.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.utils.translation import gettext as _

from reports import rendering

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="reports.render_pdf", acks_late=True, reject_on_worker_lost=True)
def render_pdf_task(self: Task[[int], int | None], rendered_pdf_id: int) -> int | None:
    """Render one queued PDF; returns its size in bytes (None when there was nothing to do)."""
    reference = f"pdf-{rendered_pdf_id}-{self.request.id or 'local'}"
    try:
        row = rendering.run_render(rendered_pdf_id)
    except Exception:
        # Not control flow: the last line of defence, so that no render stays "running".
        # The traceback goes to the log under the reference the row shows.
        logger.exception("render of PDF %s failed [%s]", rendered_pdf_id, reference)
        message = _("The PDF could not be rendered (reference {reference}); ask again.")
        rendering.record_failure(rendered_pdf_id, message.format(reference=reference))
        return None
    return row.size_bytes if row else None
