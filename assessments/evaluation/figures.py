"""The four charts of an evaluation, from the stored record alone (result and inputs snapshot).

Labels are said here, in the language active when the page is drawn (the kernels' gettext);
the drawing is `charts`, which speaks no language. Values are the result's exact Decimals,
except those only the snapshot holds: the on-site renewable MWh (its lines converted to MWh,
rounded to 3 places as the result rounds MWh) and the monthly values as typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assessments.evaluation import charts
from assessments.evaluation.charts import Bar, Series
from emissions.accounting import carriers
from emissions.accounting.errors import IncompatibleUnit, UnknownUnit
from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop
from emissions.accounting.units import convert

ZERO = Decimal(0)
_MWH = Decimal("0.001")
MONTHS = tuple(str(month) for month in range(1, 13))
INSTRUMENTS = {
    "GEC": gettext_noop("Green electricity certificates (GEC)"),
    "GREEN_POWER": gettext_noop("Green power contracts"),
    "I-REC": gettext_noop("I-REC certificates"),
}


@dataclass(frozen=True)
class Figures:
    """SVG text of each chart."""

    emissions: str
    electricity: str
    neutralisation: str
    monthly_energy: str


def carrier_name(carrier: str, fuel_names: Mapping[str, str], zh: bool) -> str:
    """A carrier as a chart or table labels it (the kernel's `carrier_name`, capitalised):
    fixed carriers translated, fuels by the factor set's Chinese name on a Chinese page and by
    their English name otherwise."""
    name = carriers.carrier_name(carrier, fuel_names.get(carrier, ""), zh=zh)
    return _capitalised(name)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    return Decimal(str(value))


def emissions_chart(result: Mapping[str, Any]) -> str:
    emissions, boundary = result["emissions"], result["dossier"]["boundary"]
    outside = _(" (outside boundary I)") if boundary == "I" else ""
    bars = [
        Bar(_("Category 1 direct"), _number(emissions["category_1"])),
        Bar(_("Category 2, location-based"), _number(emissions["category_2_location"])),
        Bar(_("Category 2, market-based"), _number(emissions["category_2_market"])),
        Bar(_("Category 3 transport") + outside, _number(emissions["category_3"])),
        Bar(_("Category 4 products used") + outside, _number(emissions["category_4"])),
        Bar(_("Boundary total"), _number(emissions["boundary_total"])),
    ]
    return charts.bar_chart(
        bars, label=_("Emissions by category"), unit="tCO2e", empty=_("No emissions recorded")
    )


def _onsite_mwh(energy: Sequence[Mapping[str, Any]]) -> Decimal:
    total = ZERO
    for line in energy:
        if line.get("carrier") == carriers.ONSITE_RENEWABLE_ELECTRICITY:
            try:
                total += convert(Decimal(str(line["quantity"])), str(line["unit"]), "MWh")
            except (
                UnknownUnit,
                IncompatibleUnit,
            ):  # the reader accepted the unit; a newer one is left out
                continue
    return total.quantize(_MWH, rounding=ROUND_HALF_UP)


def _green_segments(
    dossier: Mapping[str, Any], issues: Sequence[Mapping[str, Any]], green: Decimal
) -> list[Bar]:
    """The valid instruments by type, when they add up to what counted (GREEN is capped at
    the grid electricity purchased); otherwise one segment for all of them."""
    invalid = {str(issue.get("path")) for issue in issues}
    by_type: dict[str, Decimal] = {}
    for index, entry in enumerate(dossier.get("green_electricity") or []):
        if f"/green_electricity/{index}" not in invalid:
            kind = str(entry.get("instrument"))
            by_type[kind] = by_type.get(kind, ZERO) + Decimal(str(entry["quantity_mwh"]))
    if sum(by_type.values(), ZERO) == green and green:
        return [Bar(_(INSTRUMENTS.get(kind, kind)), mwh) for kind, mwh in by_type.items()]
    return [Bar(_("Green certificates and contracts (counted)"), green)]


def electricity_chart(result: Mapping[str, Any], dossier: Mapping[str, Any]) -> str:
    metrics = result["metrics"]
    consumption = _number(metrics["electricity_consumption_mwh"]) or ZERO
    renewable = _number(metrics["renewable_electricity_mwh"]) or ZERO
    onsite = min(_onsite_mwh(dossier.get("energy") or []), renewable)
    green = renewable - onsite
    segments = [Bar(carrier_name(carriers.ONSITE_RENEWABLE_ELECTRICITY, {}, zh=False), onsite)]
    if green:
        segments += _green_segments(dossier, result.get("instrument_issues") or [], green)
    segments.append(Bar(_("Grid electricity without certificates"), consumption - renewable))
    return charts.stacked_bar(
        segments,
        label=_("Electricity by source"),
        unit="MWh",
        empty=_("No electricity recorded"),
        reference=None,
    )


def neutralisation_chart(result: Mapping[str, Any]) -> str:
    metrics = result["metrics"]
    credits = _number(metrics["credit_offset_tco2e"]) or ZERO
    removals = _number(metrics["removal_tco2e"]) or ZERO
    segments = [
        Bar(_("Green-power offset (GPO)"), _number(metrics["green_power_offset_tco2e"])),
        Bar(_("Avoidance credits (CO − RC)"), credits - removals),
        Bar(_("Removals (RC)"), removals),
    ]
    boundary = Bar(
        _("100 % = boundary emissions E"), _number(result["emissions"]["boundary_total"])
    )
    return charts.stacked_bar(
        segments,
        label=_("Neutralisation: GPO + CO against E"),
        unit="tCO2e",
        empty=_("No emissions and no neutralisation recorded"),
        reference=boundary,
    )


def monthly_chart(dossier: Mapping[str, Any], fuel_names: Mapping[str, str], zh: bool) -> str:
    """The twelve monthly values of the energy lines that have them, one row per carrier and
    unit (lines of one carrier in one unit add up)."""
    rows: dict[tuple[str, str], list[Decimal]] = {}
    for line in dossier.get("energy") or []:
        if line.get("monthly"):
            key = (str(line["carrier"]), str(line["unit"]))
            months = [Decimal(str(value)) for value in line["monthly"]]
            previous = rows.get(key)
            rows[key] = (
                months
                if previous is None
                else [a + b for a, b in zip(previous, months, strict=True)]
            )
    series = [
        Series(carrier_name(carrier, fuel_names, zh), unit, values)
        for (carrier, unit), values in rows.items()
    ]
    return charts.small_multiples(
        series,
        columns=MONTHS,
        label=_("Monthly energy by carrier (months 1–12)"),
        empty=_("No monthly values recorded"),
    )


def figures(
    result: Mapping[str, Any],
    dossier: Mapping[str, Any],
    *,
    fuel_names: Mapping[str, str],
    zh: bool,
) -> Figures:
    return Figures(
        emissions=emissions_chart(result),
        electricity=electricity_chart(result, dossier),
        neutralisation=neutralisation_chart(result),
        monthly_energy=monthly_chart(dossier, fuel_names, zh),
    )
