"""Semantic checks of energy lines: carrier, unit, steam enthalpy and monthly values."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from emissions.accounting.carriers import FIXED_CARRIERS, PURCHASED_STEAM, carrier_label
from emissions.accounting.translation import gettext as _
from emissions.accounting.units import allowed_units_for_carrier, unit_fits_carrier
from emissions.dossier.context import Context, Item
from emissions.dossier.errors import DossierError

# Enthalpy of the returned feed water (emission-factors.md: GJ = t x (h - 83.74) / 1000).
FEED_WATER_ENTHALPY_KJ_PER_KG = Decimal("83.74")
# Monthly values may differ from the annual quantity by rounding, up to 0.1 % of it.
MONTHLY_TOLERANCE = Decimal("0.001")
ENTHALPY = "enthalpy_kj_per_kg"


def check_energy(ctx: Context) -> Iterator[DossierError]:
    known = [*sorted(FIXED_CARRIERS), *sorted(ctx.factors.fuels)]
    for line in ctx.items("energy"):
        carrier = line.text("carrier")
        if carrier is not None and carrier not in known:
            message = _("unknown carrier {carrier!r}; expected one of {known}").format(
                carrier=carrier, known=", ".join(known)
            )
            yield DossierError(line.at("carrier"), message)
        elif carrier is not None:
            yield from _unit(ctx, line, carrier)
            yield from _enthalpy(ctx, line, carrier)
        yield from _monthly(line)


def _label(ctx: Context, carrier: str) -> str:
    """The carrier named for a person, with its code: `grid electricity (grid_electricity)`."""
    fuel = ctx.factors.fuels.get(carrier)
    return carrier_label(carrier, fuel.name_zh if fuel is not None else "")


def _unit(ctx: Context, line: Item, carrier: str) -> Iterator[DossierError]:
    unit = line.text("unit")
    if unit is None or unit_fits_carrier(carrier, unit, ctx.factors):
        return
    allowed = ", ".join(allowed_units_for_carrier(carrier, ctx.factors))
    message = _("unit {unit!r} does not fit carrier {carrier}; expected one of {allowed}")
    message = message.format(unit=unit, carrier=_label(ctx, carrier), allowed=allowed)
    yield DossierError(line.at("unit"), message)


def _enthalpy(ctx: Context, line: Item, carrier: str) -> Iterator[DossierError]:
    if carrier != PURCHASED_STEAM:
        if line.has(ENTHALPY):
            message = _("{field} is only for {steam}, not for {carrier}").format(
                field=ENTHALPY, steam=carrier_label(PURCHASED_STEAM), carrier=_label(ctx, carrier)
            )
            yield DossierError(line.at(ENTHALPY), message)
        return
    if not line.has(ENTHALPY):
        message = _("{steam} needs {field}, the steam's enthalpy (above {minimum} kJ/kg)").format(
            steam=_label(ctx, carrier), field=ENTHALPY, minimum=FEED_WATER_ENTHALPY_KJ_PER_KG
        )
        yield DossierError(line.at(ENTHALPY), message)
        return
    enthalpy = line.number(ENTHALPY)
    if enthalpy is not None and enthalpy <= FEED_WATER_ENTHALPY_KJ_PER_KG:
        message = _(
            "enthalpy {enthalpy} kJ/kg is not above the feed water's {minimum} kJ/kg; expected"
            " the steam's enthalpy"
        ).format(enthalpy=enthalpy, minimum=FEED_WATER_ENTHALPY_KJ_PER_KG)
        yield DossierError(line.at(ENTHALPY), message)


def _monthly(line: Item) -> Iterator[DossierError]:
    months, quantity = line.numbers("monthly"), line.number("quantity")
    if months is None or quantity is None:
        return
    total = sum(months, Decimal(0))
    # A quantity of 0 leaves no tolerance: every month must be 0.
    if abs(total - quantity) > quantity * MONTHLY_TOLERANCE:
        message = _(
            # xgettext:no-python-format (a percent sign: the message is formatted by str.format)
            "monthly values sum to {total}, quantity is {quantity}; expected the sum within"
            " 0.1 % of the quantity"
        ).format(total=total, quantity=quantity)
        yield DossierError(line.at("monthly"), message)
