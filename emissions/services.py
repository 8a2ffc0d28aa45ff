"""Writes of the emissions app. Each public function owns its transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from emissions.accounting.regions import region_of
from emissions.identifiers import parse_serial_range
from emissions.models import (
    CarbonCredit,
    EnergyRecord,
    EvidenceDocument,
    FactorSet,
    Factory,
    GreenElectricityInstrument,
    Inventory,
    ProcessEmission,
    ReductionMeasure,
    RefrigerantRecord,
    Scope3Entry,
    SerialClaim,
)
from emissions.models.inventory import EVIDENCE_EXTENSIONS
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import require_write
from zerocarbon.errors import Conflict, FieldError, ValidationFailed

ALREADY_CLAIMED = (
    "serial range {first} … {last} of {instrument} in registry '{registry}' is already claimed "
    "on the platform; a certificate or credit counts once"
)


def upsert_factory(organisation: Organisation, factory: Mapping[str, Any]) -> Factory:
    """The organisation's factory with this credit code, created or brought up to date."""
    defaults = {
        "name": factory["name"],
        "name_en": factory.get("name_en", ""),
        "province": factory["province"],
        "grid_region": region_of(factory["province"]),
        "industry": factory.get("industry", ""),
        "address": factory.get("address", ""),
    }
    found, _ = Factory.objects.update_or_create(
        organisation=organisation, credit_code=factory["credit_code"], defaults=defaults
    )
    return found


@transaction.atomic
def create_inventory(
    organisation: Organisation, document: Mapping[str, Any], factor_set: FactorSet
) -> Inventory:
    """Write the inventory part of a read (normalised) dossier: all of it or nothing."""
    factory = upsert_factory(organisation, document["factory"])
    if Inventory.objects.filter(factory=factory, year=document["year"]).exists():
        raise Conflict(
            f"{factory.name} already has an inventory for {document['year']}.",
            [
                FieldError(
                    "/year", f"an inventory for {document['year']} exists already for this factory"
                )
            ],
        )
    production = document.get("production") or {}
    baseline = document.get("baseline") or {}
    inventory = Inventory.objects.create(
        factory=factory,
        year=document["year"],
        boundary=document["boundary"],
        gwp_set=document["gwp_set"],
        grid_factor_scope=document["grid_factor_scope"],
        factor_set=factor_set,
        production_output=production.get("output"),
        production_unit=production.get("unit", ""),
        baseline_year=baseline.get("year"),
        baseline_emissions_tco2e=baseline.get("emissions_tco2e"),
        baseline_output=baseline.get("output"),
    )
    _create_lines(inventory, document)
    errors = list(_claim_serials(inventory))
    if errors:
        raise ValidationFailed("Some serial ranges are already claimed.", errors)
    return inventory


_LINE_MODELS: dict[str, Any] = {
    "energy": EnergyRecord,
    "process_emissions": ProcessEmission,
    "refrigerants": RefrigerantRecord,
    "scope3": Scope3Entry,
    "reduction_measures": ReductionMeasure,
    "green_electricity": GreenElectricityInstrument,
    "credits": CarbonCredit,
}


def _row(entry: Mapping[str, Any]) -> dict[str, Any]:
    row = dict(entry)
    if "monthly" in row:
        row["monthly"] = [str(value) for value in row["monthly"]]
    return {key: ("" if value is None else value) for key, value in row.items()}


def _create_lines(inventory: Inventory, document: Mapping[str, Any]) -> None:
    for section, model in _LINE_MODELS.items():
        model.objects.bulk_create(
            model(inventory=inventory, position=position, **_row(entry))
            for position, entry in enumerate(document.get(section, []))
        )


def _claim_serials(inventory: Inventory) -> Iterator[FieldError]:
    """One SerialClaim per ranged instrument. The database refuses an overlap with any claim
    anywhere (exclusion constraint / trigger); the message names no other tenant."""
    owners: list[tuple[str, GreenElectricityInstrument | CarbonCredit, str]] = [
        ("green_electricity", g, "green") for g in inventory.green_electricity.all()
    ]
    owners += [("credits", c, "credit") for c in inventory.credits.all()]
    for section, owner, field in owners:
        if not owner.serial_from:
            continue
        serials = parse_serial_range(owner.serial_from, owner.serial_to)
        start_key, end_key = serials.normalised_key()
        try:
            with transaction.atomic():
                SerialClaim.objects.create(
                    instrument=owner.instrument,
                    registry=owner.registry,
                    prefix=serials.prefix,
                    start_key=start_key,
                    end_key=end_key,
                    **{field: owner},
                )
        except IntegrityError as error:
            if "serial_claim_no_overlap" not in str(error):
                raise
            message = ALREADY_CLAIMED.format(
                first=owner.serial_from,
                last=owner.serial_to,
                instrument=owner.instrument,
                registry=owner.registry,
            )
            yield FieldError(f"/{section}/{owner.position}/serial_from", message)


def attach_evidence(
    actor: User, inventory: Inventory, *, upload: UploadedFile, kind: str, reference: str
) -> EvidenceDocument:
    """Store a file that backs a claim (`evidence_ref`) or a rubric answer. Only the listed
    document types, at most EVIDENCE_MAX_BYTES; the SHA-256 is kept for the audit trail."""
    require_write(actor, inventory.factory.organisation)
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    errors = []
    if extension not in EVIDENCE_EXTENSIONS:
        allowed = ", ".join(EVIDENCE_EXTENSIONS)
        errors.append(FieldError("file", f"'{name}' is not an accepted type; use one of {allowed}"))
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        errors.append(
            FieldError("file", f"'{name}' has {upload.size:,} bytes; the limit is {limit:,}")
        )
    if not reference.strip():
        errors.append(FieldError("reference", "give the reference that claims use (evidence_ref)"))
    if errors:
        raise ValidationFailed("The evidence file was not accepted.", errors)
    if EvidenceDocument.objects.filter(inventory=inventory, reference=reference).exists():
        raise Conflict(f"Evidence '{reference}' is already attached to this inventory.",
                       [FieldError("reference", "already used in this inventory")])  # fmt: skip
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return EvidenceDocument.objects.create(
        inventory=inventory, kind=kind, reference=reference, file=upload,
        size_bytes=upload.size or 0, sha256=digest.hexdigest(), uploaded_by=actor,
    )  # fmt: skip
