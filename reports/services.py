"""Issuing, superseding and revoking certificates.

The number comes from the issue year's `CertificateSequence` row, locked FOR UPDATE in the
transaction that inserts the certificate: concurrent issues wait for each other, and a
rolled-back issue gives its number back (no gaps). Issues for one factory are serialised by
locking the factory row first (then the sequence: always in that order, so no deadlock).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import review_selectors
from assessments.models import Evaluation, Review, ReviewEvent
from assessments.services import review as review_service
from emissions.models import Factory
from reports import rendering
from reports.context import LANGUAGES
from reports.models import Certificate, CertificateSequence, RenderedPdf, certificate_number
from zerocarbon.accounts.tenancy import Actor
from zerocarbon.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed

REASON_MAX_LENGTH = 2000


def valid_until(data_year: int) -> datetime.date:
    """The end of the year CERTIFICATE_VALID_YEARS years after the data year."""
    return datetime.date(data_year + settings.CERTIFICATE_VALID_YEARS, 12, 31)


def issue_certificate(
    evaluation: Evaluation, *, issued_on: datetime.date | None = None
) -> Certificate:
    """Number and store the certificate of a rated evaluation; the valid certificate of an
    older evaluation of the same factory, data year and boundary is superseded by it."""
    issued_on = issued_on or timezone.localdate()
    evaluation = Evaluation.objects.select_related("assessment__inventory").get(pk=evaluation.pk)
    inventory = evaluation.assessment.inventory
    with transaction.atomic():
        factory = Factory.objects.select_for_update().get(pk=inventory.factory_id)
        snapshot = _snapshot(evaluation, factory)
        _check_issuable(evaluation, snapshot)
        older = _valid_in_scope(factory, snapshot)
        certificate = Certificate(
            number=_next_number(issued_on.year),
            evaluation=evaluation,
            factory=factory,
            issued_on=issued_on,
            valid_until=valid_until(snapshot["data_year"]),
            **snapshot,
        )
        if older is not None:
            older.status = Certificate.Status.SUPERSEDED
            older.save(update_fields=["status"])
        certificate.save()
        if older is not None:
            older.superseded_by = certificate
            older.save(update_fields=["superseded_by"])
    return certificate


def _snapshot(evaluation: Evaluation, factory: Factory) -> dict[str, Any]:
    """What the certificate says, as the evaluated dossier said it (the factory's current
    fields where the stored inputs do not name them)."""
    dossier = evaluation.inputs.get("dossier") or {}
    named = dossier.get("factory") or {}
    inventory = evaluation.assessment.inventory
    return {
        "factory_name": named.get("name") or factory.name,
        "factory_name_en": named.get("name_en") or factory.name_en,
        "credit_code": named.get("credit_code") or factory.credit_code,
        "boundary": dossier.get("boundary") or inventory.boundary,
        "data_year": int(dossier.get("year") or inventory.year),
        "star_level": evaluation.star_level,
        "total_score": evaluation.total_score,
        "rubric_code": evaluation.rubric_code,
        "rubric_edition": evaluation.rubric_edition,
        "evaluation_sha256": evaluation.sha256,
    }


def _check_issuable(evaluation: Evaluation, snapshot: dict[str, Any]) -> None:
    existing = Certificate.objects.filter(evaluation=evaluation).first()
    if existing is not None:
        message = _("Evaluation {evaluation} already has certificate {number}.")
        raise Conflict(message.format(evaluation=evaluation.pk, number=existing.number))
    if evaluation.star_level is None:
        message = _("Evaluation {evaluation} reached no star level: there is nothing to certify.")
        raise Conflict(message.format(evaluation=evaluation.pk))
    newer = Certificate.objects.filter(
        factory_id=evaluation.assessment.inventory.factory_id,
        data_year=snapshot["data_year"],
        boundary=snapshot["boundary"],
        evaluation__pk__gt=evaluation.pk,
    ).first()
    if newer is not None:
        message = _(
            "Certificate {number} was issued for a newer evaluation of this factory, year "
            "and boundary: an older evaluation cannot be certified after it."
        )
        raise Conflict(message.format(number=newer.number))


def _valid_in_scope(factory: Factory, snapshot: dict[str, Any]) -> Certificate | None:
    return (
        Certificate.objects.select_for_update()
        .filter(
            factory=factory,
            data_year=snapshot["data_year"],
            boundary=snapshot["boundary"],
            status=Certificate.Status.VALID,
        )
        .first()
    )


def _next_number(year: int) -> str:
    """The next number of the year, from its sequence row locked until the transaction ends.
    The first issue of a year creates the row; a concurrent first issue waits for it."""
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(year=year, last_number=0)], ignore_conflicts=True
    )
    sequence = CertificateSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return certificate_number(year, sequence.last_number)


def revoke_certificate(certificate: Certificate, reason: str) -> Certificate:
    """Revoke a valid (or expired) certificate, with the reason shown on the public page."""
    reason = (reason or "").strip()
    if not reason:
        message = _("A revocation needs a reason; it is shown on the verification page.")
        raise ValidationFailed(message, [FieldError("reason", message)])
    if len(reason) > REASON_MAX_LENGTH:
        message = _("The reason is {length} characters long; at most {limit} are allowed.")
        message = message.format(length=len(reason), limit=REASON_MAX_LENGTH)
        raise ValidationFailed(message, [FieldError("reason", message)])
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != Certificate.Status.VALID:
            message = _("Certificate {number} is {status}: only a valid one can be revoked.")
            raise Conflict(message.format(number=locked.number, status=locked.get_status_display()))
        locked.status = Certificate.Status.REVOKED
        locked.revoked_reason = reason
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["status", "revoked_reason", "revoked_at"])
    return locked


# The review's outcomes that concern certificates (the review itself is assessments').


def approve_review(actor: Actor, review: Review, reason: str) -> Certificate:
    """Approve a review and issue the certificate of its approved result, in one transaction
    (a refused approval leaves no certificate, a failed issue no approval); the certificate
    PDFs in both languages are rendered after the commit."""
    with transaction.atomic():
        approved = review_service.approve(actor, review, reason)
        evaluation = approved.approved_evaluation
        earlier = Certificate.objects.filter(evaluation=evaluation).first()
        if earlier is not None:  # resubmitted unchanged: the same result, its certificate
            return _same_result(actor, approved, earlier)
        certificate = issue_certificate(evaluation)  # type: ignore[arg-type]
        review_service.record_certificate(
            actor, approved, ReviewEvent.Action.CERTIFIED, certificate.number
        )
    for language in LANGUAGES:
        rendering.request_render(
            actor, certificate.evaluation_id, kind=RenderedPdf.Kind.CERTIFICATE, language=language
        )
    return certificate


def _same_result(actor: Actor, review: Review, earlier: Certificate) -> Certificate:
    """An approved result certified before (a version resubmitted without a change) keeps
    its certificate while it is valid; a revoked or superseded one is not issued again."""
    if earlier.current_status() != Certificate.Status.VALID:
        message = _(
            "This result was certified before as {number}, which is no longer valid: the same"
            " result is not certified again. Request changes instead."
        )
        raise Conflict(message.format(number=earlier.number))
    review_service.record_certificate(actor, review, ReviewEvent.Action.CERTIFIED, earlier.number)
    return earlier


def revoke_as_auditor(actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate as an auditor of the body that approved it (404 for anyone else:
    the owning organisation may not revoke its own certificate, and is told so)."""
    review = Review.objects.filter(approved_evaluation_id=certificate.evaluation_id).first()
    if review is None or review.certification_body_id not in review_selectors.auditor_bodies(actor):
        if review is not None and review_service.owns(actor, review):
            message = _("Only auditors of {body} may revoke this certificate.")
            raise PermissionDenied(message.format(body=review.certification_body.name))
        raise NotFound(_("No certificate matches the request."))
    with transaction.atomic():
        revoked = revoke_certificate(certificate, reason)
        review_service.record_certificate(
            actor, review, ReviewEvent.Action.REVOKED, revoked.number, revoked.revoked_reason
        )
    return revoked
