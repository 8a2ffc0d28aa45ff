"""A certificate or full report as HTML and as PDF, in one language, from plain data.

The one place the print templates are drawn: the worker (reports.rendering), the CLI
(`evaluate_dossier --certificate/--report`) and the benchmark all come here. The document's
language is activated for the whole build, so the kernels' words, the rubric's texts and the
template's agree (one document speaks one language).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from assessments.scoring import rubric as kernel
from emissions.accounting.factors import FactorSet
from reports.context import (
    CERTIFICATE,
    CertificateFields,
    Document,
    Record,
    ReviewEntry,
    document,
)
from reports.pdf import Stage, quiet, render_pdf

TEMPLATES = {CERTIFICATE: "reports/certificate.html", "report": "reports/report.html"}


def public_base_url() -> str:
    """Where /verify/ is reached from outside (the QR code's host)."""
    return str(settings.ZEROCARBON_PUBLIC_BASE_URL)


def build(
    record: Record,
    *,
    kind: str,
    language: str,
    rubric: kernel.Rubric | None,
    factors: FactorSet | None,
    certificate: CertificateFields | None = None,
    review_history: Sequence[ReviewEntry] = (),
) -> tuple[Document, str]:
    """The document's content and its HTML, drawn in `language`."""
    with translation.override(language):
        doc = document(
            record,
            kind=kind,
            language=language,
            rubric=rubric,
            factors=factors,
            certificate=certificate,
            base_url=public_base_url(),
            review_history=review_history,
        )
        return doc, render_to_string(TEMPLATES[kind], {"doc": doc})


def pdf_bytes(
    record: Record,
    *,
    kind: str,
    language: str,
    rubric: kernel.Rubric | None,
    factors: FactorSet | None,
    certificate: CertificateFields | None = None,
    review_history: Sequence[ReviewEntry] = (),
    on_stage: Stage = quiet,
) -> bytes:
    """The PDF of a certificate or report; `on_stage` follows its progress."""
    on_stage("context", 10)
    _doc, html = build(
        record,
        kind=kind,
        language=language,
        rubric=rubric,
        factors=factors,
        certificate=certificate,
        review_history=review_history,
    )
    with translation.override(language):
        return render_pdf(html, on_stage=on_stage)
