"""What the assessment page shows: the stored evaluation, every rubric item with its name,
rule and provenance ("threshold set by platform edition" where the platform reconstructed
it), and the accounting lines with the numbers used, so every tonne can be recomputed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from assessments import selectors
from assessments.dossier import export_dossier, read_full_dossier
from assessments.models import Assessment
from assessments.rubric_editions import scoring_rubric
from emissions.accounting.engine import account
from emissions.selectors import kernel_factor_set
from zerocarbon.accounts.tenancy import WRITE_ROLES, Actor, role_in
from zerocarbon.errors import DomainError

PLATFORM_LABEL = "平台版阈值 threshold set by platform edition"


def _indicators(assessment: Assessment, result: dict[str, Any] | None) -> list[dict[str, Any]]:
    rubric = scoring_rubric(assessment.rubric)
    scored = {i["id"]: i for i in (result or {}).get("indicators", [])}
    rows = []
    for indicator in rubric.indicators:
        items_scored = {item["id"]: item for item in scored.get(indicator.id, {}).get("items", [])}
        items = [
            {
                "item": item,
                "scored": items_scored.get(item.id),
                "platform": item.provenance == "platform",
            }
            for item in rubric.items_of(indicator.id)
        ]
        rows.append({"indicator": indicator, "scored": scored.get(indicator.id), "items": items})
    return rows


def _lines(assessment: Assessment, as_of: Any) -> tuple[list[Any], str]:
    try:
        full = read_full_dossier(
            export_dossier(assessment), as_of=as_of, factor_set=assessment.inventory.factor_set
        )
    except DomainError as error:
        return [], error.message
    return list(account(full.read.inventory, kernel_factor_set(full.factor_set), as_of).lines), ""


def explain_assessment(actor: Actor, assessment: Assessment) -> dict[str, Any]:
    evaluation = selectors.latest_evaluation(assessment)
    result = evaluation.result if evaluation else None
    as_of = evaluation.as_of if evaluation else (assessment.as_of or timezone.localdate())
    lines, problem = _lines(assessment, as_of)
    rubric = scoring_rubric(assessment.rubric)
    return {
        "assessment": assessment,
        "inventory": assessment.inventory,
        "evaluation": evaluation,
        "result": result,
        "indicators": _indicators(assessment, result),
        "gates": [
            {
                "gate": gate,
                "scored": next(
                    (g for g in (result or {}).get("gates", []) if g["id"] == gate.id), None
                ),
            }
            for gate in rubric.gates
        ],
        "lines": lines,
        "lines_problem": problem,
        "platform_label": PLATFORM_LABEL,
        "can_write": role_in(actor, assessment.inventory.factory.organisation) in WRITE_ROLES,
        "stars": "★" * (result["star_level"] or 0) if result else "",
    }
