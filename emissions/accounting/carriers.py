"""Energy carrier codes that are not fuels (fuels are the codes of the factor set).

Source: dossier.md, `energy[]` carriers.
"""

from __future__ import annotations

GRID_ELECTRICITY = "grid_electricity"
ONSITE_RENEWABLE_ELECTRICITY = "onsite_renewable_electricity"
PURCHASED_HEAT = "purchased_heat"
PURCHASED_STEAM = "purchased_steam"

ELECTRICITY_CARRIERS = frozenset({GRID_ELECTRICITY, ONSITE_RENEWABLE_ELECTRICITY})
FIXED_CARRIERS = frozenset(
    {GRID_ELECTRICITY, ONSITE_RENEWABLE_ELECTRICITY, PURCHASED_HEAT, PURCHASED_STEAM}
)
