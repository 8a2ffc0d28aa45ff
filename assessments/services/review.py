"""Writes of the review of a certification body: rounds, decisions, comments, outcomes.

A submission that names a certification body opens a round (`pending`); when its evaluation
is recorded the round joins the body's queue (`open`), carrying over the decisions of the
previous round on files and gates that did not change. Its auditors accept or reject each
evidence file and each declared gate, with a note; comment on any item; and end the round:
request changes, reject, or approve — each with a reason. Every step is an event (the
review's history) and an e-mail to those concerned (`assessments.notifications`).

Approving records the result as approved: the submitted dossier without the points that rest
on rejected evidence (answers whose every linked file was rejected count as unanswered;
green certificates and credits citing a rejected file lose their `evidence_ref`, which the
rubric's instrument quality requires) and with rejected gates declared false. When nothing
was rejected it is the submitted evaluation itself; otherwise an evaluation of its own that
names the one it adjusts. Evaluations are records, so an approved result never changes; a
correction is a new version (reopen, submit), reviewed again. The certificate is issued by
the certificates area in the same transaction (`reports.services.approve_review`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import review_selectors, selectors
from assessments.evaluation.engine import Evaluated
from assessments.models import Assessment, Evaluation, Review, ReviewDecision, ReviewEvent
from assessments.notifications import notify
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import Actor, organisation_ids, require_write
from zerocarbon.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed

TEXT_MAX_LENGTH = 4000
Action = ReviewEvent.Action


class ReviewClosed(Conflict):
    code = "review_closed"


# The start of a round: at submission, then at evaluation.


def open_round(actor: Actor, assessment: Assessment, body: Organisation | None) -> Review | None:
    """Called in the submission's transaction: a round for `body` (a pending one is reused
    for the new submission), or none, withdrawing a pending round, when no body is named."""
    pending = assessment.reviews.select_for_update().filter(status=Review.Status.PENDING).first()
    if body is None:
        if pending is not None:
            _close(pending, Review.Status.WITHDRAWN, None, "")
        return None
    if body.kind != Organisation.Kind.CERTIFICATION_BODY:
        raise ValidationFailed(
            _("Reviews are by certification bodies."),
            [FieldError("/certification_body", _("not a certification body"))],
        )
    now = timezone.now()
    review = pending or Review(assessment=assessment, number=_next_number(assessment))
    review.certification_body, review.submitted_at = body, now
    review.submitted_by_id = actor.pk
    review.save()
    _event(review, Action.SUBMITTED, actor, text=body.name)
    return review


def _next_number(assessment: Assessment) -> int:
    last = assessment.reviews.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def evaluation_recorded(assessment: Assessment, evaluation: Evaluation) -> None:
    """Called in the transaction that records a submission's evaluation: its pending round
    joins the queue, with the unchanged decisions of the round before."""
    review = assessment.reviews.select_for_update().filter(status=Review.Status.PENDING).first()
    if review is None:
        return
    review.evaluation, review.status, review.opened_at = (
        evaluation,
        Review.Status.OPEN,
        timezone.now(),
    )
    review.save(update_fields=["evaluation", "status", "opened_at"])
    _carry_over(review)
    _event(review, Action.OPENED, None)
    notify(review, Action.OPENED, auditors=True)


def _carry_over(review: Review) -> None:
    before = (
        Review.objects.filter(assessment_id=review.assessment_id, number__lt=review.number)
        .exclude(status__in=[Review.Status.PENDING, Review.Status.WITHDRAWN])
        .order_by("-number")
        .first()
    )
    if before is None:
        return
    current = review_selectors.claims(review)
    files = {c.document.reference: c.document.sha256 for c in current.evidence}
    declared = {c.gate for c in current.gates if c.declared}
    for old in before.decisions.all():
        same_file = old.subject == ReviewDecision.Subject.EVIDENCE and (
            files.get(old.key) == old.evidence_sha256
        )
        same_gate = old.subject == ReviewDecision.Subject.GATE and old.key in declared
        if same_file or same_gate:
            ReviewDecision.objects.create(
                review=review,
                **{f: getattr(old, f) for f in ("subject", "key", "evidence_sha256", "verdict")},
                note=old.note,
                decided_by_id=old.decided_by_id,
                decided_at=old.decided_at,
                carried_from=old,
            )


def withdraw_pending(assessment: Assessment) -> None:
    """A reopened submission takes its pending round back (its evaluation failed)."""
    for review in assessment.reviews.select_for_update().filter(status=Review.Status.PENDING):
        _close(review, Review.Status.WITHDRAWN, None, "")


def check_reopenable(assessment: Assessment) -> None:
    """A version under review stays as it is until the body decides."""
    review = assessment.reviews.filter(status=Review.Status.OPEN).first()
    if review is not None:
        message = _(
            "{body} is reviewing this version: it can be changed once the review asks for"
            " changes, rejects or approves it."
        )
        raise ReviewClosed(message.format(body=review.certification_body.name))


# The auditor's work on an open round.


def decide(
    actor: Actor, review: Review, *, subject: str, key: str, verdict: str, note: str
) -> ReviewDecision:
    """Accept or reject one evidence file (by reference) or declared gate, with a note."""
    with transaction.atomic():
        locked = _locked_open(actor, review)
        note = _reason(note, "/note")
        claim = _claim(locked, subject, key)
        if verdict not in ReviewDecision.Verdict.values:
            raise ValidationFailed(
                _("Choose accept or reject."), [FieldError("/verdict", _("accept or reject"))]
            )
        decision, _created = ReviewDecision.objects.update_or_create(
            review=locked,
            subject=subject,
            key=key,
            defaults={
                "verdict": verdict,
                "note": note,
                "evidence_sha256": claim,
                "decided_by_id": actor.pk,
                "decided_at": timezone.now(),
                "carried_from": None,
            },
        )
        action = (
            Action.ACCEPTED if verdict == ReviewDecision.Verdict.ACCEPTED else Action.REJECTED_ITEM
        )
        _event(locked, action, actor, target=f"{subject}:{key}", text=note)
    return decision


def _claim(review: Review, subject: str, key: str) -> str:
    """The SHA-256 of the evidence file judged ("" for a gate); 404 for no such claim."""
    claims = review_selectors.claims(review)
    if subject == ReviewDecision.Subject.EVIDENCE:
        for claim in claims.evidence:
            if claim.document.reference == key:
                return claim.document.sha256
    elif subject == ReviewDecision.Subject.GATE and any(
        g.gate == key and g.declared for g in claims.gates
    ):
        return ""
    raise NotFound(_("This submission claims no such evidence or gate."))


def comment(actor: Actor, review: Review, *, target: str, text: str) -> ReviewEvent:
    """A comment on the round or on one of its items: by its auditors, or a reply by the
    organisation that submitted it (its viewers read, 403). Auditors comment while it is
    open (as it is now, under its lock); replies any time."""
    auditor = review.certification_body_id in review_selectors.auditor_bodies(actor)
    if not auditor:
        factory = review.assessment.inventory.factory
        if factory.organisation_id not in organisation_ids(actor):
            raise NotFound(_("No review matches the request."))
        require_write(actor, factory.organisation, factory=factory)
    text = _reason(text, "/text")
    with transaction.atomic():
        if auditor:
            closed = _("This review is closed: comments were possible while it was open.")
            review = _locked_open(actor, review, closed=closed)
        event = _event(review, Action.COMMENTED, actor, target=target[:300], text=text)
        notify(
            review, Action.COMMENTED, actor_id=actor.pk, auditors=not auditor, consultants=auditor
        )
    return event


def request_changes(actor: Actor, review: Review, reason: str) -> Review:
    return _end(actor, review, Review.Status.CHANGES_REQUESTED, reason)


def reject(actor: Actor, review: Review, reason: str) -> Review:
    return _end(actor, review, Review.Status.REJECTED, reason)


def _end(actor: Actor, review: Review, status: str, reason: str) -> Review:
    with transaction.atomic():
        locked = _locked_open(actor, review)
        _close(locked, status, actor, _reason(reason, "/reason"))
    return locked


def approve(actor: Actor, review: Review, reason: str) -> Review:
    """Approve an open round (in the caller's transaction, which issues the certificate):
    every claim decided, four eyes kept, and a rated result once rejected claims are left
    out. Raises before anything is written otherwise."""
    with transaction.atomic():
        return _approve(actor, review, reason)


def _approve(actor: Actor, review: Review, reason: str) -> Review:
    locked = _locked_open(actor, review)
    reason = _reason(reason, "/reason")
    claims = review_selectors.claims(locked)
    if claims.undecided:
        raise ValidationFailed(
            _("Decide on every evidence file and declared gate before approving."),
            [FieldError(f"/{target}", _("not decided yet")) for target in claims.undecided],
        )
    if settings.REVIEW_FOUR_EYES and actor.pk in review_selectors.preparers(locked):
        raise PermissionDenied(
            _(
                "Four eyes: you prepared this submission (submitted it or changed its data),"
                " so another auditor must approve it."
            )
        )
    approved = approved_evaluation(locked, claims)
    if approved.star_level is None:
        message = _(
            "With the evidence and gates you rejected the factory is not rated ({why}):"
            " request changes or reject instead."
        )
        why = "; ".join(str(text) for text in approved.result.get("limited_by") or ())
        raise Conflict(message.format(why=why or "—"))
    locked.approved_evaluation = approved
    _close(locked, Review.Status.APPROVED, actor, reason)
    return locked


def _close(review: Review, status: str, actor: Actor | None, reason: str) -> None:
    review.status, review.reason = status, reason
    review.decided_by_id = actor.pk if actor is not None else None
    review.decided_at = timezone.now()
    review.save()
    action = {
        Review.Status.CHANGES_REQUESTED: Action.CHANGES_REQUESTED,
        Review.Status.REJECTED: Action.REJECTED,
        Review.Status.APPROVED: Action.APPROVED,
        Review.Status.WITHDRAWN: Action.WITHDRAWN,
    }[Review.Status(status)]
    _event(review, action, actor, text=reason)
    if action != Action.WITHDRAWN:
        notify(review, action, actor_id=review.decided_by_id, consultants=True, auditors=True)


def _locked_open(actor: Actor, review: Review, *, closed: str = "") -> Review:
    """The review as it is now, under its row lock, refused (`closed`) unless open."""
    require_auditor(actor, review)
    # Lock the row alone (its outer joins may not be locked), then read it whole.
    list(Review.objects.select_for_update().filter(pk=review.pk).values_list("pk"))
    locked = review_selectors.review_to_audit(actor, review.pk)
    if locked.status != Review.Status.OPEN:
        message = _("This review is {status}: only an open review can be decided.")
        raise ReviewClosed(closed or message.format(status=locked.get_status_display()))
    return locked


def owns(actor: Actor, review: Review) -> bool:
    """Whether the actor belongs to the organisation that submitted the review."""
    return selectors.assessments_for(actor).filter(pk=review.assessment_id).exists()


def require_auditor(actor: Actor, review: Review) -> None:
    """Only the body's auditors decide; the submitting organisation is told so (403),
    anyone else learns nothing (404)."""
    if review.certification_body_id in review_selectors.auditor_bodies(actor):
        return
    if owns(actor, review):
        message = _("Only auditors of {body} may decide on this review.")
        raise PermissionDenied(message.format(body=review.certification_body.name))
    raise NotFound(_("No review matches the request."))


def _reason(text: str, path: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(
            _("Every decision needs a reason."), [FieldError(path, _("say why, in a few words"))]
        )
    if "\x00" in text:  # PostgreSQL text cannot hold it; a form field would refuse it too
        raise ValidationFailed(
            _("The text holds a NUL character."),
            [FieldError(path, _("remove the NUL character (U+0000)"))],
        )
    if len(text) > TEXT_MAX_LENGTH:
        message = _("at most {limit} characters")
        raise ValidationFailed(
            _("The text is too long."), [FieldError(path, message.format(limit=TEXT_MAX_LENGTH))]
        )
    return text


def record_certificate(
    actor: Actor | None, review: Review, action: str, number: str, text: str = ""
) -> None:
    """The certificates area tells the review what became of its approval (issued, revoked)."""
    _event(review, action, actor, target=f"certificate:{number}", text=text)
    if action != Action.CERTIFIED:  # the approval's own mail says so
        notify(review, action, actor_id=getattr(actor, "pk", None), consultants=True, auditors=True)


def _event(
    review: Review, action: str, actor: Actor | None, *, target: str = "", text: str = ""
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        review=review,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        target=target,
        text=text,
        at=timezone.now(),
    )


# The approved result.


def approved_evaluation(review: Review, claims: review_selectors.Claims) -> Evaluation:
    """The round's evaluation when nothing was rejected; otherwise the evaluation of its
    dossier without the rejected claims, stored (once) as an adjustment of it."""
    submitted = review.evaluation
    if submitted is None:  # pragma: no cover - an open round always has its evaluation
        raise ReviewClosed(_("This review has no evaluation yet."))
    if not claims.rejected_evidence and not claims.rejected_gates:
        return submitted
    from assessments.services import evaluation as evaluations

    adjusted, left_out = adjusted_dossier(submitted.inputs["dossier"], claims)
    full = selectors.evaluation_input(review.assessment, as_of=submitted.as_of, document=adjusted)
    document = {**full.read.document, "review": left_out}
    full = dataclasses.replace(full, read=dataclasses.replace(full.read, document=document))
    evaluated: Evaluated = evaluations.evaluate_input(review.assessment, full, submitted.as_of)
    return evaluations.store_adjustment(review.assessment, evaluated, submitted)


def adjusted_dossier(
    dossier: dict[str, Any], claims: review_selectors.Claims
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dossier without what rests on rejected claims, and what was left out (recorded in
    the approved result's inputs, so that its page and report can say why)."""
    rejected = claims.rejected_evidence
    answers = dict(dossier.get("answers") or {})
    unsupported = sorted(
        item for item in answers if (files := _files_of(claims, item)) and files <= rejected
    )
    for item in unsupported:
        del answers[item]
    adjusted = {**dossier, "answers": answers}
    if not answers:
        adjusted.pop("answers")
    instruments: list[str] = []
    for section in ("green_electricity", "credits"):
        lines = []
        for index, line in enumerate(dossier.get(section) or ()):
            if isinstance(line, dict) and line.get("evidence_ref") in rejected:
                instruments.append(f"{section}/{index}")
                line = {k: v for k, v in line.items() if k != "evidence_ref"}  # noqa: PLW2901
            lines.append(line)
        if section in dossier:
            adjusted[section] = lines
    gates = dict(dossier.get("gates") or {})
    for gate in claims.rejected_gates:
        gates[gate] = False
    adjusted["gates"] = gates
    left_out = {
        "rejected_evidence": sorted(rejected),
        "rejected_gates": sorted(claims.rejected_gates),
        "answers_not_counted": unsupported,
        "instruments_without_evidence": instruments,
    }
    return adjusted, left_out


def _files_of(claims: review_selectors.Claims, item: str) -> frozenset[str]:
    return frozenset(c.document.reference for c in claims.evidence if item in c.answers)
