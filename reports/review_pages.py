"""What the auditor's pages show. The queue: the rounds of her bodies with counts by status
as filter chips. The review page: the round, the submitted evaluation as the evaluation page
presents it (its builder, not a recomputation), every claim with what rests on it, its
decision and its comments, the events of this round and the earlier ones, a preview of the
approved result with the decisions taken so far (computed, never stored), and, once
approved, the certificate.
A read: the caller got `review` from `review_selectors.review_to_audit`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language

from assessments import review_selectors, selectors
from assessments.evaluation.present import Presented
from assessments.forms.answers import kind_label
from assessments.models import Evaluation, Review, ReviewDecision, ReviewEvent
from assessments.services import evaluation as evaluations
from assessments.services import review as reviews
from reports import context as documents
from reports.forms import QueueFilterForm
from reports.models import Certificate
from reports.pdf_selectors import pdf_panel
from zerocarbon.accounts.tenancy import Actor
from zerocarbon.errors import DomainError, NotFound
from zerocarbon.templatetags import num

ITEM_COMMENTS = "r-comment-items"  # the one form that comments on any rubric item
PLACES = {"outcome": "r-outcome", "revoke": "r-certificate"}  # the round's own forms


def url(review: Review) -> str:
    return reverse("review-detail", args=[review.pk])


def anchor(target: str) -> str:
    """The id of the place a write about `target` comes back to: the outcome or the
    certificate, a claim (`gate:G1` is `r-gate-G1`; a comment on it comes back to it too),
    the item comments, the history (a comment on the round). A key's characters other than
    ASCII letters, digits and "-" are spelled `_<code point in hex>_`, so that every key
    gets an id of its own."""
    if target in PLACES:
        return PLACES[target]
    subject, _sep, rest = target.partition(":")
    if subject == "comment":
        if rest.startswith("item:"):
            return ITEM_COMMENTS
        return anchor(rest) if rest else "r-events"
    safe = re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", rest)
    return f"r-{subject}-{safe}" if rest else f"r-{subject}"


# The queue.


@dataclasses.dataclass(frozen=True)
class Chip:
    status: str
    count: int
    href: str
    current: bool


def queue_page(actor: Actor, form: QueueFilterForm) -> dict[str, Any]:
    """The queue's context: the filtered rows and a chip per status (its count over all of
    the actor's reviews, a link that keeps the other filters)."""
    filters = form.filters()
    queue = review_selectors.queue(actor, filters)
    kept = {k: v for k, v in form.data.items() if k in form.fields and k != "status" and v}
    chips = [
        Chip(status, count, "?" + urlencode({**kept, "status": status}), filters.status == status)
        for status, count in queue.counts.items()
    ]
    return {
        "form": form,
        "queue": queue,
        "chips": chips,
        "all_href": "?" + urlencode({**kept, "status": ""}),
        "all_current": not filters.status,
        "total": sum(queue.counts.values()),
    }


# The review page.


@dataclasses.dataclass(frozen=True)
class Link:
    text: str
    href: str = ""
    title: str = ""


@dataclasses.dataclass(frozen=True)
class ClaimRow:
    """A claim with the write target its forms name, the anchors a redirect comes back to,
    what rests on it, its comments and, for a carried decision, the round it comes from."""

    claim: Any  # review_selectors.EvidenceClaim or GateClaim
    subject: str
    key: str
    title: str = ""  # a gate's name
    kind: str = ""  # an evidence file's kind, in words
    rests_on: tuple[Link, ...] = ()
    comments: tuple[ReviewEvent, ...] = ()
    carried_round: int | None = None

    @property
    def target(self) -> str:
        return f"{self.subject}:{self.key}"

    @property
    def anchor(self) -> str:
        return anchor(self.target)


@dataclasses.dataclass(frozen=True)
class EventRow:
    event: ReviewEvent
    href: str  # where on the page its target is ("" for the round as a whole)


@dataclasses.dataclass(frozen=True)
class Change:
    """An item or gate the rejected claims change in the preview."""

    id: str
    name: str
    before: Any
    after: Any


@dataclasses.dataclass(frozen=True)
class Preview:
    """The approved result the decisions so far would give (nothing stored); without a
    rejected claim, the submitted result itself (nothing left out)."""

    total_score: Any
    star_level: int | None
    left_out: dict[str, Any]
    error: str = ""
    changes: tuple[Change, ...] = ()
    zero_carbon: bool | None = None

    @property
    def leaves_out(self) -> bool:
        return any(self.left_out.values())


def review_page(actor: Actor, review: Review) -> dict[str, Any]:
    """The template's context; `refusal` is the views' to fill."""
    claims = review_selectors.claims(review)
    events = review_selectors.events(review)
    evaluation = review.evaluation
    zh = (get_language() or "").lower().startswith("zh")
    is_open = review.status == Review.Status.OPEN
    page = selectors.presented_evaluation(evaluation, zh=zh) if evaluation else None
    context: dict[str, Any] = {
        "review": review,
        "factory": review.assessment.inventory.factory,
        "claims": claims,
        **_claim_rows(claims, events, evaluation, page),
        "undecided": _undecided(claims),
        "open": is_open,
        "events": _event_rows(events),
        "item_comments": [row for row in _event_rows(events) if _is_item_comment(row.event)],
        "earlier_events": _event_rows(_earlier_events(actor, review)),
        "refusal": {},
    }
    if evaluation is not None and page is not None:
        context |= {
            "evaluation": evaluation,
            "page": page,
            "items": [item for indicator in page.indicators for item in indicator.items],
            "preview": preview(review, claims, page) if is_open else None,
            "inputs": _inputs(evaluation, zh=zh),
            "instruments": documents.instruments(evaluation.inputs.get("dossier") or {}),
        }
    return context | _approved(actor, review)


def _claim_rows(
    claims: review_selectors.Claims,
    events: Sequence[ReviewEvent],
    evaluation: Evaluation | None,
    page: Presented | None,
) -> dict[str, list[ClaimRow]]:
    dossier = (evaluation.inputs.get("dossier") or {}) if evaluation else {}
    items = {i.id: i.name for x in (page.indicators if page else ()) for i in x.items}
    gates = {g.id: g.name for g in (page.gates if page else ())}
    decisions = [c.decision for c in claims.evidence] + [c.decision for c in claims.gates]
    carried = _carried_rounds(decisions)
    comments = _comments_by_target(events)

    def row(claim: Any, subject: str, key: str, **more: Any) -> ClaimRow:
        decision = claim.decision
        origin = carried.get(decision.carried_from_id) if decision else None
        target = f"{subject}:{key}"
        return ClaimRow(
            claim, subject, key, comments=comments.get(target, ()), carried_round=origin, **more
        )

    return {
        "evidence_rows": [
            row(
                c,
                "evidence",
                c.document.reference,
                kind=str(kind_label(c.document.kind)),
                rests_on=_rests_on(c, items, dossier),
            )
            for c in claims.evidence
        ],
        "gate_rows": [row(c, "gate", c.gate, title=gates.get(c.gate, "")) for c in claims.gates],
    }


def _rests_on(
    claim: review_selectors.EvidenceClaim, items: Mapping[str, str], dossier: Mapping[str, Any]
) -> tuple[Link, ...]:
    """The rubric items whose answers cite the file (links to them on the page) and the
    instruments whose evidence it is (named by instrument and quantity)."""
    answers = [
        Link(f"{item} {items.get(item, '')}".strip(), f"#item-{item}") for item in claim.answers
    ]
    lines = [Link(_instrument(dossier, path), "", path) for path in claim.instruments]
    return (*answers, *lines)


def _instrument(dossier: Mapping[str, Any], path: str) -> str:
    section, _sep, index = path.partition("/")
    rows = dossier.get(section) or ()
    line = rows[int(index)] if index.isdigit() and int(index) < len(rows) else {}
    if not isinstance(line, dict):
        return path
    quantity = line.get("quantity_mwh" if section == "green_electricity" else "quantity_tco2e")
    unit = "MWh" if section == "green_electricity" else "tCO2e"
    amount = f"{num(quantity)} {unit}" if quantity is not None else ""
    text = f"{line.get('instrument', '')} {line.get('registry', '')} {amount}"
    return " ".join(text.split()) or path


def _carried_rounds(decisions: Iterable[ReviewDecision | None]) -> dict[int, int]:
    """The round each carried decision was taken in, by the id of the decision it copies
    (one query for them all)."""
    ids = {d.carried_from_id for d in decisions if d is not None and d.carried_from_id}
    if not ids:
        return {}
    found = ReviewDecision.objects.filter(pk__in=ids).values_list("pk", "review__number")
    return dict(found)


def _comments_by_target(events: Iterable[ReviewEvent]) -> dict[str, tuple[ReviewEvent, ...]]:
    found: dict[str, list[ReviewEvent]] = {}
    for event in events:
        if event.action == ReviewEvent.Action.COMMENTED and event.target:
            found.setdefault(event.target, []).append(event)
    return {target: tuple(rows) for target, rows in found.items()}


def _undecided(claims: review_selectors.Claims) -> list[Link]:
    """What approval still needs, each a link to its claim on the page."""
    return [
        Link(target.partition(":")[2], f"#{anchor(target)}", target) for target in claims.undecided
    ]


def _event_rows(events: Iterable[ReviewEvent]) -> list[EventRow]:
    return [EventRow(event, _event_href(event.target)) for event in events]


def _is_item_comment(event: ReviewEvent) -> bool:
    return event.action == ReviewEvent.Action.COMMENTED and event.target.startswith("item:")


def _event_href(target: str) -> str:
    subject, _sep, key = target.partition(":")
    if subject in (ReviewDecision.Subject.EVIDENCE, ReviewDecision.Subject.GATE) and key:
        return f"#{anchor(target)}"
    if subject == "certificate":
        return "#r-certificate"
    return f"#item-{key}" if subject == "item" and key else ""


def _earlier_events(actor: Actor, review: Review) -> list[ReviewEvent]:
    rounds = review_selectors.reviews_of(actor, review.assessment)
    earlier = [r for r in rounds if r.number < review.number]
    return review_selectors.review_history(review.assessment, earlier) if earlier else []


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


def preview(
    review: Review, claims: review_selectors.Claims, page: Presented | None = None
) -> Preview | None:
    """The result an approval would record now: the submitted one while nothing is
    rejected, else the submitted inputs without what rests on the rejected claims,
    evaluated here and never stored."""
    submitted = review.evaluation
    if submitted is None:
        return None
    result = submitted.result
    if not (claims.rejected_evidence or claims.rejected_gates):
        nothing: dict[str, Any] = {key: [] for key in LEFT_OUT_KEYS}
        return Preview(
            result["total_score"],
            result["star_level"],
            nothing,
            zero_carbon=result.get("zero_carbon"),
        )
    dossier = submitted.inputs["dossier"]
    adjusted, left_out = reviews.adjusted_dossier(dossier, claims)
    lines = left_out.get("instruments_without_evidence") or ()
    left_out |= {"instruments_without_evidence": [_instrument(dossier, p) for p in lines]}
    try:
        full = selectors.evaluation_input(
            review.assessment, as_of=submitted.as_of, document=adjusted
        )
        after = evaluations.evaluate_input(review.assessment, full, submitted.as_of).result
    except DomainError as error:  # the adjusted dossier cannot be read: say why
        return Preview(None, None, left_out, error.message)
    return Preview(
        after["total_score"],
        after["star_level"],
        left_out,
        changes=_changes(result, after, page),
        zero_carbon=after.get("zero_carbon"),
    )


LEFT_OUT_KEYS = (
    "rejected_evidence",
    "rejected_gates",
    "answers_not_counted",
    "instruments_without_evidence",
)


def _changes(
    before: Mapping[str, Any], after: Mapping[str, Any], page: Presented | None
) -> tuple[Change, ...]:
    """The gates and items whose result the adjustment changes, in the rubric's order."""
    names = {g.id: g.name for g in page.gates} if page else {}
    names |= {i.id: i.name for x in page.indicators for i in x.items} if page else {}
    old, new = _outcomes(before), _outcomes(after)
    return tuple(
        Change(key, names.get(key, ""), old[key], new.get(key))
        for key in old
        if new.get(key) != old[key]
    )


def _outcomes(result: Mapping[str, Any]) -> dict[str, Any]:
    """A result's gates (passed or not) and items (their points), by id."""
    found: dict[str, Any] = {g["id"]: bool(g.get("passed")) for g in result.get("gates") or ()}
    for indicator in result.get("indicators") or ():
        for item in indicator.get("items") or ():
            points = item.get("points")
            found[item["id"]] = None if points is None else Decimal(str(points))
    return found
