"""Energy carrier codes that are not fuels (fuels are the codes of the factor set), and the
one way a carrier is named for a person.

Source: dossier.md, `energy[]` carriers.
"""

from __future__ import annotations

from .factors import english_fuel_name
from .translation import chinese, gettext, gettext_noop

GRID_ELECTRICITY = "grid_electricity"
ONSITE_RENEWABLE_ELECTRICITY = "onsite_renewable_electricity"
PURCHASED_HEAT = "purchased_heat"
PURCHASED_STEAM = "purchased_steam"

ELECTRICITY_CARRIERS = frozenset({GRID_ELECTRICITY, ONSITE_RENEWABLE_ELECTRICITY})
FIXED_CARRIERS = frozenset(
    {GRID_ELECTRICITY, ONSITE_RENEWABLE_ELECTRICITY, PURCHASED_HEAT, PURCHASED_STEAM}
)
# The fixed carriers' names in a sentence (translated when used).
CARRIER_NAMES = {
    GRID_ELECTRICITY: gettext_noop("grid electricity"),
    ONSITE_RENEWABLE_ELECTRICITY: gettext_noop("on-site renewable electricity"),
    PURCHASED_HEAT: gettext_noop("purchased heat"),
    PURCHASED_STEAM: gettext_noop("purchased steam"),
}


def carrier_name(code: str, name_zh: str = "", *, zh: bool | None = None) -> str:
    """A carrier as a sentence in the active language names it (`grid electricity`, `天然气`):
    a fixed carrier translated; a fuel by the factor set's Chinese name (`name_zh`, give it
    for a fuel) on a Chinese page (`zh`, the active language's by default) and its English name
    otherwise. A label starts it with a capital (`capfirst`); a message to API users may add
    the code: `carrier_label`."""
    if code in CARRIER_NAMES:
        return gettext(CARRIER_NAMES[code])
    if name_zh and (chinese() if zh is None else zh):
        return name_zh
    return english_fuel_name(code)


def carrier_label(code: str, name_zh: str = "") -> str:
    """The name with the code a dossier writes, for messages: `grid electricity
    (grid_electricity)`."""
    return f"{carrier_name(code, name_zh)} ({code})"
