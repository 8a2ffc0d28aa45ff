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

from assessments.models import Evaluation
from emissions.models import Factory
from reports.models import Certificate, CertificateSequence, certificate_number
from zerocarbon.errors import Conflict, FieldError, ValidationFailed

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
