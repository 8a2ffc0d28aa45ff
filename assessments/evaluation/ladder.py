"""The cheapest ways to the next star, free of Django: a scored result and its rubric in.

Two lists, from what the evaluation already knows (no recomputation):

(a) **Requirements of the next level still unmet**, each with its exact shortfall in the
    user's terms (`next_level.unmet`: MWh of renewable electricity, tCO2e of credits or
    removals, points; None for a declared gate, fixed by evidence, not an amount), and the
    points missing to the level's score threshold (0 when the score is enough).
(b) **Rubric items that could still earn points**, with how many (max − points), ranked by
    effort first, then by the points they would add to the total:

    1. `answer` — the item has no answer yet ("no evidence"): answering it with its evidence
       is paperwork only, so it comes first;
    2. `improve` — answered below its maximum: a better practice (a higher level, a larger
       share, removing obsolete equipment), then the answer;
    3. `instrument` — computed from instruments the factory can buy and retire (renewable
       electricity share, neutralisation, removals, offset quality);
    4. `operations` — computed from how the plant runs (electrification, reduction measures,
       intensity): changes to the plant itself, the slowest.

The total-score gain of an item is its item gain scaled as the engine scales points: by the
indicator's maximum over its applicable maximum ("na" items left out) and by the rubric total
over the applicable indicators' maxima, rounded half-up to 2 places. Items answered "na" and
indicators that do not apply are left out: they cannot earn points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

from assessments.scoring.numbers import POINTS_PLACES, plain, round_fraction
from assessments.scoring.requirements import format_metric, format_shortfall
from assessments.scoring.rubric import AnyItem, ComputedItem, Rubric, Text
from assessments.scoring.texts import REQUIREMENT_SENTENCES, UNDEFINED_SHARE

TOTAL_SCORE = "total_score"
GATE_PREFIX = "gate:"
ZERO = Decimal(0)
INSTRUMENT_UNITS = frozenset({"MWh", "tCO2e"})
LAST_PLACE = Decimal("0.001")  # tCO2e and MWh are given to 3 places (scoring/present.py)
HALF_LAST_PLACE = Decimal("0.0005")
EFFORTS = ("answer", "improve", "instrument", "operations")
# Computed metrics that move with purchased or retired instruments (rubric.md section 3).
INSTRUMENT_METRICS = frozenset(
    {"renewable_electricity_share", "neutralisation_ratio", "removal_ratio", "offset_quality_ratio"}
)


@dataclass(frozen=True)
class Shortfall:
    """One unmet requirement of the next level: `requirement` is `gate:<id>`, `total_score`
    or a ratio metric; `shortfall` in `unit` (None for gates fixed by evidence)."""

    requirement: str
    shortfall: Decimal | None
    unit: str | None
    sentence: Text

    @property
    def change(self) -> str | None:
        """The what-if change (a `whatif.Changes` field) that closes it, if an amount does:
        renewable MWh as green electricity, removals for the removal ratio, else credits."""
        if self.shortfall is None or self.unit not in INSTRUMENT_UNITS:
            return None
        if self.unit == "MWh":
            return "extra_green_mwh"
        return (
            "extra_removals_tco2e" if self.requirement == "removal_ratio" else "extra_credits_tco2e"
        )

    @property
    def as_changes(self) -> dict[str, Decimal]:
        """{change: amount_to_try}, or empty when no amount closes it."""
        if self.change is None or self.amount_to_try is None:
            return {}
        return {self.change: self.amount_to_try}

    @property
    def amount_to_try(self) -> Decimal | None:
        """The shortfall as an amount that surely suffices: the result gives it rounded to
        3 places (half-up, so up to 0.0005 below the exact need); this adds that back and
        rounds up to the same places."""
        if self.change is None or self.shortfall is None:
            return None
        return (self.shortfall + HALF_LAST_PLACE).quantize(LAST_PLACE, rounding=ROUND_CEILING)


@dataclass(frozen=True)
class Opportunity:
    item_id: str
    indicator: str
    name: Text
    effort: str  # one of EFFORTS
    points: Decimal  # earned now (0 when unanswered)
    max_points: Decimal
    gain: Decimal  # max - points, in item points
    total_gain: Decimal  # what the total score would gain, 2 places


@dataclass(frozen=True)
class Ladder:
    level: int | None  # the next level; None at the top of the table
    unmet: tuple[Shortfall, ...]
    points_missing: Decimal  # to the next level's score threshold; 0 when met
    opportunities: tuple[Opportunity, ...]

    @property
    def answer_gain(self) -> Decimal:
        """Points the total would gain from answers alone (effort `answer`)."""
        return sum((o.total_gain for o in self.opportunities if o.effort == "answer"), ZERO)

    @property
    def answers_close_score_gap(self) -> bool:
        return self.points_missing > 0 and self.answer_gain >= self.points_missing

    @property
    def instrument_changes(self) -> dict[str, Decimal]:
        """Every amount shortfall at once, as what-if changes (the largest per change)."""
        changes: dict[str, Decimal] = {}
        for unmet in self.unmet:
            for change, amount in unmet.as_changes.items():
                changes[change] = max(amount, changes.get(change, ZERO))
        return changes


def ladder(result: Mapping[str, Any], rubric: Rubric) -> Ladder:
    """The ways to the next level of an evaluation result (the stored or live `result`)."""
    next_level = result.get("next_level")
    unmet = _unmet(result) if next_level else ()
    missing = next((u.shortfall for u in unmet if u.requirement == TOTAL_SCORE), None)
    return Ladder(
        level=next_level["level"] if next_level else None,
        unmet=unmet,
        points_missing=missing if missing is not None else ZERO,
        opportunities=_ranked(opportunities(result, rubric)),
    )


def _unmet(result: Mapping[str, Any]) -> tuple[Shortfall, ...]:
    next_level = result["next_level"]
    gates = {gate["id"]: gate for gate in result.get("gates", [])}
    return tuple(
        Shortfall(
            requirement=row["requirement"],
            shortfall=_decimal(row["shortfall"]),
            unit=row["unit"],
            sentence=sentence(row, next_level["level"], gates),
        )
        for row in next_level["unmet"]
    )


def sentence(row: Mapping[str, Any], level: int, gates: Mapping[str, Any]) -> Text:
    """The unmet requirement in both languages, as the scoring kernel words it: a failed
    gate's message, or the requirement's sentence filled from the row (the stored result
    keeps `limited_by` in one language only)."""
    requirement = row["requirement"]
    if requirement.startswith(GATE_PREFIX):
        gate = gates.get(requirement.removeprefix(GATE_PREFIX), {})
        english = gate.get("message", requirement)
        return Text(zh=gate.get("message_zh") or english, en=english)
    current, shortfall = _decimal(row["current"]), _decimal(row["shortfall"])
    template = REQUIREMENT_SENTENCES[requirement] if current is not None else UNDEFINED_SHARE
    return template.format(
        level=str(level),
        current=format_metric(requirement, current),
        required=plain(Decimal(str(row["required"]))),
        shortfall=format_shortfall(requirement, shortfall),
    )


def opportunities(result: Mapping[str, Any], rubric: Rubric) -> list[Opportunity]:
    """Every applicable item below its maximum, unranked."""
    indicators = [i for i in result["indicators"] if i["points"] is not None]
    applicable_total = sum((_exact(i["max"]) for i in indicators), Fraction(0))
    total_scale = (
        _exact(rubric.total_points) / applicable_total if applicable_total else Fraction(0)
    )
    found = []
    for indicator in indicators:
        items = [item for item in indicator["items"] if item["points"] is not None]
        applicable = sum((_exact(item["max"]) for item in items), Fraction(0))
        scale = _exact(indicator["max"]) / applicable * total_scale
        for item in items:
            defined = rubric.item(item["id"])
            gain = _exact(item["max"]) - _exact(item["points"])
            if defined is not None and gain > 0:
                found.append(_opportunity(indicator["id"], item, defined, gain, scale))
    return found


def _opportunity(
    indicator: str, item: Mapping[str, Any], defined: AnyItem, gain: Fraction, scale: Fraction
) -> Opportunity:
    return Opportunity(
        item_id=item["id"],
        indicator=indicator,
        name=defined.name,
        effort=effort(defined, item.get("value")),
        points=_decimal(item["points"]) or ZERO,
        max_points=_decimal(item["max"]) or ZERO,
        gain=round_fraction(gain, POINTS_PLACES),
        total_gain=round_fraction(gain * scale, POINTS_PLACES),
    )


def effort(item: AnyItem, value: object) -> str:
    """The effort class of earning an item's missing points (see the module docstring)."""
    if isinstance(item, ComputedItem):
        return "instrument" if item.metric in INSTRUMENT_METRICS else "operations"
    return "answer" if value is None else "improve"


def _ranked(found: Sequence[Opportunity]) -> tuple[Opportunity, ...]:
    return tuple(sorted(found, key=lambda o: (EFFORTS.index(o.effort), -o.total_gain, o.item_id)))


def _exact(value: object) -> Fraction:
    return Fraction(str(value))


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
