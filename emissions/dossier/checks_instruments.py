"""Semantic checks of green-electricity instruments and carbon credits.

Only what makes a dossier unreadable is checked here: which identifiers an instrument carries,
the form and size of serial ranges, overlaps and repeated contracts inside the dossier, dates.
Whether an instrument counts (retired, vintage, beneficiary, evidence) is the accounting
kernel's decision, reported as an instrument issue, never as a dossier error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from emissions.dossier.claims import Claim, overlapping
from emissions.dossier.context import Context, Item
from emissions.dossier.errors import DossierError
from emissions.dossier.registries import RegistryDirectory
from emissions.identifiers import (
    SerialRange,
    SerialRangeError,
    canonical_identity,
    parse_serial_range,
    split_serial,
)
from emissions.limits import SERIAL_MAX_LENGTH, TEXT_MAX_LENGTH

GREEN_POWER = "GREEN_POWER"
SERIALS = ("serial_from", "serial_to")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# section -> (quantity key, what one serial is worth)
_UNIT_OF_SERIAL = {
    "green_electricity": ("quantity_mwh", "1 certificate = 1 MWh"),
    "credits": ("quantity_tco2e", "1 credit = 1 tCO2e"),
}


def check_instruments(ctx: Context) -> Iterator[DossierError]:
    claims: list[Claim] = []
    contracts: dict[tuple[str, str], str] = {}
    for line in ctx.items("green_electricity"):
        if line.text("instrument") == GREEN_POWER:
            yield from _contract(line, ctx.registries, contracts)
        elif line.text("instrument") is not None:
            yield from _no_contract(line)
    for section in _UNIT_OF_SERIAL:
        for line in ctx.items(section):
            yield from _serial_range(section, line, ctx.registries, claims)
    yield from _overlaps(claims)
    for line in ctx.items("credits"):
        yield from _retired_on(line)


def _contract(
    line: Item, registries: RegistryDirectory, contracts: dict[tuple[str, str], str]
) -> Iterator[DossierError]:
    for key in SERIALS:
        if line.has(key):
            message = f"{key} is not used for {GREEN_POWER}; expected contract_ref instead"
            yield DossierError(line.at(key), message)
    if not line.has("contract_ref"):
        message = f"{GREEN_POWER} needs contract_ref, the green-power trading contract"
        yield DossierError(line.at("contract_ref"), message)
    reference, registry = line.text("contract_ref"), line.text("registry") or ""
    if reference is None:
        return
    identity = (registries.key(registry), canonical_identity(reference))
    earlier = contracts.setdefault(identity, line.path)
    if earlier != line.path:
        message = (
            f"contract_ref {reference!r} repeats {earlier} in registry {registry!r}"
            " (compared in canonical form: case, width and white space do not count)"
        )
        yield DossierError(line.at("contract_ref"), message)


def _no_contract(line: Item) -> Iterator[DossierError]:
    instrument = line.text("instrument")
    if line.has("contract_ref"):
        message = (
            f"contract_ref is only for {GREEN_POWER}; {instrument} needs serial_from/serial_to"
        )
        yield DossierError(line.at("contract_ref"), message)
    for key in SERIALS:
        if not line.has(key):
            message = f"{instrument} needs serial_from and serial_to; {key} is missing"
            yield DossierError(line.at(key), message)


def _parsed_range(line: Item) -> tuple[SerialRange | None, list[DossierError]]:
    first, last = line.text("serial_from"), line.text("serial_to")
    if first is None or last is None:
        return None, []
    errors = []
    for key, serial in (("serial_from", first), ("serial_to", last)):
        try:
            split_serial(serial)
        except SerialRangeError as error:
            errors.append(DossierError(line.at(key), f"{error}; expected a prefix and a number"))
    if errors:
        return None, errors
    try:
        return parse_serial_range(first, last), []
    except SerialRangeError as error:
        return None, [DossierError(line.at("serial_to"), str(error))]


def _serial_range(
    section: str, line: Item, registries: RegistryDirectory, claims: list[Claim]
) -> Iterator[DossierError]:
    serials, errors = _parsed_range(line)
    yield from errors
    if serials is None:
        return
    yield from _range_size(section, line, serials)
    instrument, registry = line.text("instrument") or "", line.text("registry") or ""
    key = registries.key(registry)
    problems = list(_canonical_lengths(line, key, serials))
    yield from problems
    if not problems:
        claims.append(Claim(section, line.index, instrument, key, serials))


def _canonical_lengths(line: Item, key: str, serials: SerialRange) -> Iterator[DossierError]:
    """Claims are stored in canonical form, which NFKC and case folding can make longer than
    the text given (ß is ss, U+FDFA is 18 letters): it must fit the claim's columns too."""
    for field, text, limit in (
        ("registry", key, TEXT_MAX_LENGTH),
        ("serial_from", serials.prefix, SERIAL_MAX_LENGTH),
    ):
        if len(text) > limit:
            message = (
                f"{len(text)} characters long in canonical form (NFKC, case-folded, without"
                f" white space); at most {limit} are stored"
            )
            yield DossierError(line.at(field), message)


def _overlaps(claims: list[Claim]) -> Iterator[DossierError]:
    for earlier, later in overlapping(claims):
        message = (
            f"serial range overlaps {earlier.path} (same instrument {later.instrument},"
            f" registry {later.registry_key!r} and prefix {later.serials.prefix!r} in"
            " canonical form: case, width and white space do not count); a certificate or"
            " credit counts once"
        )
        yield DossierError(later.path + "/serial_from", message)


def _range_size(section: str, line: Item, serials: SerialRange) -> Iterator[DossierError]:
    key, worth = _UNIT_OF_SERIAL[section]
    quantity = line.number(key)
    if quantity is None:
        return
    if quantity != quantity.to_integral_value():
        message = f"{key} {quantity} is not a whole number; serials count whole units ({worth})"
        yield DossierError(line.at(key), message)
    elif quantity != serials.size:
        message = (
            f"{key} is {quantity} but the serial range holds {serials.size}"
            f" ({worth}); expected {serials.size}"
        )
        yield DossierError(line.at(key), message)


def _retired_on(line: Item) -> Iterator[DossierError]:
    text = line.text("retired_on")
    if text is None:
        return
    try:
        valid = _ISO_DATE.fullmatch(text) is not None and bool(date.fromisoformat(text))
    except ValueError:
        valid = False
    if not valid:
        message = f"retired_on {text!r} is not a valid date; expected an ISO date YYYY-MM-DD"
        yield DossierError(line.at("retired_on"), message)
