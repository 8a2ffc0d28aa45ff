"""Semantic checks of gases (process emissions, refrigerants) and scope 3 entries."""

from __future__ import annotations

from collections.abc import Iterator

from emissions.accounting.errors import UnknownGas, UnknownGwpSet
from emissions.accounting.factors import FactorSet
from emissions.accounting.gases import gwp_values, resolve_gas
from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop
from emissions.accounting.units import allowed_units_for_gas, unit_fits_gas
from emissions.dossier.context import Context, Item
from emissions.dossier.errors import DossierError, pointer

GAS_SECTIONS = ("process_emissions", "refrigerants")
SCOPE3_COMPUTED = ("quantity", "unit", "factor_tco2e_per_unit", "factor_source")
COMPUTED_TEXT = gettext_noop("quantity, unit, factor_tco2e_per_unit and factor_source")


def _gas_problem(gas: str, factors: FactorSet, gwp_set: str) -> str | None:
    try:
        canonical = resolve_gas(gas, factors)
    except UnknownGas as error:
        return str(error)
    parts = factors.blends.get(canonical, {canonical: None})
    missing = [part for part in parts if part not in factors.gwp[gwp_set]]
    if missing:
        message = _("gas {gas!r} has no GWP in set {gwp_set} (missing {missing})")
        return message.format(gas=gas, gwp_set=gwp_set, missing=", ".join(missing))
    return None


def _gwp_set(ctx: Context) -> tuple[str | None, list[DossierError]]:
    """The dossier's GWP set if the factor set has it (None when unknown or unsound)."""
    gwp_set = ctx.gwp_set
    if gwp_set is None:
        return None, []
    try:
        gwp_values(ctx.factors, gwp_set)
    except UnknownGwpSet as error:
        return None, [DossierError(pointer("gwp_set"), str(error))]
    return gwp_set, []


def check_gases(ctx: Context) -> Iterator[DossierError]:
    gwp_set, errors = _gwp_set(ctx)
    yield from errors
    for section in GAS_SECTIONS:
        for line in ctx.items(section):
            gas = line.text("gas")
            problem = None
            if gwp_set is not None and gas is not None:
                problem = _gas_problem(gas, ctx.factors, gwp_set)
            if problem is not None:
                yield DossierError(line.at("gas"), problem)
            yield from _gas_unit(line)


def _gas_unit(line: Item) -> Iterator[DossierError]:
    unit = line.text("unit")
    if unit is not None and not unit_fits_gas(unit):
        allowed = ", ".join(allowed_units_for_gas())
        message = _("unit {unit!r} is not a unit of mass for a gas; expected one of {allowed}")
        message = message.format(unit=unit, allowed=allowed)
        yield DossierError(line.at("unit"), message)


def check_scope3(ctx: Context) -> Iterator[DossierError]:
    for entry in ctx.items("scope3"):
        given = [key for key in SCOPE3_COMPUTED if entry.has(key)]
        if entry.has("tco2e"):
            if given:
                message = _(
                    "both tco2e and {given} given; expected either tco2e or {computed}"
                ).format(given=", ".join(given), computed=_(COMPUTED_TEXT))
                yield DossierError(entry.path, message)
        elif not given:
            message = _("expected tco2e, or all of {computed}").format(computed=_(COMPUTED_TEXT))
            yield DossierError(entry.path, message)
        else:
            yield from _scope3_missing(entry, given)


def _scope3_missing(entry: Item, given: list[str]) -> Iterator[DossierError]:
    for key in SCOPE3_COMPUTED:
        if key not in given:
            message = _("missing {key}: an entry without tco2e needs {computed}").format(
                key=key, computed=_(COMPUTED_TEXT)
            )
            yield DossierError(entry.at(key), message)
