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

from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop
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
    "green_electricity": ("quantity_mwh", gettext_noop("1 certificate = 1 MWh")),
    "credits": ("quantity_tco2e", gettext_noop("1 credit = 1 tCO2e")),
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
            message = _("{key} is not used for {instrument}; expected contract_ref instead")
            message = message.format(key=key, instrument=GREEN_POWER)
            yield DossierError(line.at(key), message)
    if not line.has("contract_ref"):
        message = _("{instrument} needs contract_ref, the green-power trading contract")
        message = message.format(instrument=GREEN_POWER)
        yield DossierError(line.at("contract_ref"), message)
    reference, registry = line.text("contract_ref"), line.text("registry") or ""
    if reference is None:
        return
    identity = (registries.key(registry), canonical_identity(reference))
    earlier = contracts.setdefault(identity, line.path)
    if earlier != line.path:
        message = _(
            "contract_ref {reference!r} repeats {earlier} in registry {registry!r} (compared in"
            " canonical form: case, width and white space do not count)"
        ).format(reference=reference, earlier=earlier, registry=registry)
        yield DossierError(line.at("contract_ref"), message)


def _no_contract(line: Item) -> Iterator[DossierError]:
    instrument = line.text("instrument")
    if line.has("contract_ref"):
        message = _(
            "contract_ref is only for {green_power}; {instrument} needs serial_from/serial_to"
        ).format(green_power=GREEN_POWER, instrument=instrument)
        yield DossierError(line.at("contract_ref"), message)
    for key in SERIALS:
        if not line.has(key):
            message = _("{instrument} needs serial_from and serial_to; {key} is missing")
            message = message.format(instrument=instrument, key=key)
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
            message = _("{problem}; expected a prefix and a number").format(problem=error)
            errors.append(DossierError(line.at(key), message))
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
            message = _(
                "{length} characters long in canonical form (NFKC, case-folded, without white"
                " space); at most {limit} are stored"
            ).format(length=len(text), limit=limit)
            yield DossierError(line.at(field), message)


def _overlaps(claims: list[Claim]) -> Iterator[DossierError]:
    for earlier, later in overlapping(claims):
        message = _(
            "serial range overlaps {earlier} (same instrument {instrument}, registry"
            " {registry!r} and prefix {prefix!r} in canonical form: case, width and white"
            " space do not count); a certificate or credit counts once"
        ).format(
            earlier=earlier.path,
            instrument=later.instrument,
            registry=later.registry_key,
            prefix=later.serials.prefix,
        )
        yield DossierError(later.path + "/serial_from", message)


def _range_size(section: str, line: Item, serials: SerialRange) -> Iterator[DossierError]:
    key, worth = _UNIT_OF_SERIAL[section]
    quantity = line.number(key)
    if quantity is None:
        return
    if quantity != quantity.to_integral_value():
        message = _("{key} {quantity} is not a whole number; serials count whole units ({worth})")
        message = message.format(key=key, quantity=quantity, worth=_(worth))
        yield DossierError(line.at(key), message)
    elif quantity != serials.size:
        message = _(
            "{key} is {quantity} but the serial range holds {size} ({worth}); expected {size}"
        ).format(key=key, quantity=quantity, size=serials.size, worth=_(worth))
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
        message = _("retired_on {date!r} is not a valid date; expected an ISO date YYYY-MM-DD")
        message = message.format(date=text)
        yield DossierError(line.at("retired_on"), message)
