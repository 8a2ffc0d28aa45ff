"""The accounting parts of the evaluation result, as dossier.md fixes their names.

Rounding happens here and only here, half-up (dossier.md, "Rounding in the output only"):
tCO2e and MWh to 3 places, ratios to 4; factor values as stored. Values stay `Decimal`;
`exact_json` writes them as JSON numbers with exactly their decimal digits.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from .results import AccountingResult, FactorsUsed, Metrics

TONNES_AND_MWH = Decimal("0.001")
RATIO = Decimal("0.0001")
# Rounding must not depend on the caller's decimal context: its default 28 digits cannot hold
# 1E+25 tCO2e to the thousandth (quantize would raise). 1000 digits hold any value the
# reader's limits let the accounting produce.
_ROUNDING = Context(prec=1000, traps=[InvalidOperation])


def _round(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP, context=_ROUNDING)


def _ratio(value: Decimal | None) -> Decimal | None:
    return None if value is None else _round(value, RATIO)


_EMISSIONS = (
    "category_1",
    "category_2_location",
    "category_2_market",
    "category_3",
    "category_4",
    "boundary_total",
)
# The metrics part in the order of dossier.md; the ratios round to 4 places, the rest to 3.
_METRICS = (
    "electricity_consumption_mwh",
    "renewable_electricity_mwh",
    "renewable_electricity_share",
    "green_power_offset_tco2e",
    "credit_offset_tco2e",
    "removal_tco2e",
    "neutralisation_ratio",
    "removal_ratio",
    "electrification_share",
    "intensity_reduction",
)
_RATIOS = frozenset(
    {
        "renewable_electricity_share",
        "neutralisation_ratio",
        "removal_ratio",
        "electrification_share",
        "intensity_reduction",
    }
)


def _factors(factors: FactorsUsed) -> dict[str, Any]:
    return {
        "set_version": factors.set_version,
        "grid_factor_tco2_per_mwh": factors.grid_factor_tco2_per_mwh,
        "grid_factor_year": factors.grid_factor_year,
        "grid_factor_scope": factors.grid_factor_scope,
        "gwp_set": factors.gwp_set,
        "warnings": list(factors.warnings),
    }


def _metrics(metrics: Metrics) -> dict[str, Decimal | None]:
    return {
        name: _ratio(getattr(metrics, name))
        if name in _RATIOS
        else _round(getattr(metrics, name), TONNES_AND_MWH)
        for name in _METRICS
    }


def present(result: AccountingResult) -> dict[str, Any]:
    """`factors`, `emissions`, `metrics` and `instrument_issues` of the evaluation result."""
    emissions = result.emissions
    return {
        "factors": _factors(result.factors),
        "emissions": {
            name: _round(getattr(emissions, name), TONNES_AND_MWH) for name in _EMISSIONS
        },
        "metrics": _metrics(result.metrics),
        "instrument_issues": [
            {"path": issue.path, "message": issue.message} for issue in result.instrument_issues
        ],
    }
