"""Factories, inventories, their lines and the platform-wide serial claims."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from emissions import history
from emissions.accounting.regions import region_of
from emissions.dossier.claims import Claim, document_claims
from emissions.dossier.layout import SECTION_KEYS
from emissions.dossier.registries import RegistryDirectory
from emissions.models import (
    CarbonCredit,
    EnergyRecord,
    FactorSet,
    Factory,
    GreenElectricityInstrument,
    Inventory,
    ProcessEmission,
    ReductionMeasure,
    RefrigerantRecord,
    Registry,
    Scope3Entry,
    SerialClaim,
)
from zerocarbon.accounts.models import Organisation
from zerocarbon.errors import Conflict, FieldError, ValidationFailed

Instrument = GreenElectricityInstrument | CarbonCredit
ALREADY_CLAIMED = gettext_noop(
    "serial range {first} … {last} of {instrument} in registry '{registry}' is already claimed"
    " on the platform (compared in canonical form: case, width and white space do not count);"
    " a certificate or credit counts once"
)


class AlreadyClaimed(ValidationFailed):
    """Certificates or credits of the dossier are claimed on the platform already (400)."""

    code = "already_claimed"


def factory_values(factory: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of a factory from its normalised `factory` object (credit code aside): the
    grid region follows from the province."""
    return {
        "name": factory["name"],
        "name_en": factory.get("name_en", ""),
        "province": factory["province"],
        "grid_region": region_of(factory["province"]),
        "industry": factory.get("industry", ""),
        "address": factory.get("address", ""),
    }


def upsert_factory(organisation: Organisation, factory: Mapping[str, Any]) -> Factory:
    """The organisation's factory with this credit code, created or brought up to date."""
    found, _ = Factory.objects.update_or_create(
        organisation=organisation,
        credit_code=factory["credit_code"],
        defaults=factory_values(factory),
    )
    return found


def inventory_values(document: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of an inventory from a normalised document (factory and factor set aside)."""
    production = document.get("production") or {}
    baseline = document.get("baseline") or {}
    return {
        "year": document["year"],
        "boundary": document["boundary"],
        "gwp_set": document["gwp_set"],
        "grid_factor_scope": document["grid_factor_scope"],
        "production_output": production.get("output"),
        "production_unit": production.get("unit", ""),
        "baseline_year": baseline.get("year"),
        "baseline_emissions_tco2e": baseline.get("emissions_tco2e"),
        "baseline_output": baseline.get("output"),
    }


@transaction.atomic
def create_inventory(
    organisation: Organisation,
    document: Mapping[str, Any],
    factor_set: FactorSet,
    registries: RegistryDirectory,
) -> Inventory:
    """Write the inventory part of a read (normalised) dossier: all of it or nothing."""
    factory = upsert_factory(organisation, document["factory"])
    if Inventory.objects.filter(factory=factory, year=document["year"]).exists():
        year = document["year"]
        message = _("an inventory for {year} exists already for this factory").format(year=year)
        raise Conflict(
            _("{factory} already has an inventory for {year}.").format(
                factory=factory.name, year=year
            ),
            [FieldError("/year", message)],
        )
    inventory = Inventory.objects.create(
        factory=factory, factor_set=factor_set, **inventory_values(document)
    )
    _create_lines(inventory, document)
    errors = _claim_serials(inventory, document_claims(document, registries))
    if errors:
        raise AlreadyClaimed(_("Some serial ranges are already claimed."), errors)
    return inventory


LINE_MODELS: dict[str, Any] = {
    "energy": EnergyRecord,
    "process_emissions": ProcessEmission,
    "refrigerants": RefrigerantRecord,
    "scope3": Scope3Entry,
    "reduction_measures": ReductionMeasure,
    "green_electricity": GreenElectricityInstrument,
    "credits": CarbonCredit,
}


def line_values(section: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Every column of a line of `section` from its normalised entry: a key the entry leaves
    out gets the column's default (blank text, null), so that an update clears it."""
    fields = LINE_MODELS[section]._meta
    values = {}
    for key in SECTION_KEYS[section]:
        value = entry.get(key)
        if value is None:
            value = fields.get_field(key).get_default()
        elif key == "monthly":  # stored as the decimal strings given
            value = [str(month) for month in value]
        values[key] = value
    return values


def _create_lines(inventory: Inventory, document: Mapping[str, Any]) -> None:
    for section, model in LINE_MODELS.items():
        history.record_created(
            model.objects.bulk_create(
                model(inventory=inventory, position=position, **line_values(section, entry))
                for position, entry in enumerate(document.get(section, []))
            )
        )


def _claim_serials(inventory: Inventory, claims: list[Claim]) -> list[FieldError]:
    """The claims of a new inventory, each owned by the line at its position."""
    owners: dict[tuple[str, int], Instrument] = {
        ("green_electricity", line.position): line for line in inventory.green_electricity.all()
    } | {("credits", line.position): line for line in inventory.credits.all()}
    return claim_serials([(claim, owners[claim.section, claim.index]) for claim in claims])


def claim_serials(owned: list[tuple[Claim, Instrument]]) -> list[FieldError]:
    """One SerialClaim per ranged instrument line, keyed in canonical form. The database
    refuses an overlap with any claim anywhere (exclusion constraint / trigger); the message
    names no other tenant, and each error is at its claim's path (`/credits/2/serial_from`).

    The claims go in with one INSERT, sorted by their key, so that two imports claiming
    overlapping ranges meet on the same row first (one waits for the other instead of both
    waiting for each other). Only when the database refuses is each claim looked up, to name
    every line already claimed."""
    ordered = sorted(owned, key=lambda pair: (*pair[0].group, pair[0].serials.start))
    rows = [_claim_row(claim, owner) for claim, owner in ordered]
    try:
        with transaction.atomic():
            SerialClaim.objects.bulk_create(rows)
    except IntegrityError as error:
        if "serial_claim_no_overlap" not in str(error):
            raise
        claimed = _claimed([claim for claim, _ in ordered])
        return [
            _already_claimed(claim, owner)
            for position, (claim, owner) in enumerate(ordered)
            if position in claimed
        ] or [FieldError("/", _("a serial range was claimed at the same moment; try again"))]
    return []


def _claim_row(claim: Claim, owner: Instrument) -> SerialClaim:
    start_key, end_key = claim.serials.normalised_key()
    field = "green" if isinstance(owner, GreenElectricityInstrument) else "credit"
    return SerialClaim(
        instrument=claim.instrument,
        registry=claim.registry_key,
        prefix=claim.serials.prefix,
        start_key=start_key,
        end_key=end_key,
        **{field: owner},
    )


_CLAIMED_SQL = """
SELECT v.position FROM unnest(%s::text[], %s::text[], %s::text[], %s::numeric[], %s::numeric[],
                              %s::int[]) AS v(instrument, registry, prefix, s, e, position)
WHERE EXISTS (
  SELECT 1 FROM emissions_serialclaim c
  WHERE c.instrument = v.instrument AND c.registry = v.registry AND c.prefix = v.prefix
    AND numrange(c.start_key::numeric, c.end_key::numeric, '[]') && numrange(v.s, v.e, '[]'))
"""


_PLAN_PROBES = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off"
_PLAN_DEFAULTS = "SET LOCAL enable_hashjoin = on; SET LOCAL enable_mergejoin = on"


def _claimed(claims: list[Claim]) -> set[int]:
    """Positions (in `claims`) of the claims that overlap a committed claim. PostgreSQL: one
    query probing the exclusion constraint's GiST index per claim; SQLite (quickstart): one
    index seek per claim (ranges of one key never overlap, so the only candidate is the last
    range starting at or before this one's end)."""
    if connection.vendor == "postgresql":
        columns: list[list[str] | list[int]] = [
            [c.instrument for c in claims],
            [c.registry_key for c in claims],
            [c.serials.prefix for c in claims],
            [c.serials.start for c in claims],
            [c.serials.end for c in claims],
            list(range(len(claims))),
        ]
        with connection.cursor() as cursor:
            # Each claim must probe the GiST index: hashed on the three equal columns, the
            # planner's favourite plan compares every pair of one prefix (20,000 lines: 4e8
            # range tests, minutes). Off for this query only, then back to the defaults.
            cursor.execute(_PLAN_PROBES)
            cursor.execute(_CLAIMED_SQL, columns)
            claimed = {row[0] for row in cursor.fetchall()}
            cursor.execute(_PLAN_DEFAULTS)
            return claimed
    return {position for position, claim in enumerate(claims) if _seek_claimed(claim)}


def _seek_claimed(claim: Claim) -> bool:
    start_key, end_key = claim.serials.normalised_key()
    key = (claim.instrument, claim.registry_key, claim.serials.prefix)
    return overlapping_claim(*key, start_key, end_key) is not None


def overlapping_claim(
    instrument: str, registry: str, prefix: str, start_key: str, end_key: str
) -> SerialClaim | None:
    """The stored claim overlapping this range, if any. Ranges of one key never overlap each
    other, so the only candidate is the last one starting at or before `end_key`: one index
    seek (instrument, registry, prefix, start_key), however many claims there are."""
    candidate = (
        SerialClaim.objects.filter(
            instrument=instrument, registry=registry, prefix=prefix, start_key__lte=end_key
        )
        .order_by("-start_key")
        .first()
    )
    return candidate if candidate is not None and candidate.end_key >= start_key else None


def _already_claimed(claim: Claim, owner: Instrument) -> FieldError:
    message = _(ALREADY_CLAIMED).format(
        first=owner.serial_from,
        last=owner.serial_to,
        instrument=owner.instrument,
        registry=owner.registry,
    )
    return FieldError(f"{claim.path}/serial_from", message)


def alias_conflicts(registry_key: str, alias_keys: set[str]) -> list[str]:
    """The claims under `alias_keys` that overlap claims of the registry `registry_key`:
    naming the alias would make them the same certificates claimed twice."""
    conflicts = []
    for claim in SerialClaim.objects.filter(registry__in=alias_keys - {registry_key}):
        clash = overlapping_claim(
            claim.instrument, registry_key, claim.prefix, claim.start_key, claim.end_key
        )
        if clash is not None:
            conflicts.append(_("{claim} overlaps {other}").format(claim=claim, other=clash))
    return conflicts


@transaction.atomic
def rekey_registry_claims(registry: Registry) -> int:
    """Move the claims made under any alias of `registry` (while the alias was unknown) to the
    registry's key, so that they meet every later claim of the same certificates. Raises
    Conflict, changing nothing, when that would make two claims overlap."""
    alias_keys = set(registry.aliases.values_list("key", flat=True))
    conflicts = alias_conflicts(registry.key, alias_keys)
    if conflicts:
        raise Conflict(
            _(
                "These certificates are already claimed under both names; resolve the double"
                " claim before adding the alias."
            ),
            [FieldError("aliases", conflict) for conflict in conflicts],
        )
    claims = SerialClaim.objects.filter(registry__in=alias_keys - {registry.key})
    return claims.update(registry=registry.key)
