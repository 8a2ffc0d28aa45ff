"""Where a factory stands against a threshold, and what it lacks, in the user's own units.

Level requirements and metric gates share this: the value of a requirement metric, whether a
minimum holds (compared exactly, unrounded, as the rubric asks), and the shortfall said as the
action that closes it: points to earn, MWh of renewable electricity to add, tCO2e of credits or
removals to retire (rubric.md section 4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from assessments.scoring.numbers import (
    POINTS_PLACES,
    QUANTITY_PLACES,
    RATIO_PLACES,
    exact,
    plain,
    round_half_up,
    to_decimal,
)
from assessments.scoring.results import Unmet
from assessments.scoring.rubric import Requirement
from assessments.scoring.texts import REQUIREMENT_SENTENCES, UNDEFINED_SHARE
from emissions.accounting.results import Metrics

TOTAL_SCORE = "total_score"
UNITS: Mapping[str, str] = {
    TOTAL_SCORE: "points",
    "renewable_electricity_share": "MWh",
    "neutralisation_ratio": "tCO2e",
    "removal_ratio": "tCO2e",
}
DASH = "—"


@dataclass(frozen=True)
class Standing:
    """The numbers thresholds are checked against: the rounded total, E and the metrics."""

    total_score: Decimal
    emissions_tco2e: Decimal  # E
    metrics: Metrics

    def value(self, metric: str) -> Decimal | None:
        if metric == TOTAL_SCORE:
            return self.total_score
        value: Decimal | None = getattr(self.metrics, metric)
        return value

    def meets(self, metric: str, minimum: Decimal) -> bool:
        value = self.value(metric)
        return value is not None and value >= minimum

    def shortfall(self, metric: str, required: Decimal) -> Decimal | None:
        """What reaching `required` takes, in `UNITS[metric]`; None if the metric is undefined."""
        if self.value(metric) is None:
            return None
        return to_decimal(_SHORTFALLS[metric](self, exact(required)))


def _missing_score(s: Standing, required: Fraction) -> Fraction:
    return required - exact(s.total_score)


def _missing_renewable_mwh(s: Standing, required: Fraction) -> Fraction:
    """required share x EC - RE_MWH."""
    m = s.metrics
    return required * exact(m.electricity_consumption_mwh) - exact(m.renewable_electricity_mwh)


def _missing_credits_tco2e(s: Standing, required: Fraction) -> Fraction:
    """required x E - N; for NR >= 1, E - N."""
    return required * exact(s.emissions_tco2e) - exact(s.metrics.neutralisation_tco2e)


def _missing_removals_tco2e(s: Standing, required: Fraction) -> Fraction:
    """required x (E - GPO) - RC; for RR >= 1, (E - GPO) - RC."""
    m = s.metrics
    residual = exact(s.emissions_tco2e) - exact(m.green_power_offset_tco2e)
    return required * residual - exact(m.removal_tco2e)


# Exact (Fraction) so that a shortfall does not depend on the caller's decimal context.
_SHORTFALLS: Mapping[str, Callable[[Standing, Fraction], Fraction]] = {
    TOTAL_SCORE: _missing_score,
    "renewable_electricity_share": _missing_renewable_mwh,
    "neutralisation_ratio": _missing_credits_tco2e,
    "removal_ratio": _missing_removals_tco2e,
}


def format_metric(metric: str, value: Decimal | None) -> str:
    """A requirement metric as shown in sentences: points 2 places, ratios 4."""
    if value is None:
        return DASH
    places = POINTS_PLACES if metric == TOTAL_SCORE else RATIO_PLACES
    return str(round_half_up(value, places))


def format_shortfall(metric: str, shortfall: Decimal | None) -> str:
    """A shortfall as shown in sentences: points 2 places, tCO2e and MWh 3."""
    if shortfall is None:
        return DASH
    places = POINTS_PLACES if metric == TOTAL_SCORE else QUANTITY_PLACES
    return str(round_half_up(shortfall, places))


def requirement_unmet(requirement: Requirement, level: int, standing: Standing) -> Unmet:
    metric, required = requirement.metric, requirement.minimum
    current = standing.value(metric)
    shortfall = standing.shortfall(metric, required)
    fields = {
        "level": str(level),
        "current": format_metric(metric, current),
        "required": plain(required),
        "shortfall": format_shortfall(metric, shortfall),
    }
    template = REQUIREMENT_SENTENCES[metric] if current is not None else UNDEFINED_SHARE
    sentence = template.format(**fields)
    return Unmet(
        requirement=metric,
        current=current,
        required=required,
        shortfall=shortfall,
        unit=UNITS[metric],
        sentence=sentence.en,
        sentence_zh=sentence.zh,
    )
