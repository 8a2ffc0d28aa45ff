"""The scoring part of the evaluation result, shaped and rounded as dossier.md fixes it.

Rounding happens here and only here, half-up: points 2 places, ratios 4, tCO2e and MWh 3.
Numbers stay `Decimal` (the JSON writer prints them as JSON numbers). Beyond the spec's field
names, gates and items carry `provenance` (the UI labels platform thresholds) and every text
has a Chinese twin (`message_zh`, `note_zh`, `limited_by_zh`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.scoring.answers import AnswerValue, Footprint, NotApplicable
from assessments.scoring.numbers import (
    POINTS_PLACES,
    QUANTITY_PLACES,
    RATIO_PLACES,
    round_half_up,
)
from assessments.scoring.requirements import TOTAL_SCORE
from assessments.scoring.results import (
    GateResult,
    IndicatorResult,
    ItemResult,
    NextLevel,
    ScoreResult,
    Unmet,
)


def present(result: ScoreResult) -> dict[str, Any]:
    """JSON-ready parts of the evaluation result (Any: the caller merges and writes them)."""
    return {
        "gates": [_gate(gate) for gate in result.gates],
        "indicators": [_indicator(indicator) for indicator in result.indicators],
        "total_score": result.total_score,
        "star_level": result.star_level,
        "zero_carbon": result.zero_carbon,
        "limited_by": list(result.limited_by),
        "limited_by_zh": list(result.limited_by_zh),
        "next_level": _next_level(result.next_level),
    }


def _gate(gate: GateResult) -> dict[str, object]:
    return {
        "id": gate.id,
        "passed": gate.passed,
        "message": gate.message,
        "message_zh": gate.message_zh,
        "provenance": gate.provenance,
    }


def _indicator(indicator: IndicatorResult) -> dict[str, object]:
    return {
        "id": indicator.id,
        "points": _points(indicator.points),
        "max": _points(indicator.max_points),
        "items": [_item(item) for item in indicator.items],
    }


def _item(item: ItemResult) -> dict[str, object]:
    return {
        "id": item.id,
        "points": _points(item.points),
        "max": _points(item.max_points),
        "value": _value(item.value),
        "note": item.note,
        "note_zh": item.note_zh,
        "provenance": item.provenance,
    }


def _value(value: AnswerValue | None) -> object:
    """Answers as the dossier writes them; ratios (typed or computed) to 4 places."""
    if isinstance(value, Decimal):
        return round_half_up(value, RATIO_PLACES)
    if isinstance(value, Footprint):
        return {
            "share": round_half_up(value.share, RATIO_PLACES),
            "third_party_verified": value.third_party_verified,
        }
    if isinstance(value, NotApplicable):
        return value.value
    return value


def _next_level(next_level: NextLevel | None) -> dict[str, object] | None:
    if next_level is None:
        return None
    return {"level": next_level.level, "unmet": [_unmet(unmet) for unmet in next_level.unmet]}


def _unmet(unmet: Unmet) -> dict[str, object]:
    places = POINTS_PLACES if unmet.requirement == TOTAL_SCORE else RATIO_PLACES
    shortfall_places = POINTS_PLACES if unmet.unit == "points" else QUANTITY_PLACES
    return {
        "requirement": unmet.requirement,
        "current": _number(unmet.current, places),
        "required": _number(unmet.required, places),
        "shortfall": _number(unmet.shortfall, shortfall_places),
        "unit": unmet.unit,
    }


def _points(points: Decimal | None) -> Decimal | None:
    return None if points is None else round_half_up(points, POINTS_PLACES)


def _number(value: Decimal | bool | None, places: int) -> Decimal | bool | None:
    """Round a Decimal; a gate's true/false and a missing value pass through."""
    return round_half_up(value, places) if isinstance(value, Decimal) else value
