"""What the assessment page shows: what the stored evaluations recorded, never live rows.

The figures, gates and indicator totals are the latest evaluation's `result`. Its calculation
lines (every tonne with the numbers used) are rebuilt from that evaluation's own record: the
accounting kernel runs on its inputs snapshot (`inputs["dossier"]`, as of its date, with the
factor set version it recorded) and the lines are shown only if that run reproduces what was
stored, exactly: the same factor values (`factor_values`) and the same emissions. Otherwise
the page says the lines cannot be rebuilt, rather than show other numbers than those rated.
Editing the inventory afterwards changes nothing here until a new evaluation is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from assessments import selectors
from assessments.models import Assessment, Evaluation
from assessments.rubric_editions import scoring_rubric
from assessments.scoring import rubric as rubric_kernel
from emissions.accounting import present as accounting_present
from emissions.accounting.engine import account
from emissions.accounting.errors import AccountingError
from emissions.accounting.results import AccountingResult, CalculationLine
from emissions.dossier.inventory import build_inventory
from emissions.dossier.normalise import normalise_document
from zerocarbon.accounts.tenancy import WRITE_ROLES, Actor, role_in


@dataclass(frozen=True)
class RecordedLines:
    """The calculation lines of a stored evaluation; `problem` says why there are none."""

    lines: tuple[CalculationLine, ...] = ()
    problem: str = ""


def _account_snapshot(evaluation: Evaluation) -> AccountingResult | None:
    factors = selectors.recorded_factor_set(evaluation.factor_set_version)
    if factors is None:
        return None
    inventory = build_inventory(normalise_document(evaluation.inputs["dossier"]))
    return account(inventory, factors, evaluation.as_of)


def _numbers(values: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """Exact numbers by key, however they were stored (a JSON integer, a decimal string)."""
    return {key: None if value is None else Decimal(str(value)) for key, value in values.items()}


def _reproduces(accounting: AccountingResult, evaluation: Evaluation) -> bool:
    values = _numbers(dict(accounting.factors.values))
    emissions = _numbers(accounting_present.present(accounting)["emissions"])
    return values == _numbers(evaluation.factor_values) and emissions == _numbers(
        evaluation.result["emissions"]
    )


def recorded_lines(evaluation: Evaluation) -> RecordedLines:
    """The lines the evaluation was rated with, rebuilt from its record and checked against it
    (see the module doc); none, with the reason, when the record does not give them back."""
    try:
        accounting = _account_snapshot(evaluation)
    except AccountingError:
        accounting = None
    if accounting is None or not _reproduces(accounting, evaluation):
        return RecordedLines(
            problem=_(
                "The calculation lines of this evaluation cannot be rebuilt exactly from what it"
                " recorded; the figures shown are the stored ones."
            )
        )
    return RecordedLines(lines=accounting.lines)


@dataclass(frozen=True)
class Version:
    number: int  # v1, v2 … in the order the evaluations were recorded
    evaluation: Evaluation  # without its large JSON columns


def _gates(result: dict[str, Any], rubric: rubric_kernel.Rubric | None) -> list[dict[str, Any]]:
    names = {gate.id: gate.name for gate in rubric.gates} if rubric else {}
    return [{"scored": gate, "name": names.get(gate["id"])} for gate in result["gates"]]


def _indicators(
    result: dict[str, Any], rubric: rubric_kernel.Rubric | None
) -> list[dict[str, Any]]:
    names = {indicator.id: indicator.name for indicator in rubric.indicators} if rubric else {}
    return [{"scored": row, "name": names.get(row["id"])} for row in result["indicators"]]


def _rated(evaluation: Evaluation | None) -> dict[str, Any]:
    if evaluation is None:
        return {"evaluation": None, "result": None}
    result = evaluation.result
    edition = selectors.recorded_rubric(evaluation.rubric_code, evaluation.rubric_edition)
    rubric = scoring_rubric(edition) if edition else None
    return {
        "evaluation": evaluation,
        "result": result,
        "gates": _gates(result, rubric),
        "indicators": _indicators(result, rubric),
        "recorded": recorded_lines(evaluation),
    }


def assessment_page(actor: Actor, assessment: Assessment) -> dict[str, Any]:
    """The assessment page's context: the assessment, its evaluations as versions and the
    latest one's record. Its query count does not depend on the inventory's size."""
    history = selectors.evaluation_history(assessment)
    versions = [Version(number, evaluation) for number, evaluation in enumerate(history, 1)]
    latest = selectors.recorded_evaluation(versions[-1].evaluation.pk) if versions else None
    return {
        "assessment": assessment,
        "inventory": assessment.inventory,
        "versions": versions[::-1],  # newest first
        "latest_number": len(versions),
        "can_write": role_in(actor, assessment.inventory.factory.organisation) in WRITE_ROLES,
        "failure": selectors.evaluation_failure(assessment),  # in the page's language
        **_rated(latest),
    }
