"""Validity of green-electricity instruments and carbon credits (rubric.md section 1).

An invalid instrument counts for nothing and is reported, one `InstrumentIssue` per reason, so
a consultant sees everything to fix at once. Serial-range form and size, overlaps inside one
dossier and claims across the platform are checked by the dossier reader and the import
service, not here (the kernel sees one inventory).

Beneficiary names are compared after removing *all* whitespace (not only at the ends: Chinese
legal names contain no spaces, and registries and typists insert them around brackets) and
treating full-width and half-width brackets as equal; letter case is significant, as the spec
allows no other equivalence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .inputs import CarbonCredit, FactoryIdentity, GreenInstrument
from .results import InstrumentIssue

GREEN_INSTRUMENTS = ("GEC", "GREEN_POWER", "I-REC")
GREEN_POWER = "GREEN_POWER"
I_REC = "I-REC"
# rubric.md section 1 [std]: GEC is the only instrument for Chinese generation from 2025.
I_REC_LAST_VINTAGE = 2024
CREDIT_INSTRUMENTS = ("CCER", "CER", "VCU", "GS-VER", "CN-FOREST")
CREDIT_KINDS = ("avoidance", "removal")
REMOVAL = "removal"

_BRACKETS = str.maketrans({"\uff08": "(", "\uff09": ")"})


@dataclass(frozen=True)
class InstrumentCheck:
    """The valid instruments of an inventory and the issues of the invalid ones."""

    green: tuple[GreenInstrument, ...]
    credits: tuple[CarbonCredit, ...]
    issues: tuple[InstrumentIssue, ...]


def normalise_name(text: str) -> str:
    """A name as compared with a beneficiary: no whitespace, half-width brackets."""
    return "".join(text.split()).translate(_BRACKETS)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _basics(registry: str, quantity: Decimal, vintage: int | None) -> list[str]:
    reasons = []
    if _blank(registry):
        reasons.append("no registry named")
    if quantity <= 0:
        reasons.append(f"quantity must be positive, got {quantity}")
    if vintage is None:
        reasons.append("no vintage year")
    return reasons


def _serials(serial_from: str | None, serial_to: str | None) -> list[str]:
    if _blank(serial_from) or _blank(serial_to):
        return ["no serial range (serial_from and serial_to)"]
    return []


def _kind_of_green(item: GreenInstrument) -> list[str]:
    if item.instrument not in GREEN_INSTRUMENTS:
        known = ", ".join(GREEN_INSTRUMENTS)
        return [f"{item.instrument!r} is not a green-electricity instrument ({known})"]
    if item.instrument == GREEN_POWER:
        return ["a green-power contract needs a contract_ref"] if _blank(item.contract_ref) else []
    return _serials(item.serial_from, item.serial_to)


def _vintage_of_green(item: GreenInstrument, year: int) -> list[str]:
    reasons = []
    if item.vintage is not None and item.vintage != year:
        reasons.append(f"vintage {item.vintage} differs from the period year {year}")
    if item.instrument == I_REC and item.vintage is not None and item.vintage > I_REC_LAST_VINTAGE:
        reasons.append(
            f"I-REC is not accepted for vintages after {I_REC_LAST_VINTAGE} "
            "(GEC is the only instrument for Chinese generation from 2025)"
        )
    return reasons


def green_reasons(item: GreenInstrument, year: int) -> list[str]:
    """Why a green-electricity instrument is invalid for the period `year` (empty: valid)."""
    return (
        _basics(item.registry, item.quantity_mwh, item.vintage)
        + _kind_of_green(item)
        + _vintage_of_green(item, year)
    )


def _kind_of_credit(credit: CarbonCredit) -> list[str]:
    reasons = []
    if credit.instrument not in CREDIT_INSTRUMENTS:
        known = ", ".join(CREDIT_INSTRUMENTS)
        reasons.append(f"{credit.instrument!r} is not a carbon-credit type ({known})")
    if credit.kind not in CREDIT_KINDS:
        reasons.append(f"kind {credit.kind!r} is neither avoidance nor removal")
    return reasons


def _retirement(retired_on: date | None, as_of: date) -> list[str]:
    if retired_on is None:
        return ["not retired: no retirement date"]
    if retired_on > as_of:
        return [
            f"not retired by the evaluation date {as_of.isoformat()} "
            f"(retirement date {retired_on.isoformat()})"
        ]
    return []


def _beneficiary(beneficiary: str | None, factory: FactoryIdentity) -> list[str]:
    if beneficiary is None or _blank(beneficiary):
        return ["no beneficiary named; it must be the factory's name, English name or credit code"]
    names = {normalise_name(n) for n in (factory.name, factory.name_en, factory.credit_code) if n}
    if normalise_name(beneficiary) in names:
        return []
    return [f"beneficiary {beneficiary!r} is not the factory's name, English name or credit code"]


def credit_reasons(credit: CarbonCredit, factory: FactoryIdentity, as_of: date) -> list[str]:
    """Why a carbon credit is invalid for this factory as of `as_of` (empty: valid)."""
    return (
        _basics(credit.registry, credit.quantity_tco2e, credit.vintage)
        + _serials(credit.serial_from, credit.serial_to)
        + _kind_of_credit(credit)
        + _retirement(credit.retired_on, as_of)
        + _beneficiary(credit.beneficiary, factory)
    )


def _issues(path: str, reasons: Iterable[str]) -> list[InstrumentIssue]:
    return [InstrumentIssue(path=path, message=reason) for reason in reasons]


def check_instruments(
    green: Iterable[GreenInstrument],
    credits: Iterable[CarbonCredit],
    factory: FactoryIdentity,
    year: int,
    as_of: date,
) -> InstrumentCheck:
    """Split an inventory's instruments into the valid ones and the issues of the others."""
    valid_green, valid_credits, issues = [], [], []
    for i, item in enumerate(green):
        reasons = green_reasons(item, year)
        issues += _issues(item.path or f"/green_electricity/{i}", reasons)
        if not reasons:
            valid_green.append(item)
    for i, credit in enumerate(credits):
        reasons = credit_reasons(credit, factory, as_of)
        issues += _issues(credit.path or f"/credits/{i}", reasons)
        if not reasons:
            valid_credits.append(credit)
    return InstrumentCheck(tuple(valid_green), tuple(valid_credits), tuple(issues))
