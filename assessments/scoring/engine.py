"""`score`: items, indicators, total, gates, star level and the gap to the next level.

Deterministic and Django-free: plain frozen inputs in, a frozen `ScoreResult` out, exact
arithmetic until the total (see `numbers.py`), no clock, no global decimal context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring.answers import Answers
from assessments.scoring.gates import check_gate
from assessments.scoring.items import indicator_total, score_indicator
from assessments.scoring.numbers import POINTS_PLACES, round_fraction
from assessments.scoring.requirements import Standing, requirement_unmet
from assessments.scoring.results import NextLevel, ScoreResult, Unmet
from assessments.scoring.rubric import BOUNDARY_TYPES, Level, Requirement, Rubric
from emissions.accounting.results import Metrics


@dataclass(frozen=True)
class ScoringInput:
    """What scoring needs of one factory and year; built by a selector or the dossier reader.

    `answers` and `declared_gates` come from `parse_answers` and `parse_gates`, whose typing
    the engine relies on. `emissions_tco2e` is E, the boundary total of the accounting.
    """

    boundary: str  # "I" or "II"
    emissions_tco2e: Decimal
    metrics: Metrics
    answers: Answers
    declared_gates: Mapping[str, bool]

    def __post_init__(self) -> None:
        if self.boundary not in BOUNDARY_TYPES:
            raise ValueError(f"boundary must be one of {BOUNDARY_TYPES}, got {self.boundary!r}")


def score(rubric: Rubric, inputs: ScoringInput) -> ScoreResult:
    """Score a factory-year against a rubric (rubric.md sections 2 to 4).

    Indicators whose items are all "na" are not applicable (points None) and the total is
    rescaled: total = sum of applicable indicator points x rubric total / sum of their maxima.
    The total is rounded half-up to 2 places and the level decided on the rounded total; ratios
    are compared with their thresholds unrounded. A failed gate withholds the star level but the
    score is still computed, and `next_level` then aims at the lowest level.
    """
    indicators = [
        score_indicator(rubric, indicator, inputs.answers, inputs.metrics)
        for indicator in rubric.indicators
    ]
    total = round_fraction(indicator_total(indicators, rubric.total_points), POINTS_PLACES)
    standing = Standing(
        total_score=total, emissions_tco2e=inputs.emissions_tco2e, metrics=inputs.metrics
    )
    gates = [
        check_gate(gate, inputs.boundary, inputs.declared_gates, standing) for gate in rubric.gates
    ]
    levels = rubric.levels_for(inputs.boundary)
    reached = reached_level(levels, standing) if all(g.result.passed for g in gates) else None
    failed_gates = [gate.unmet for gate in gates if gate.unmet is not None]
    return ScoreResult(
        rubric_code=rubric.code,
        rubric_edition=rubric.edition,
        boundary=inputs.boundary,
        gates=tuple(gate.result for gate in gates),
        indicators=tuple(indicator.result for indicator in indicators),
        total_score=total,
        star_level=reached,
        next_level=next_level(levels, reached, standing, failed_gates),
    )


def reached_level(levels: Sequence[Level], standing: Standing) -> int | None:
    """The highest level whose every requirement holds (gates are checked by the caller)."""
    held = [level.level for level in levels if not _unmet_requirements(level, standing)]
    return max(held, default=None)


def next_level(
    levels: Sequence[Level], reached: int | None, standing: Standing, failed_gates: Sequence[Unmet]
) -> NextLevel | None:
    """The level just above the one reached (the lowest when not rated) and what it lacks;
    None at the top of the table."""
    target = next((level for level in levels if reached is None or level.level > reached), None)
    if target is None:
        return None
    unmet = [
        requirement_unmet(requirement, target.level, standing)
        for requirement in _unmet_requirements(target, standing)
    ]
    return NextLevel(level=target.level, unmet=(*failed_gates, *unmet))


def _unmet_requirements(level: Level, standing: Standing) -> list[Requirement]:
    return [r for r in level.requirements if not standing.meets(r.metric, r.minimum)]
