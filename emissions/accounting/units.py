"""Unit conversion by pint's factors, exact in `Decimal`, looked up per unit pair.

Why pint: the spec (emission-factors.md section 1) wants a units library, not conversion
factors scattered through the code. Why a table: pint parses and walks its graph on every
call (tens of microseconds), and importing it and building its registry takes half a second,
most of a fresh command's start-up; the units are a closed list, so every factor between two
of them is computed once through pint, exactly, and stored (`unit_factors.FACTORS`, generated
by `pint_factors`). The suite recomputes the whole table through pint and fails on any
difference, so the numbers stay pint's; a conversion is a dict lookup and one multiplication.

Normal cubic metres (`Nm3`, gas volume at the reference conditions of the factor table) are a
dimension of their own, not m3: a meter reading at line conditions must be corrected before an
NCV per Nm3 applies, so `m3` never converts to `Nm3`. The Chinese statistical units for gas
(万立方米, 万标方) mean normal conditions, as the spec says: "10^4 Nm3 (万立方米)".
Spellings are case-sensitive (`mWh` is not `MWh`); spaces and superscripts are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .carriers import (
    ELECTRICITY_CARRIERS,
    PURCHASED_HEAT,
    PURCHASED_STEAM,
)
from .errors import IncompatibleUnit, UnknownCarrier, UnknownUnit
from .factors import FactorSet
from .translation import gettext as _
from .translation import gettext_noop
from .unit_factors import FACTORS

if TYPE_CHECKING:
    import pint

# What a unit measures; messages name it in the reader's language (translated where used).
ENERGY = gettext_noop("energy")
MASS = gettext_noop("mass")
NORMAL_GAS_VOLUME = gettext_noop("volume of gas at normal conditions")
VOLUME = gettext_noop("geometric volume")
CO2E_MASS = gettext_noop("mass of CO2 equivalent")

# Custom pint definitions; the rest (kilowatt_hour, gigajoule, tonne ...) is pint's own table.
_DEFINITIONS = (
    "normal_cubic_metre = [normal_gas_volume] = Nm3",
    "ten_thousand_normal_cubic_metre = 10000 * normal_cubic_metre",
    "ten_thousand_kilowatt_hour = 10000 * kilowatt_hour",
    "ten_thousand_tonne = 10000 * tonne",
    "gram_CO2e = [co2e_mass] = gCO2e",
    "kilogram_CO2e = 1000 * gram_CO2e",
    "tonne_CO2e = 1000000 * gram_CO2e",
)


@dataclass(frozen=True)
class _Unit:
    pint_name: str
    kind: str


# Canonical user-facing spelling -> pint unit and what it measures.
_UNITS: dict[str, _Unit] = {
    "kWh": _Unit("kilowatt_hour", ENERGY),
    "10^4 kWh": _Unit("ten_thousand_kilowatt_hour", ENERGY),
    "MWh": _Unit("megawatt_hour", ENERGY),
    "GWh": _Unit("gigawatt_hour", ENERGY),
    "kJ": _Unit("kilojoule", ENERGY),
    "MJ": _Unit("megajoule", ENERGY),
    "GJ": _Unit("gigajoule", ENERGY),
    "TJ": _Unit("terajoule", ENERGY),
    "kg": _Unit("kilogram", MASS),
    "t": _Unit("tonne", MASS),
    "10^4 t": _Unit("ten_thousand_tonne", MASS),
    "Nm3": _Unit("normal_cubic_metre", NORMAL_GAS_VOLUME),
    "10^4 Nm3": _Unit("ten_thousand_normal_cubic_metre", NORMAL_GAS_VOLUME),
    "m3": _Unit("metre ** 3", VOLUME),  # pint has no cubic_metre
    "kgCO2e": _Unit("kilogram_CO2e", CO2E_MASS),
    "tCO2e": _Unit("tonne_CO2e", CO2E_MASS),
}

# Other spellings users type -> canonical spelling.
_ALIASES: dict[str, str] = {
    "千瓦时": "kWh",
    "万千瓦时": "10^4 kWh",
    "万kWh": "10^4 kWh",
    "兆瓦时": "MWh",
    "吉瓦时": "GWh",
    "千焦": "kJ",
    "兆焦": "MJ",
    "吉焦": "GJ",
    "太焦": "TJ",
    "千克": "kg",
    "公斤": "kg",
    "吨": "t",
    "万吨": "10^4 t",
    "标准立方米": "Nm3",
    "标方": "Nm3",
    "万Nm3": "10^4 Nm3",
    "万立方米": "10^4 Nm3",
    "万标准立方米": "10^4 Nm3",
    "万标方": "10^4 Nm3",
}

ELECTRICITY_UNITS = ("kWh", "10^4 kWh", "MWh", "GWh")
# Heat: GJ is the Chinese billing unit, but heat meters commonly display kWh or MWh too, and
# the conversion is exact, so both families are accepted.
HEAT_UNITS = ("GJ", "MJ", "TJ", "kWh", "MWh", "GWh")
STEAM_UNITS = ("t", "kg")
GAS_UNITS = ("t", "kg")

_SPACES_AND_SUPERSCRIPTS = str.maketrans(
    {" ": None, "\t": None, "\u3000": None, "³": "3", "⁴": "^4"}
)


def _normalise(text: str) -> str:
    return text.strip().translate(_SPACES_AND_SUPERSCRIPTS)


_LOOKUP: dict[str, str] = {_normalise(name): name for name in _UNITS} | {
    _normalise(alias): name for alias, name in _ALIASES.items()
}
_FACTORS: dict[tuple[str, str], Decimal] = {}


def canonical_unit(text: str) -> str:
    """The canonical spelling of a unit (`万立方米` -> `10^4 Nm3`); raises `UnknownUnit`."""
    try:
        return _LOOKUP[_normalise(text)]
    except KeyError:
        known = ", ".join(_UNITS)
        message = _("unknown unit {unit!r}; known units: {known}").format(unit=text, known=known)
        raise UnknownUnit(message) from None


def unit_kind(text: str) -> str:
    """What a unit measures: `ENERGY`, `MASS`, `NORMAL_GAS_VOLUME`, `VOLUME` or `CO2E_MASS`."""
    return _UNITS[canonical_unit(text)].kind


def _registry() -> pint.UnitRegistry[Decimal]:
    import pint  # only to check the table (see the module's docstring)

    registry: pint.UnitRegistry[Decimal] = pint.UnitRegistry(
        non_int_type=Decimal, cache_folder=None
    )
    for definition in _DEFINITIONS:
        registry.define(definition)
    return registry


def pint_factors() -> dict[tuple[str, str], str]:
    """Every factor between two canonical units of the same kind, computed through pint."""
    registry = _registry()
    factors = {}
    for source, source_unit in _UNITS.items():
        for target, target_unit in _UNITS.items():
            if source_unit.kind == target_unit.kind:
                quantity = registry.Quantity(Decimal(1), source_unit.pint_name)
                magnitude = quantity.to(target_unit.pint_name).magnitude
                factors[(source, target)] = str(Decimal(magnitude).normalize())
    return factors


def _compute_factor(from_unit: str, to_unit: str) -> Decimal:
    source, target = canonical_unit(from_unit), canonical_unit(to_unit)
    source_kind, target_kind = _UNITS[source].kind, _UNITS[target].kind
    if source_kind != target_kind:
        message = _("cannot convert {source!r} ({source_kind}) to {target!r} ({target_kind})")
        raise IncompatibleUnit(
            message.format(
                source=from_unit,
                source_kind=_(source_kind),
                target=to_unit,
                target_kind=_(target_kind),
            )
        )
    factor = Decimal(FACTORS[(source, target)])
    _FACTORS[(from_unit, to_unit)] = factor
    return factor


def conversion_factor(from_unit: str, to_unit: str) -> Decimal:
    """How many `to_unit` one `from_unit` is, exactly (`MWh` -> `GJ` gives 3.6)."""
    factor = _FACTORS.get((from_unit, to_unit))
    return factor if factor is not None else _compute_factor(from_unit, to_unit)


def convert(quantity: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """`quantity` in `from_unit` as `to_unit`; raises `UnknownUnit` or `IncompatibleUnit`."""
    return quantity * conversion_factor(from_unit, to_unit)


def allowed_units_for_carrier(carrier: str, factors: FactorSet) -> tuple[str, ...]:
    """Canonical spellings of the units an energy line of `carrier` may use."""
    if carrier in ELECTRICITY_CARRIERS:
        return ELECTRICITY_UNITS
    if carrier == PURCHASED_HEAT:
        return HEAT_UNITS
    if carrier == PURCHASED_STEAM:
        return STEAM_UNITS
    fuel = factors.fuels.get(carrier)
    if fuel is None:
        raise UnknownCarrier(_("unknown energy carrier {carrier!r}").format(carrier=carrier))
    kind = unit_kind(fuel.unit)
    return tuple(name for name, unit in _UNITS.items() if unit.kind == kind)


def allowed_units_for_gas() -> tuple[str, ...]:
    """Canonical spellings of the units of a process emission or refrigerant (mass)."""
    return GAS_UNITS


def _fits(unit: str, allowed: tuple[str, ...]) -> bool:
    try:
        return canonical_unit(unit) in allowed
    except UnknownUnit:
        return False


def unit_fits_carrier(carrier: str, unit: str, factors: FactorSet) -> bool:
    """Whether `unit` (any accepted spelling) fits `carrier`; raises `UnknownCarrier`."""
    return _fits(unit, allowed_units_for_carrier(carrier, factors))


def unit_fits_gas(unit: str) -> bool:
    """Whether `unit` (any accepted spelling) is a mass unit accepted for a gas."""
    return _fits(unit, GAS_UNITS)
