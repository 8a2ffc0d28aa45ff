"""The spec's metrics (rubric.md sections 1 and 3) from the category totals and instruments.

EC, GREEN, RE_MWH, RE share, GPO, CO, RC, N, NR, RR as defined in rubric.md section 1; the
values of the computed rubric items ERU-4 (electrification), RED-3 (reduction measures),
RED-4 (intensity reduction) and OFS-2 (offset quality) as defined in section 3. Ratios are
exact and uncapped here; the rubric caps them when it scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .energy import EnergyTotals
from .inputs import Baseline, InventoryInput, Production, ReductionMeasure
from .instruments import REMOVAL, InstrumentCheck
from .results import Metrics
from .units import convert

ZERO, ONE = Decimal(0), Decimal(1)
# OFS-2 (rubric.md section 3): credits count for quality with vintage >= year - 5.
QUALITY_VINTAGE_YEARS = 5


@dataclass(frozen=True)
class MetricInputs:
    inventory: InventoryInput
    energy: EnergyTotals
    instruments: InstrumentCheck
    green_mwh: Decimal  # GREEN: valid instruments, capped at grid electricity
    boundary_total: Decimal  # E
    grid_factor: Decimal  # the location factor used for category 2


def ratio_or_one(numerator: Decimal, denominator: Decimal) -> Decimal:
    """NR and RR: the ratio, or 1 when there is nothing left to neutralise (denominator <= 0)."""
    return numerator / denominator if denominator > 0 else ONE


def electrification_share(ec_mwh: Decimal, fuel_gj: Decimal, heat_gj: Decimal) -> Decimal | None:
    """ERU-4: EC x 3.6 GJ / (EC x 3.6 + fuels x NCV + purchased heat and steam GJ)."""
    electricity_gj = convert(ec_mwh, "MWh", "GJ")
    total = electricity_gj + fuel_gj + heat_gj
    return electricity_gj / total if total else None


def intensity_reduction(
    boundary_total: Decimal, production: Production | None, baseline: Baseline | None
) -> Decimal | None:
    """RED-4: 1 - (E / output) / (baseline E / baseline output); None without a baseline.

    None when production or baseline is missing or when the output, the baseline emissions or
    the baseline output is zero (E = 0 is a valid, complete reduction).
    """
    if production is None or baseline is None:
        return None
    if not (production.output and baseline.emissions_tco2e and baseline.output):
        return None
    intensity = boundary_total / production.output
    return ONE - intensity / (baseline.emissions_tco2e / baseline.output)


def reduction_measures(
    measures: tuple[ReductionMeasure, ...], year: int, boundary_total: Decimal
) -> tuple[Decimal, Decimal]:
    """RED-3: (sum of reductions implemented in `year`, sum / (E + sum)); 0 if nothing."""
    reduced = sum((m.reduction_tco2e for m in measures if m.implemented_in == year), ZERO)
    denominator = boundary_total + reduced
    return reduced, (reduced / denominator if denominator else ZERO)


def offset_quality(inputs: MetricInputs, gpo: Decimal, neutralisation: Decimal) -> Decimal:
    """OFS-2: Q / N, with Q = recent credits with evidence + GPO x share of green with evidence."""
    if not neutralisation:
        return ZERO
    earliest = inputs.inventory.year - QUALITY_VINTAGE_YEARS
    credits = sum(
        (
            c.quantity_tco2e
            for c in inputs.instruments.credits
            if c.vintage is not None and c.vintage >= earliest and _has(c.evidence_ref)
        ),
        ZERO,
    )
    green = inputs.instruments.green
    all_green = sum((g.quantity_mwh for g in green), ZERO)
    evidenced = sum((g.quantity_mwh for g in green if _has(g.evidence_ref)), ZERO)
    green_part = gpo * evidenced / all_green if all_green else ZERO
    return (credits + green_part) / neutralisation


def _has(text: str | None) -> bool:
    return bool(text and text.strip())


def compute_metrics(inputs: MetricInputs) -> Metrics:
    """Every metric of the spec from one inventory's totals."""
    energy, e, inventory = inputs.energy, inputs.boundary_total, inputs.inventory
    ec = energy.grid_mwh + energy.onsite_mwh
    re_mwh = energy.onsite_mwh + inputs.green_mwh
    gpo = inputs.green_mwh * inputs.grid_factor
    co = sum((c.quantity_tco2e for c in inputs.instruments.credits), ZERO)
    rc = sum((c.quantity_tco2e for c in inputs.instruments.credits if c.kind == REMOVAL), ZERO)
    n = gpo + co
    reduced, reduction_ratio = reduction_measures(inventory.reduction_measures, inventory.year, e)
    return Metrics(
        electricity_consumption_mwh=ec,
        grid_electricity_mwh=energy.grid_mwh,
        onsite_renewable_mwh=energy.onsite_mwh,
        green_electricity_mwh=inputs.green_mwh,
        renewable_electricity_mwh=re_mwh,
        renewable_electricity_share=re_mwh / ec if ec else None,
        green_power_offset_tco2e=gpo,
        credit_offset_tco2e=co,
        removal_tco2e=rc,
        neutralisation_tco2e=n,
        neutralisation_ratio=ratio_or_one(n, e),
        removal_ratio=ratio_or_one(rc, e - gpo),
        electrification_share=electrification_share(ec, energy.fuel_gj, energy.heat_gj),
        intensity_reduction=intensity_reduction(e, inventory.production, inventory.baseline),
        reduction_measures_tco2e=reduced,
        reduction_ratio=reduction_ratio,
        offset_quality_ratio=offset_quality(inputs, gpo, n),
        has_category_3=any(line.category == 3 for line in inventory.scope3),
        has_category_4=any(line.category == 4 for line in inventory.scope3),
    )
