"""Serial claims of a dossier in canonical form, and the ranges inside one dossier that overlap.

A claim is keyed on the instrument, the registry's key (`registries.RegistryDirectory.key`)
and the canonical serial prefix, with the numbers compared as integers: the same rule the
database constraint applies across the platform. Overlaps are found by one sort and one sweep
(O(n log n)), so a dossier of twenty thousand credit lines is checked in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from emissions.dossier.errors import pointer
from emissions.dossier.registries import RegistryDirectory
from emissions.identifiers import SerialRange, parse_serial_range

RANGED_SECTIONS = ("green_electricity", "credits")


@dataclass(frozen=True)
class Claim:
    section: str
    index: int
    instrument: str
    registry_key: str
    serials: SerialRange

    @property
    def path(self) -> str:
        return pointer(self.section, self.index)

    @property
    def group(self) -> tuple[str, str, str]:
        return (self.instrument, self.registry_key, self.serials.prefix)


def overlapping(claims: Iterable[Claim]) -> Iterator[tuple[Claim, Claim]]:
    """Pairs (earlier, later) of overlapping claims, `later` being the one further down the
    dossier; each claim is reported at most once, against one claim it overlaps."""
    ordered = sorted(claims, key=lambda c: (c.group, c.serials.start, c.section, c.index))
    reach: Claim | None = None  # of the claims so far in this group, the one ending last
    for claim in ordered:
        if reach is not None and reach.group == claim.group:
            if claim.serials.start <= reach.serials.end:
                first, second = sorted((reach, claim), key=lambda c: c.index)
                yield first, second
            if claim.serials.end <= reach.serials.end:
                continue
        reach = claim


def document_claims(document: Mapping[str, Any], registries: RegistryDirectory) -> list[Claim]:
    """The claims of a normalised document (every range already checked by the reader)."""
    claims = []
    for section in RANGED_SECTIONS:
        for index, entry in enumerate(document.get(section, [])):
            if "serial_from" not in entry:
                continue  # a green-power contract
            claims.append(
                Claim(
                    section,
                    index,
                    entry["instrument"],
                    registries.key(entry.get("registry", "")),
                    parse_serial_range(entry["serial_from"], entry["serial_to"]),
                )
            )
    return claims
