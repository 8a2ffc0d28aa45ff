"""Reads of reviews: the auditor's queue and review page, the consultant's view of a review.

Certification bodies see no tenant data through the tenancy helper; here they get one path
to it, explicitly: an auditor of a body sees the assessments submitted to that body (every
round of them, with their evaluations, inventory and evidence) and nothing else. Anything
else answers NotFound, as for an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.history import SOURCES, _history
from assessments.models import Assessment, Evaluation, Review, ReviewDecision, ReviewEvent
from assessments.services.dossier import export_dossier
from emissions.models import EvidenceDocument
from zerocarbon.accounts.models import Membership, Organisation
from zerocarbon.accounts.tenancy import Actor, organisation_ids
from zerocarbon.errors import NotFound

_VIA_REVIEW = "assessment__inventory__factory__organisation"
GATES_DECLARED = ("G1", "G2")  # the gates a dossier declares (G3 and G4 are computed)


def auditor_bodies(actor: Actor) -> list[int]:
    """The certification bodies the actor audits for (none for an API key)."""
    ids = organisation_ids(actor, roles=[Membership.Role.AUDITOR])
    if not ids:
        return []
    kind = Organisation.Kind.CERTIFICATION_BODY
    return list(Organisation.objects.filter(pk__in=ids, kind=kind).values_list("pk", flat=True))


def certification_bodies() -> QuerySet[Organisation]:
    """The bodies a consultant may submit to."""
    return Organisation.objects.filter(kind=Organisation.Kind.CERTIFICATION_BODY).order_by("name")


def _reviews() -> QuerySet[Review]:
    return Review.objects.select_related(
        "assessment__inventory__factory__organisation",
        "assessment__inventory__factor_set",
        "assessment__rubric",
        "certification_body",
        "evaluation",
        "approved_evaluation",
        "submitted_by",
        "decided_by",
    )


def review_to_audit(actor: Actor, pk: int) -> Review:
    """A review of one of the actor's certification bodies (404 otherwise)."""
    review = _reviews().filter(pk=pk, certification_body_id__in=auditor_bodies(actor)).first()
    if review is None:
        raise NotFound(_("No review matches the request."))
    return review


def reviews_of(actor: Actor, assessment: Assessment) -> list[Review]:
    """Every round of an assessment's review, newest first, as the actor may see them: the
    owning organisation sees all; an auditor, those of her bodies."""
    # Every round is of the caller's assessment: joining it, its inventory, factory, factor
    # set and rubric again, and both evaluations' whole records, cost more than the rows
    # (planning nine joins, compiling 141 columns). The evaluations load when read.
    rows = Review.objects.select_related("certification_body", "submitted_by", "decided_by")
    rows = rows.filter(assessment=assessment)
    if not selectors.assessments_for(actor).filter(pk=assessment.pk).exists():
        rows = rows.filter(certification_body_id__in=auditor_bodies(actor))
    reviews = list(rows.order_by("-number"))
    for review in reviews:
        review.assessment = assessment
    return reviews


def audited_assessment(actor: Actor, pk: int) -> Assessment:
    """An assessment ever submitted to one of the actor's bodies (404 otherwise)."""
    bodies = auditor_bodies(actor)
    found = Assessment.objects.filter(pk=pk, reviews__certification_body_id__in=bodies)
    assessment = found.select_related("inventory__factory__organisation", "rubric").first()
    if assessment is None:
        raise NotFound(_("No assessment matches the request."))
    return assessment


def audited_evaluation(actor: Actor, pk: int) -> Evaluation | None:
    """An evaluation of an assessment ever submitted to one of the actor's bodies."""
    bodies = auditor_bodies(actor)
    if not bodies:
        return None
    return Evaluation.objects.filter(
        pk=pk, assessment__reviews__certification_body_id__in=bodies
    ).first()


def audited_evidence(actor: Actor, pk: int) -> EvidenceDocument:
    """An evidence file of an inventory under the actor's review (404 otherwise)."""
    bodies = auditor_bodies(actor)
    found = EvidenceDocument.objects.filter(
        pk=pk, inventory__assessments__reviews__certification_body_id__in=bodies
    ).first()
    if found is None:
        raise NotFound(_("No evidence file matches the request."))
    return found


# The queue.

QUEUE_STATUSES = (
    Review.Status.OPEN,
    Review.Status.PENDING,
    Review.Status.CHANGES_REQUESTED,
    Review.Status.APPROVED,
    Review.Status.REJECTED,
)


@dataclass(frozen=True)
class QueueFilters:
    status: str = Review.Status.OPEN
    search: str = ""  # factory name or credit code
    boundary: str = ""  # the inventory's: I or II
    older_than_days: int | None = None


@dataclass(frozen=True)
class QueueRow:
    review: Review
    age: timedelta  # since it joined the queue (or was submitted)


@dataclass(frozen=True)
class Queue:
    rows: tuple[QueueRow, ...]
    counts: dict[str, int] = field(default_factory=dict)  # by status, over all of the bodies
    oldest_open: timedelta | None = None


def queue(actor: Actor, filters: QueueFilters, *, limit: int = 200) -> Queue:
    """The reviews of the actor's bodies, oldest waiting first, with counts by status."""
    mine = Review.objects.filter(certification_body_id__in=auditor_bodies(actor))
    counts = dict(mine.values_list("status").annotate(n=Count("pk")).order_by())
    rows = _reviews().filter(_where(filters), pk__in=mine.values("pk"))
    now = timezone.now()
    picked = rows.order_by("opened_at", "submitted_at", "pk")[:limit]
    lines = tuple(QueueRow(r, now - (r.opened_at or r.submitted_at)) for r in picked)
    oldest = mine.filter(status=Review.Status.OPEN).order_by("opened_at").first()
    return Queue(
        rows=lines,
        counts={status: counts.get(status, 0) for status in QUEUE_STATUSES},
        oldest_open=(now - (oldest.opened_at or oldest.submitted_at)) if oldest else None,
    )


def _where(filters: QueueFilters) -> Q:
    where = Q()
    if filters.status:
        where &= Q(status=filters.status)
    if filters.boundary:
        where &= Q(assessment__inventory__boundary=filters.boundary)
    if filters.older_than_days is not None:  # waiting as long as the row's age says
        cutoff = timezone.now() - timedelta(days=filters.older_than_days)
        where &= Q(opened_at__lt=cutoff) | Q(opened_at=None, submitted_at__lt=cutoff)
    if filters.search:
        text = filters.search.strip()
        factory = "assessment__inventory__factory__"
        where &= (
            Q(**{f"{factory}name__icontains": text})
            | Q(**{f"{factory}name_en__icontains": text})
            | Q(**{f"{factory}credit_code__iexact": text})
        )
    return where


# The review page.


@dataclass(frozen=True)
class EvidenceClaim:
    """An evidence file of the inventory, the claims resting on it, and its decision."""

    document: EvidenceDocument
    answers: tuple[str, ...]  # rubric items whose answers link it
    instruments: tuple[str, ...]  # "green_electricity/0", "credits/2": their evidence_ref
    decision: ReviewDecision | None

    @property
    def changed(self) -> bool:
        """Decided on another file under the same reference: to be judged again."""
        return self.decision is not None and self.decision.evidence_sha256 not in (
            "",
            self.document.sha256,
        )


@dataclass(frozen=True)
class GateClaim:
    gate: str
    declared: bool
    decision: ReviewDecision | None


@dataclass(frozen=True)
class Claims:
    evidence: tuple[EvidenceClaim, ...]
    gates: tuple[GateClaim, ...]

    @property
    def undecided(self) -> list[str]:
        """What must still be decided before an approval, as targets (evidence:REF, gate:G1)."""
        open_evidence = [
            f"evidence:{c.document.reference}"
            for c in self.evidence
            if c.decision is None or c.changed
        ]
        open_gates = [f"gate:{c.gate}" for c in self.gates if c.declared and c.decision is None]
        return open_evidence + open_gates

    @property
    def rejected_evidence(self) -> frozenset[str]:
        return frozenset(
            c.document.reference
            for c in self.evidence
            if c.decision is not None and c.decision.verdict == ReviewDecision.Verdict.REJECTED
        )

    @property
    def rejected_gates(self) -> frozenset[str]:
        return frozenset(
            c.gate
            for c in self.gates
            if c.decision is not None and c.decision.verdict == ReviewDecision.Verdict.REJECTED
        )


def claims(review: Review) -> Claims:
    """Every evidence file of the reviewed inventory and every declared gate, with what rests
    on each and the decision taken on it in this round."""
    assessment = review.assessment
    decisions = {(d.subject, d.key): d for d in review.decisions.select_related("decided_by")}
    documents = EvidenceDocument.objects.filter(inventory_id=assessment.inventory_id)
    links: dict[int, list[str]] = {}
    through = assessment.answers.model.evidence.through
    for item_id, evidence_id in through.objects.filter(answer__assessment=assessment).values_list(
        "answer__item_id", "evidencedocument_id"
    ):
        links.setdefault(evidence_id, []).append(item_id)
    dossier = _reviewed_dossier(review)
    evidence = tuple(
        EvidenceClaim(
            document=doc,
            answers=tuple(sorted(links.get(doc.pk, ()))),
            instruments=tuple(_instruments_citing(dossier, doc.reference)),
            decision=decisions.get((ReviewDecision.Subject.EVIDENCE, doc.reference)),
        )
        for doc in documents.order_by("reference")
    )
    gates_declared = dossier.get("gates") or {}
    gates = tuple(
        GateClaim(
            gate=gate,
            declared=gates_declared.get(gate) is True,
            decision=decisions.get((ReviewDecision.Subject.GATE, gate)),
        )
        for gate in GATES_DECLARED
    )
    return Claims(evidence=evidence, gates=gates)


def _reviewed_dossier(review: Review) -> dict[str, Any]:
    """The dossier as evaluated for this round (its snapshot), or the current one while the
    evaluation is pending."""
    if review.evaluation is not None:
        return dict(review.evaluation.inputs.get("dossier") or {})
    return export_dossier(review.assessment)


def _instruments_citing(dossier: dict[str, Any], reference: str) -> list[str]:
    cited = []
    for section in ("green_electricity", "credits"):
        for index, line in enumerate(dossier.get(section) or ()):
            if isinstance(line, dict) and line.get("evidence_ref") == reference:
                cited.append(f"{section}/{index}")
    return cited


def events(review: Review) -> list[ReviewEvent]:
    return list(review.events.select_related("actor").order_by("at", "pk"))


def review_history(assessment: Assessment, reviews: Sequence[Review]) -> list[ReviewEvent]:
    """Every event of the given rounds of the assessment, oldest first (the report's)."""
    del assessment
    return list(
        ReviewEvent.objects.filter(review__in=list(reviews))
        .select_related("actor", "review__certification_body")
        .order_by("at", "pk")
    )


def preparers(review: Review) -> set[int]:
    """Everyone who prepared what is under review: its submitter and every user the audit
    trail names for a change of its factory, inventory, lines, evidence, assessment or
    answers, and the uploader of each of its evidence files, whose row names them even where
    no request did (four eyes: none of them may approve it)."""
    assessment = review.assessment
    users = {review.submitted_by_id} if review.submitted_by_id is not None else set()
    documents = EvidenceDocument.objects.filter(inventory_id=assessment.inventory_id)
    users |= set(documents.values_list("uploaded_by_id", flat=True))
    for source in SOURCES:
        history = _history(source.model).objects.filter(source.scope(assessment))
        users |= set(
            history.exclude(history_user_id=None).values_list("history_user_id", flat=True)
        )
    return users


def latest_review(assessment: Assessment) -> Review | None:
    return assessment.reviews.order_by("-number").first()


def last_body(assessment: Assessment) -> Organisation | None:
    """The body of the latest round: a resubmission goes back to it unless changed."""
    review = latest_review(assessment)
    return review.certification_body if review else None


# The consultant's side: the rounds on the assessment page and the API, an evaluation's place
# in its review (added for the assessment and evaluation pages).


@dataclass(frozen=True)
class Comment:
    event: ReviewEvent
    subject: str  # evidence, gate, item, certificate, or "" for the round as a whole
    key: str  # the evidence reference, gate or item id


@dataclass(frozen=True)
class Round:
    """A round with its decisions (by subject and key) and its comments (oldest first)."""

    review: Review
    decisions: tuple[ReviewDecision, ...]
    comments: tuple[Comment, ...]

    @property
    def targets(self) -> tuple[str, ...]:
        """What a reply may be about: each decided claim and each commented item."""
        decided = [f"{d.subject}:{d.key}" for d in self.decisions]
        commented = [c.event.target for c in self.comments if c.event.target]
        return tuple(dict.fromkeys([*decided, *commented]))


def rounds_of(actor: Actor, assessment: Assessment) -> list[Round]:
    """Every round the actor may see (`reviews_of`), newest first, in three queries more."""
    reviews = reviews_of(actor, assessment)
    prefetch_related_objects(
        reviews,
        Prefetch("decisions", ReviewDecision.objects.select_related("decided_by")),
        Prefetch("events", ReviewEvent.objects.select_related("actor").order_by("at", "pk")),
    )
    return [
        Round(
            review=review,
            decisions=tuple(review.decisions.all()),
            comments=tuple(
                Comment(event, *_split_target(event.target))
                for event in review.events.all()
                if event.action == ReviewEvent.Action.COMMENTED
            ),
        )
        for review in reviews
    ]


def _split_target(target: str) -> tuple[str, str]:
    subject, _sep, key = target.partition(":")
    return (subject, key) if key else ("", target)


@dataclass(frozen=True)
class EvaluationReview:
    """Where an evaluation stands in review, as the actor may see it: the newest round that
    names it (as submitted or as its approved result) and, for a submitted evaluation
    approved without some claims, that approved result."""

    round: Review | None
    approved_result_id: int | None
    left_out: dict[str, Any]  # what an approved result left out (its inputs say)
    owner: bool  # of the submitting organisation (else an auditor: no assessment page)


def evaluation_review(actor: Actor, evaluation: Evaluation) -> EvaluationReview:
    owner = selectors.assessments_for(actor).filter(pk=evaluation.assessment_id).exists()
    rows = Review.objects.select_related("certification_body").filter(
        Q(evaluation=evaluation) | Q(approved_evaluation=evaluation)
    )
    if not owner:
        rows = rows.filter(certification_body_id__in=auditor_bodies(actor))
    latest = rows.order_by("-number").first()
    approved = latest is not None and latest.status == Review.Status.APPROVED
    result_id = latest.approved_evaluation_id if latest is not None and approved else None
    dossier = evaluation.inputs.get("dossier") or {}
    return EvaluationReview(
        round=latest,
        approved_result_id=result_id if result_id != evaluation.pk else None,
        left_out=dict(dossier.get("review") or {}) if evaluation.adjusts_id else {},
        owner=owner,
    )
