"""Greenhouse gases, refrigerant names and blends: from what a user writes to a GWP-100.

Refrigerants go by several names (R-32 is HFC-32) and blends have no GWP of their own: the
GWP of a blend is the mass-fraction-weighted sum of its components' GWPs, taken from the one
GWP set chosen for the inventory (emission-factors.md section 4: "never mixed").
Names are matched exactly first, then ignoring case, spaces, hyphens and underscores, so
`r410a` finds `R-410A`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .errors import UnknownGas, UnknownGwpSet
from .factors import FactorSet
from .translation import gettext as _


@dataclass(frozen=True)
class BlendPart:
    gas: str
    mass_fraction: Decimal
    gwp: Decimal


@dataclass(frozen=True)
class GasGwp:
    """The GWP-100 of a gas or blend in one set, with the parts a blend was computed from."""

    gas: str  # canonical gas or blend name
    gwp_set: str
    gwp: Decimal
    parts: tuple[BlendPart, ...] = ()


def _loose(name: str) -> str:
    return "".join(c for c in name.casefold() if c not in " -_")


def _names(factors: FactorSet) -> dict[str, str]:
    gases = {gas for values in factors.gwp.values() for gas in values}
    return (
        {gas: gas for gas in gases}
        | dict(factors.gas_aliases)
        | {blend: blend for blend in factors.blends}
    )


def resolve_gas(name: str, factors: FactorSet) -> str:
    """The canonical gas or blend name (`R-32` -> `HFC-32`); raises `UnknownGas`."""
    names = _names(factors)
    if name in names:
        return names[name]
    loose = {_loose(known): canonical for known, canonical in names.items()}
    canonical = loose.get(_loose(name))
    if canonical is None:
        message = _("unknown gas {gas!r}; known gases and blends: {known}")
        raise UnknownGas(message.format(gas=name, known=", ".join(sorted(names))))
    return canonical


def gwp_values(factors: FactorSet, gwp_set: str) -> dict[str, Decimal]:
    """The GWP-100 table of `gwp_set`; raises `UnknownGwpSet`."""
    values = factors.gwp.get(gwp_set)
    if values is None:
        known = ", ".join(sorted(factors.gwp))
        message = _("unknown GWP set {gwp_set!r}; the factor set has {known}")
        raise UnknownGwpSet(message.format(gwp_set=gwp_set, known=known))
    return dict(values)


def gwp_of(name: str, factors: FactorSet, gwp_set: str) -> GasGwp:
    """GWP-100 of a gas or blend (blends from mass fractions) in one GWP set."""
    values = gwp_values(factors, gwp_set)
    gas = resolve_gas(name, factors)
    blend = factors.blends.get(gas)
    if blend is None:
        return GasGwp(gas=gas, gwp_set=gwp_set, gwp=values[gas])
    parts = tuple(BlendPart(part, fraction, values[part]) for part, fraction in blend.items())
    total = sum((part.mass_fraction * part.gwp for part in parts), Decimal(0))
    return GasGwp(gas=gas, gwp_set=gwp_set, gwp=total, parts=parts)
