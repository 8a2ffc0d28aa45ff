"""What-if: the result an assessment would get with hypothetical changes, never saved.

Changes are applied to the kernel's inputs, not to stored data: extra MWh of green
electricity (a valid green-power contract of the period year), extra tCO2e of retired
avoidance credits or of removals (valid, vintage = year, beneficiary = the factory), and
changed answers (checked like a dossier's). Evaluated as of the assessment's date, through
the one entry point every result comes from (`assessments.dossier.evaluate_full`), with the
meters' coverage as a submission would have it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.dossier import evaluate_full, export_dossier, read_full_dossier
from assessments.models import Assessment
from assessments.scoring.answers import AnswerErrors, parse_answers
from emissions.accounting.inputs import CarbonCredit, GreenInstrument, InventoryInput
from emissions.metering_selectors import inventory_coverage
from zerocarbon.errors import FieldError, ValidationFailed

ZERO = Decimal(0)


@dataclass(frozen=True)
class Changes:
    extra_green_mwh: Decimal = ZERO
    extra_credits_tco2e: Decimal = ZERO
    extra_removals_tco2e: Decimal = ZERO
    answers: Mapping[str, object] = field(default_factory=dict)


def _hypothetical(inventory: InventoryInput, changes: Changes) -> InventoryInput:
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


def what_if(
    assessment: Assessment, changes: Changes, *, as_of: date | None = None
) -> dict[str, Any]:
    as_of = as_of or assessment.as_of or timezone.localdate()
    full = read_full_dossier(
        export_dossier(assessment), as_of=as_of, factor_set=assessment.inventory.factor_set
    )
    raw_answers = {**full.read.answers_raw, **changes.answers}
    try:
        answers = parse_answers(full.scoring_rubric, raw_answers)
    except AnswerErrors as error:
        raise ValidationFailed(
            _("Some hypothetical answers are invalid."),
            [FieldError(p, m) for p, m in error.errors],
        ) from None
    document = {
        **full.read.document,
        "answers": raw_answers,
        "what_if": dataclasses.asdict(changes),
    }
    read = dataclasses.replace(
        full.read,
        inventory=_hypothetical(full.read.inventory, changes),
        document=document,
        answers_raw=raw_answers,
    )
    hypothetical = dataclasses.replace(full, read=read, answers=answers)
    metering = inventory_coverage(assessment.inventory)
    return evaluate_full(hypothetical, as_of=as_of, metering=metering).result
