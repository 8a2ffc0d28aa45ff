"""What the auditor's review page shows: the round, the submitted evaluation as the evaluation
page presents it (its builder, not a recomputation), every claim with what rests on it and its
decision, the events of this round, a preview of the approved result with the decisions taken
so far (computed, never stored), and, once approved, the certificate.
A read: the caller got `review` from `review_selectors.review_to_audit`."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language

from assessments import review_selectors, selectors
from assessments.models import Evaluation, Review
from assessments.services import evaluation as evaluations
from assessments.services import review as reviews
from reports import context as documents
from reports.models import Certificate
from reports.pdf_selectors import pdf_panel
from zerocarbon.accounts.tenancy import Actor
from zerocarbon.errors import DomainError, NotFound


def url(review: Review) -> str:
    return reverse("review-detail", args=[review.pk])


def anchor(target: str) -> str:
    """Where the page opens after a write about `target`: the outcome, or the claims."""
    return "r-outcome" if target == "outcome" else "claims"


@dataclasses.dataclass(frozen=True)
class ClaimRow:
    """A claim with the write target its forms name and the anchors a redirect comes back to."""

    claim: Any  # review_selectors.EvidenceClaim or GateClaim
    subject: str
    key: str

    @property
    def target(self) -> str:
        return f"{self.subject}:{self.key}"

    @property
    def anchor(self) -> str:
        return anchor(self.target)

    @property
    def comment_anchor(self) -> str:
        return anchor(f"comment:{self.target}")


@dataclasses.dataclass(frozen=True)
class Preview:
    """The approved result the decisions so far would give (nothing stored)."""

    total_score: Any
    star_level: int | None
    left_out: dict[str, Any]
    error: str = ""


def review_page(actor: Actor, review: Review) -> dict[str, Any]:
    """The template's context; `refusal` is the views' to fill."""
    claims = review_selectors.claims(review)
    context: dict[str, Any] = {
        "review": review,
        "factory": review.assessment.inventory.factory,
        "claims": claims,
        "evidence_rows": [ClaimRow(c, "evidence", c.document.reference) for c in claims.evidence],
        "gate_rows": [ClaimRow(c, "gate", c.gate) for c in claims.gates],
        "undecided": claims.undecided,
        "open": review.status == Review.Status.OPEN,
        "events": review_selectors.events(review),
        "refusal": {},
    }
    evaluation = review.evaluation
    if evaluation is not None:
        zh = (get_language() or "").lower().startswith("zh")
        context |= {
            "evaluation": evaluation,
            "page": selectors.presented_evaluation(evaluation, zh=zh),
            "preview": preview(review, claims),
            "inputs": _inputs(evaluation, zh=zh),
            "instruments": documents.instruments(evaluation.inputs.get("dossier") or {}),
        }
    earlier = [
        r for r in review_selectors.reviews_of(actor, review.assessment) if r.number < review.number
    ]
    context["earlier_events"] = review_selectors.review_history(review.assessment, earlier)
    return context | _approved(actor, review)


def _inputs(evaluation: Evaluation, *, zh: bool) -> tuple[documents.InventoryTable, ...]:
    """The evaluated dossier's inventory by category, each line with the factor values it
    used, as the full report tabulates it (from the record, never from live rows)."""
    factors = selectors.recorded_factor_set(evaluation.factor_set_version)
    record = documents.Record(
        evaluation.result, evaluation.inputs, evaluation.factor_values, evaluation.sha256
    )
    fuel_names = {code: fuel.name_zh for code, fuel in factors.fuels.items()} if factors else {}
    return documents.inventory(
        evaluation.inputs.get("dossier") or {},
        documents.factor_uses(record, factors),
        factors=factors,
        fuel_names=fuel_names,
        zh=zh,
    )


def _approved(actor: Actor, review: Review) -> dict[str, Any]:
    approved = review.approved_evaluation
    if approved is None:
        return {}
    try:
        panel = pdf_panel(actor, approved.pk)
    except NotFound:
        panel = None
    return {
        "approved": approved,
        "certificate": Certificate.objects.filter(evaluation=approved).first(),
        "panel": panel,
    }


def preview(review: Review, claims: review_selectors.Claims) -> Preview | None:
    """With something rejected: the result an approval would record now."""
    submitted = review.evaluation
    if submitted is None or not (claims.rejected_evidence or claims.rejected_gates):
        return None
    adjusted, left_out = reviews.adjusted_dossier(submitted.inputs["dossier"], claims)
    try:
        full = selectors.evaluation_input(
            review.assessment, as_of=submitted.as_of, document=adjusted
        )
        result = evaluations.evaluate_input(review.assessment, full, submitted.as_of).result
    except DomainError as error:  # the adjusted dossier cannot be read: say why
        return Preview(None, None, left_out, error.message)
    return Preview(result["total_score"], result["star_level"], left_out)
