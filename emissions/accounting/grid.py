"""Choosing the grid electricity factors of an inventory, with the spec's fallback rules.

emission-factors.md section 3: the factor of the data year if published; otherwise the latest
earlier published year, with a warning naming the year used; a data year before the first
published year uses the first published year, with a warning. A regional or provincial scope
with no value falls back to the latest earlier year of the same scope, then to the national
value (a provincial scope never falls back to the regional one), each time with a warning.
Reading of the spec: the "first published year" rule applies to the national series, the end
of every chain; a regional or provincial scope with nothing up to the data year goes national.

The market-based residual factor is the national residual of the year of the location factor
actually used, whatever the scope; where that year has none, the location factor is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .errors import InvalidInventory, MissingFactor
from .factors import FactorSet, GridFactor
from .regions import normalise_province, region_of
from .translation import gettext as _

NATIONAL, REGIONAL, PROVINCIAL = "national", "regional", "provincial"
LOCATION, RESIDUAL = "location", "residual"


@dataclass(frozen=True)
class GridChoice:
    location: GridFactor
    residual_value: Decimal
    residual_year: int
    residual: GridFactor | None  # None when the location factor stands in for it
    warnings: tuple[str, ...]


def grid_factor_key(factor: GridFactor) -> str:
    """Stable key of a grid factor in `FactorsUsed.values`: `grid:location:regional:east:2023`."""
    area = f":{factor.area}" if factor.area else ""
    return f"grid:{factor.kind}:{factor.scope}{area}:{factor.year}"


def describe(factor: GridFactor) -> str:
    """`national 2023`, `regional east 2022`, `provincial 江苏 2023`."""
    area = f" {factor.area}" if factor.area else ""
    return f"{factor.scope}{area} {factor.year}"


def _series(factors: FactorSet, scope: str, area: str, kind: str) -> dict[int, GridFactor]:
    return {
        f.year: f
        for f in factors.grid_factors
        if f.scope == scope and f.area == area and f.kind == kind
    }


def _up_to(
    series: dict[int, GridFactor], year: int, label: str, warnings: list[str]
) -> GridFactor | None:
    if year in series:
        return series[year]
    earlier = [y for y in series if y < year]
    if not earlier:
        return None
    used = max(earlier)
    warnings.append(
        f"no {label} grid factor published for {year}; using {used}, the latest earlier year"
    )
    return series[used]


def _national(factors: FactorSet, year: int, warnings: list[str]) -> GridFactor:
    series = _series(factors, NATIONAL, "", LOCATION)
    if not series:
        message = _("factor set {version} has no national grid factor")
        raise MissingFactor(message.format(version=factors.version))
    factor = _up_to(series, year, NATIONAL, warnings)
    if factor is not None:
        return factor
    first = min(series)
    warnings.append(
        f"data year {year} is before the first published national grid factor; using {first}"
    )
    return series[first]


def _location(
    factors: FactorSet, scope: str, province: str, year: int, warnings: list[str]
) -> GridFactor:
    if scope == NATIONAL:
        return _national(factors, year, warnings)
    if scope == REGIONAL:
        area = region_of(province)
    elif scope == PROVINCIAL:
        area = normalise_province(province)
    else:
        message = _("unknown grid factor scope {scope!r}; use national, regional or provincial")
        raise InvalidInventory(message.format(scope=scope))
    factor = _up_to(_series(factors, scope, area, LOCATION), year, f"{scope} ({area})", warnings)
    if factor is not None:
        return factor
    warnings.append(
        f"no {scope} grid factor for {area} published for {year} or earlier; "
        "using the national factor"
    )
    return _national(factors, year, warnings)


def choose_grid_factors(factors: FactorSet, scope: str, province: str, year: int) -> GridChoice:
    """The location and residual factors of an inventory, with a warning per fallback."""
    warnings: list[str] = []
    location = _location(factors, scope, province, year, warnings)
    residual = _series(factors, NATIONAL, "", RESIDUAL).get(location.year)
    if residual is None:
        warnings.append(
            f"no national residual factor published for {location.year}; the market-based "
            f"method uses the location factor {location.value_tco2_per_mwh} tCO2/MWh "
            f"({describe(location)})"
        )
    return GridChoice(
        location=location,
        residual_value=(residual or location).value_tco2_per_mwh,
        residual_year=location.year,
        residual=residual,
        warnings=tuple(warnings),
    )
