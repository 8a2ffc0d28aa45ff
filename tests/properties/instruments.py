"""Green-electricity instruments and carbon credits whose serial ranges match their
quantities (1 certificate = 1 MWh, 1 credit = 1 tCO2e) and never overlap in canonical form,
and green-power contracts whose references never repeat."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from hypothesis import strategies as st

from emissions.identifiers import canonical_identity, split_serial
from emissions.limits import (
    DECIMAL_INTEGER_DIGITS,
    SERIAL_DIGITS,
    SERIAL_MAX_LENGTH,
    TEXT_MAX_LENGTH,
)
from tests.properties.values import (
    CHARACTERS,
    Document,
    Draw,
    maybe,
    quantities,
    texts,
    whole_number_forms,
    year_forms,
)

REGISTRIES = (
    "中国绿证",
    "中国绿证 ",
    "全国温室气体自愿减排注册登记系统",
    "I-REC Standard",
    "Verra",
    "",
)


def _prefix_ok(prefix: str) -> bool:
    """A prefix whose canonical form does not end in a digit (which would join the number)."""
    return re.search(r"[0-9]$", canonical_identity(prefix)) is None


def _fits_canonical(limit: int) -> Callable[[str], bool]:
    """Claims store canonical forms, which NFKC and case folding can lengthen (ß is ss)."""
    return lambda text: len(canonical_identity(text)) <= limit


PREFIXES = (
    st.one_of(
        st.sampled_from(["GEC", "CCER-0001-2023-", "ＧＥＣ", "gec\u200b", "", "VCS-", "中国-"]),
        st.text(CHARACTERS, max_size=20),
    )
    .map(lambda prefix: prefix if _prefix_ok(prefix) else prefix + "-")
    .filter(_fits_canonical(SERIAL_MAX_LENGTH))
)
CLAIMED_REGISTRIES = st.one_of(st.sampled_from(REGISTRIES), texts(0)).filter(
    _fits_canonical(TEXT_MAX_LENGTH)
)


@st.composite
def serial_plans(draw: Draw) -> tuple[str, int, int, int]:
    """(prefix, gap after the previous range of that prefix, size, extra zero padding)."""
    prefix = draw(PREFIXES)
    gap = draw(st.one_of(st.integers(0, 10**6), st.integers(0, 10 ** (SERIAL_DIGITS - 1))))
    size = draw(st.one_of(st.integers(1, 10**4), st.integers(1, 10**DECIMAL_INTEGER_DIGITS - 1)))
    return prefix, gap, size, draw(st.integers(0, 8))


class SerialAllocator:
    """Hands out ranges prefix by prefix (in canonical form), each after the last one."""

    def __init__(self) -> None:
        self.next_free: dict[str, int] = {}

    def reserve(self, serial_to: str) -> None:
        prefix, end = split_serial(serial_to)
        self.next_free[prefix] = max(self.next_free.get(prefix, 0), end + 1)

    def serials(self, plan: tuple[str, int, int, int]) -> tuple[str, str, int] | None:
        prefix, gap, size, padding = plan
        key = canonical_identity(prefix)
        start = self.next_free.get(key, 0) + gap
        end = start + size - 1
        width = len(str(end)) + padding
        if len(str(end)) > SERIAL_DIGITS or len(prefix) + width > SERIAL_MAX_LENGTH:
            return None
        self.next_free[key] = end + 1
        return prefix + str(start).zfill(width), prefix + str(end).zfill(width), size


def _ranged(draw: Draw, line: Document, allocator: SerialAllocator, quantity_key: str) -> bool:
    serials = allocator.serials(draw(serial_plans()))
    if serials is None:
        return False
    line["serial_from"], line["serial_to"], size = serials
    line[quantity_key] = draw(whole_number_forms(size))
    return True


def _instrument_extras(draw: Draw, line: Document) -> None:
    maybe(line, "registry", CLAIMED_REGISTRIES, draw)
    maybe(line, "vintage", st.integers(1950, 2100).flatmap(year_forms), draw)
    maybe(line, "evidence_ref", texts(0), draw)


def green_lines(draw: Draw, allocator: SerialAllocator, count: int) -> list[Document]:
    lines: list[Document] = []
    for index in range(count):
        line: Document = {"instrument": draw(st.sampled_from(["GEC", "GREEN_POWER", "I-REC"]))}
        if line["instrument"] == "GREEN_POWER":
            # A "#index" suffix keeps contract references distinct in canonical form.
            line["contract_ref"] = draw(texts(1, TEXT_MAX_LENGTH - 6)) + f"#{index}"
            line["quantity_mwh"] = draw(quantities())
        elif not _ranged(draw, line, allocator, "quantity_mwh"):
            continue
        _instrument_extras(draw, line)
        lines.append(line)
    return lines


CREDIT_TYPES = ("CCER", "CER", "VCU", "GS-VER", "CN-FOREST")


def credit_lines(draw: Draw, allocator: SerialAllocator, count: int) -> list[Document]:
    lines: list[Document] = []
    for _ in range(count):
        line: Document = {
            "instrument": draw(st.sampled_from(CREDIT_TYPES)),
            "kind": draw(st.sampled_from(["avoidance", "removal"])),
        }
        if not _ranged(draw, line, allocator, "quantity_tco2e"):
            continue
        _instrument_extras(draw, line)
        maybe(line, "retired_on", st.dates().map(date.isoformat), draw)
        maybe(line, "beneficiary", texts(0), draw)
        maybe(line, "project", texts(0), draw)
        lines.append(line)
    return lines
