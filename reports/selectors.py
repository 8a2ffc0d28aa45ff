"""Public reads of certificates: by number, a PDF's hash against the record, the listing.

These answer anyone (no actor): they show only what a certificate publicly states
(`PublicCertificate`), never the tenant's data behind it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from emissions.models import Inventory
from reports.models import Certificate, RenderedPdf

LISTING_LIMIT = 500
HASH_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class PublicCertificate:
    """Everything the verification page shows, and nothing else."""

    number: str
    status: str  # valid / superseded / revoked / expired
    factory_name: str
    factory_name_en: str
    star_level: int
    boundary: str
    data_year: int
    issued_on: datetime.date
    valid_until: datetime.date
    evaluation_sha256: str
    superseded_by: str  # the successor's number, when superseded
    revoked_reason: str

    @property
    def name(self) -> dict[str, str]:
        """The factory's name by language, for the `bi` filter (the legal name in Chinese)."""
        return {"zh": self.factory_name, "en": self.factory_name_en}

    @property
    def boundary_label(self) -> str:
        """The boundary type in the active language ("Type I (categories 1–2)")."""
        try:
            return str(Inventory.Boundary(self.boundary).label)
        except ValueError:
            return self.boundary


def _public(certificate: Certificate, today: datetime.date) -> PublicCertificate:
    successor = certificate.superseded_by
    return PublicCertificate(
        number=certificate.number,
        status=certificate.current_status(today),
        factory_name=certificate.factory_name,
        factory_name_en=certificate.factory_name_en,
        star_level=certificate.star_level,
        boundary=certificate.boundary,
        data_year=certificate.data_year,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        evaluation_sha256=certificate.evaluation_sha256,
        superseded_by=successor.number if successor is not None else "",
        revoked_reason=certificate.revoked_reason,
    )


def public_certificate(number: str) -> PublicCertificate | None:
    certificate = (
        Certificate.objects.select_related("superseded_by").filter(number=number.strip()).first()
    )
    return None if certificate is None else _public(certificate, timezone.localdate())


def is_authentic_copy(number: str, chunks: Iterable[bytes]) -> bool:
    """Whether the uploaded bytes are exactly a final PDF rendered for this certificate."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return RenderedPdf.objects.filter(
        certificate__number=number.strip(),
        kind=RenderedPdf.Kind.CERTIFICATE,
        draft=False,
        status=RenderedPdf.Status.DONE,
        sha256=digest.hexdigest(),
    ).exists()


def _listed() -> QuerySet[Certificate]:
    today = timezone.localdate()
    return Certificate.objects.filter(
        status=Certificate.Status.VALID,
        valid_until__gte=today,
        factory__organisation__public_listing=True,
    ).select_related("superseded_by")


def public_listing() -> list[PublicCertificate]:
    """Valid, unexpired certificates of organisations that opted in, newest first."""
    today = timezone.localdate()
    rows = _listed().order_by("-issued_on", "-number")[:LISTING_LIMIT]
    return [_public(certificate, today) for certificate in rows]
