"""What-if, free of Django: hypothetical changes applied to the kernel's inputs.

Never to stored data: extra MWh of green electricity (a valid green-power contract of the
period year), extra tCO2e of retired avoidance credits or of removals (valid, vintage = year,
beneficiary = the factory). Changed answers are checked like a dossier's by the service
(`assessments.services.evaluation.what_if`), which evaluates the result through the one entry
point every result comes from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from emissions.accounting.inputs import CarbonCredit, GreenInstrument, InventoryInput

ZERO = Decimal(0)


@dataclass(frozen=True)
class Changes:
    extra_green_mwh: Decimal = ZERO
    extra_credits_tco2e: Decimal = ZERO
    extra_removals_tco2e: Decimal = ZERO
    answers: Mapping[str, object] = field(default_factory=dict)


def hypothetical_inventory(inventory: InventoryInput, changes: Changes) -> InventoryInput:
    """The inventory with the extra instruments the changes describe, valid by construction
    (vintage = year, beneficiary = the factory, retired at the start of the year)."""
    year, name = inventory.year, inventory.factory.name
    green = list(inventory.green_electricity)
    if changes.extra_green_mwh > 0:
        green.append(
            GreenInstrument(
                instrument="GREEN_POWER",
                registry="what-if",
                quantity_mwh=changes.extra_green_mwh,
                vintage=year,
                path="/what_if/extra_green_mwh",
                contract_ref="what-if",
                evidence_ref="what-if",
            )
        )
    credits = list(inventory.credits)
    for kind, amount in (
        ("avoidance", changes.extra_credits_tco2e),
        ("removal", changes.extra_removals_tco2e),
    ):
        if amount > 0:
            credits.append(
                CarbonCredit(
                    instrument="CCER",
                    registry="what-if",
                    quantity_tco2e=amount,
                    vintage=year,
                    kind=kind,
                    path=f"/what_if/extra_{kind}",
                    serial_from="WHATIF-1",
                    serial_to="WHATIF-1",
                    retired_on=date(year, 1, 1),
                    beneficiary=name,
                    evidence_ref="what-if",
                )
            )
    return dataclasses.replace(inventory, green_electricity=tuple(green), credits=tuple(credits))
