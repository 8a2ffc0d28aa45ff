"""Frozen results of the scoring kernel.

Values are unrounded `Decimal`s except `total_score`, which the rubric rounds (half-up, 2 places)
before deciding the level; the remaining rounding belongs to `present.py`. Texts come in both
languages because certificates and reports are bilingual.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring.answers import AnswerValue


@dataclass(frozen=True)
class ItemResult:
    id: str
    kind: str
    points: Decimal | None  # None when answered "na" (left out of its indicator)
    max_points: Decimal
    value: AnswerValue | None  # the answer, or the computed metric; None when missing
    note: str | None
    note_zh: str | None
    provenance: str


@dataclass(frozen=True)
class IndicatorResult:
    """`points` is rescaled to `max_points` when some items are "na"; None when all are."""

    id: str
    points: Decimal | None
    max_points: Decimal
    applicable_max: Decimal  # max points of the items that apply
    items: tuple[ItemResult, ...]
    provenance: str


@dataclass(frozen=True)
class GateResult:
    id: str
    passed: bool
    message: str
    message_zh: str
    provenance: str


@dataclass(frozen=True)
class Unmet:
    """One requirement of the next level that does not hold, said in the user's terms.

    `requirement` is `gate:<id>`, `total_score` or a ratio metric name. `shortfall` is what is
    missing in `unit` (points, MWh of renewable electricity, tCO2e of credits or removals);
    None for declared gates and the inventory gate, which are fixed by evidence, not amounts.
    """

    requirement: str
    current: Decimal | bool | None
    required: Decimal | bool
    shortfall: Decimal | None
    unit: str | None
    sentence: str
    sentence_zh: str


@dataclass(frozen=True)
class NextLevel:
    level: int
    unmet: tuple[Unmet, ...]


@dataclass(frozen=True)
class ScoreResult:
    rubric_code: str
    rubric_edition: str
    boundary: str
    gates: tuple[GateResult, ...]
    indicators: tuple[IndicatorResult, ...]
    total_score: Decimal  # rounded half-up to 2 places; the level is decided on it
    star_level: int | None
    next_level: NextLevel | None

    @property
    def zero_carbon(self) -> bool:
        """True exactly when a star level is given (rubric.md section 2)."""
        return self.star_level is not None

    @property
    def limited_by(self) -> tuple[str, ...]:
        """What stands between the result and the next level, one sentence each."""
        return tuple(unmet.sentence for unmet in self._unmet())

    @property
    def limited_by_zh(self) -> tuple[str, ...]:
        return tuple(unmet.sentence_zh for unmet in self._unmet())

    def _unmet(self) -> tuple[Unmet, ...]:
        return self.next_level.unmet if self.next_level else ()
