"""How a share of a period (a meter's coverage) is shown.

Its own module, apart from `quality`: an evaluation shows the stored coverage of each carrier
but computes no quality, and a fresh `evaluate_dossier` process should not pay for importing
the quality rules (issue 11, start-up).
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal


def percent_down(share: Decimal) -> str:
    """A share as a percentage to 0.1, rounded down ("54.7 %"): a year covered but for a
    second never reads as 100.0 %."""
    return f"{(share * 100).quantize(Decimal('0.1'), ROUND_FLOOR)} %"
