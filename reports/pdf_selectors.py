"""Reads of rendered PDFs, scoped like the evaluation they draw: whoever may see the
evaluation (assessments.selectors.evaluation_for) may see its PDFs; anyone else gets NotFound,
as for an id that does not exist."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors as assessment_selectors
from assessments.models import Evaluation
from reports.models import RenderedPdf
from zerocarbon.accounts.tenancy import Actor
from zerocarbon.errors import NotFound

STAGES = {
    "context": gettext_lazy("gathering the evaluation"),
    "layout": gettext_lazy("laying out the pages"),
    "write": gettext_lazy("writing the PDF"),
    "store": gettext_lazy("storing the file"),
}


@dataclass(frozen=True)
class PdfLine:
    row: RenderedPdf
    stage: str  # the running stage in the active language


@dataclass(frozen=True)
class PdfPanel:
    """The evaluation and the newest render of each (kind, language), newest first."""

    evaluation: Evaluation
    renders: tuple[PdfLine, ...]

    @property
    def active(self) -> bool:
        return any(line.row.status in ("queued", "running") for line in self.renders)


def pdf_panel(actor: Actor, evaluation_pk: int) -> PdfPanel:
    evaluation = assessment_selectors.evaluation_for(actor, evaluation_pk)
    newest: dict[tuple[str, str], RenderedPdf] = {}
    for row in RenderedPdf.objects.filter(evaluation=evaluation).order_by("-created_at", "-pk"):
        newest.setdefault((row.kind, row.language), row)
    lines = (PdfLine(row, str(STAGES.get(row.stage, ""))) for row in newest.values())
    return PdfPanel(evaluation, tuple(lines))


def pdf_for(actor: Actor, pk: int) -> RenderedPdf:
    """A finished PDF the actor may download."""
    row = RenderedPdf.objects.filter(pk=pk, status=RenderedPdf.Status.DONE).first()
    if row is None:
        raise NotFound(_("No PDF matches the request."))
    assessment_selectors.evaluation_for(actor, row.evaluation_id)
    return row
