"""Identifiers the platform checks at the edge: credit codes and instrument serial ranges.

- 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-character
  alphabet (no I, O, Z, S, V); the 18th is a check character over the first 17.
- Serial ranges of certificates and credits (`GEC2023000100001` … `GEC2023000108000`): a common
  prefix followed by a decimal number; the range holds `to - from + 1` units.
- Canonical identity (spec/dossier.md, "Reading rules"): registry names, serial prefixes and
  contract references are compared after Unicode NFKC, with every white-space and zero-width
  character removed and letters case-folded, so that cosmetic variants of one identifier
  (`"中国绿证 "`, `gec2023…`, `ＧＥＣ2023…`, a zero-width space) are the same identifier.

Plain Python, no Django: the dossier reader, forms and services share it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from emissions.accounting.translation import gettext as _
from emissions.limits import SERIAL_DIGITS

# GB 32100-2015, 4.2: the code alphabet in value order (0..30).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015, 4.3: weights of positions 1..17.
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18
_CHARSET_TEXT = "0-9 or A-H J-N P-R T U W-Y"

# Width of the zero-padded decimal keys a database compares as text: the schema's limit.
SERIAL_KEY_WIDTH = SERIAL_DIGITS

_SERIAL = re.compile(r"(?P<prefix>.*?)(?P<number>[0-9]+)", re.DOTALL)

# Default-ignorable code points that are not of category Cf (format) but render as nothing:
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian free variation
# selectors, variation selectors (Unicode 15, DerivedCoreProperties.txt).
_INVISIBLE = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0),
        *range(0x180B, 0x1810),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf" or ord(char) in _INVISIBLE


@lru_cache(maxsize=8192)
def canonical_identity(text: str) -> str:
    """The form in which identifiers are compared: NFKC, case-folded (NFKC again, since case
    folding can leave a string that is not NFKC), every white-space and zero-width character
    removed. `canonical_identity(" ＧＥＣ\u200b2023 ") == "gec2023"`."""
    if text.isascii():  # the common case: NFKC changes nothing, case folding is lower()
        return "".join(text.lower().split())
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join(char for char in folded if not _invisible(char))


def credit_code_check_character(first_17: str) -> str:
    """The GB 32100-2015 check character for 17 characters of the code alphabet."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first_17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    value = 31 - total % 31
    return CREDIT_CODE_ALPHABET[0 if value == 31 else value]


def credit_code_problem(code: str) -> str | None:
    """What is wrong with a unified social credit code, or None when it passes the check."""
    if len(code) != CREDIT_CODE_LENGTH:
        message = _("credit code must have {length} characters, got {given}")
        return message.format(length=CREDIT_CODE_LENGTH, given=len(code))
    for position, char in enumerate(code, start=1):
        if char not in CREDIT_CODE_ALPHABET:
            message = _(
                "character {char!r} at position {position} of the credit code is not allowed;"
                " expected {allowed}"
            )
            return message.format(char=char, position=position, allowed=_CHARSET_TEXT)
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        message = _("credit code check digit expected {expected!r}, got {given!r}")
        return message.format(expected=expected, given=code[17])
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


class SerialRangeError(ValueError):
    """A serial range that is not a common prefix followed by an ascending decimal number."""


@dataclass(frozen=True)
class SerialRange:
    """Serials `prefix + start` … `prefix + end`, both ends included."""

    prefix: str
    start: int
    end: int

    @property
    def size(self) -> int:
        return self.end - self.start + 1

    def overlaps(self, other: SerialRange) -> bool:
        """True when both ranges share the prefix and at least one serial number."""
        return self.prefix == other.prefix and self.start <= other.end and other.start <= self.end

    def normalised_key(self) -> tuple[str, str]:
        """`start` and `end` as zero-padded decimal strings of SERIAL_KEY_WIDTH characters, so
        that text comparison agrees with numeric comparison (for the same prefix)."""
        return _padded(self.start), _padded(self.end)


def _padded(number: int) -> str:
    text = str(number)
    if len(text) > SERIAL_KEY_WIDTH:
        message = _("serial number {number} has {digits} digits; at most {limit} are supported")
        raise SerialRangeError(
            message.format(number=text, digits=len(text), limit=SERIAL_KEY_WIDTH)
        )
    return text.zfill(SERIAL_KEY_WIDTH)


def split_serial(serial: str) -> tuple[str, int]:
    """Split a serial into its canonical prefix (`canonical_identity`, not ending in a digit)
    and its trailing decimal number: `" gec 2023000100001"` gives `("gec", 2023000100001)`."""
    match = _SERIAL.fullmatch(canonical_identity(serial))
    if match is None:
        message = _("serial {serial!r} does not end in a decimal number")
        raise SerialRangeError(message.format(serial=serial))
    digits = match["number"].lstrip("0") or "0"
    if len(digits) > SERIAL_KEY_WIDTH:
        message = _(
            "serial {serial!r}… ends in a number of {digits} digits; at most {limit} are supported"
        )
        raise SerialRangeError(
            message.format(serial=serial[:20], digits=len(digits), limit=SERIAL_KEY_WIDTH)
        )
    return match["prefix"], int(digits)


def parse_serial_range(serial_from: str, serial_to: str) -> SerialRange:
    """The range `serial_from` … `serial_to`; raises SerialRangeError when malformed."""
    prefix_from, start = split_serial(serial_from)
    prefix_to, end = split_serial(serial_to)
    if prefix_from != prefix_to:
        message = _(
            "serials {first!r} and {last!r} have different prefixes ({first_prefix!r} and"
            " {last_prefix!r}); expected a common prefix"
        )
        raise SerialRangeError(
            message.format(
                first=serial_from,
                last=serial_to,
                first_prefix=prefix_from,
                last_prefix=prefix_to,
            )
        )
    if start > end:
        message = _(
            "serial_from {first!r} is after serial_to {last!r}; expected serial_from ≤ serial_to"
        )
        raise SerialRangeError(message.format(first=serial_from, last=serial_to))
    return SerialRange(prefix=prefix_from, start=start, end=end)
