"""Credit codes (GB 32100-2015) and instrument serial ranges."""

from __future__ import annotations

import pytest

from emissions.identifiers import (
    CREDIT_CODE_ALPHABET,
    SerialRange,
    SerialRangeError,
    canonical_identity,
    credit_code_check_character,
    credit_code_problem,
    is_valid_credit_code,
    parse_serial_range,
    split_serial,
)

VALID_CODES = ["91320594MA1EXAMPL2", "91320214MA1WXJM00Y", "91350100M000100Y43"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_a_credit_code_with_the_right_check_character_passes(code: str) -> None:
    assert credit_code_problem(code) is None
    assert is_valid_credit_code(code)


def test_the_alphabet_has_31_characters_and_none_of_i_o_z_s_v() -> None:
    assert len(CREDIT_CODE_ALPHABET) == 31
    assert not set("IOZSV") & set(CREDIT_CODE_ALPHABET)


def test_a_check_value_of_31_is_written_as_0() -> None:
    # 17 zeros weigh 0: 31 - (0 mod 31) = 31 -> 0.
    assert credit_code_check_character("0" * 17) == "0"


INVALID_CODES = {
    "a wrong check digit": ("91320594MA1EXAMPL3", "check digit expected '2', got '3'"),
    "a lower-case letter": ("91320594ma1EXAMPL2", "character 'm' at position 9"),
    "the letter O": ("91320594MA1EXAMPO2", "character 'O' at position 17 of the credit code"),
    "the letter S in the check position": ("91320594MA1EXAMPLS", "character 'S' at position 18"),
    "too short": ("9132059", "must have 18 characters, got 7"),
    "too long": ("91320594MA1EXAMPL22", "got 19"),
    "empty": ("", "got 0"),
}


@pytest.mark.parametrize(("code", "fragment"), INVALID_CODES.values(), ids=list(INVALID_CODES))
def test_a_wrong_credit_code_says_what_is_wrong(code: str, fragment: str) -> None:
    problem = credit_code_problem(code)
    assert problem is not None
    assert fragment in problem
    assert not is_valid_credit_code(code)


RANGES = {
    "a green certificate range": (
        "GEC2023000100001",
        "GEC2023000108000",
        SerialRange("gec", 2023000100001, 2023000108000),
    ),
    "a CCER range whose prefix ends in a hyphen": (
        "CCER-0001-2023-000001",
        "CCER-0001-2023-001468",
        SerialRange("ccer-0001-2023-", 1, 1468),
    ),
    "numbers of different widths": ("A-9", "A-10", SerialRange("a-", 9, 10)),
    "serials that are only digits": ("0001", "0001", SerialRange("", 1, 1)),
    "numbers beyond 64 bits": (
        "X" + "9" * 30,
        "X" + "9" * 30,
        SerialRange("x", int("9" * 30), int("9" * 30)),
    ),
}


@pytest.mark.parametrize(("first", "last", "expected"), RANGES.values(), ids=list(RANGES))
def test_a_serial_range_is_a_common_prefix_and_a_decimal_number(
    first: str, last: str, expected: SerialRange
) -> None:
    assert parse_serial_range(first, last) == expected


def test_a_range_holds_to_minus_from_plus_one_units() -> None:
    assert parse_serial_range("GEC2023000100001", "GEC2023000108000").size == 8000


BAD_RANGES = {
    "a serial without a number": (
        "GEC-A",
        "GEC-9",
        "serial 'GEC-A' does not end in a decimal number",
    ),
    "an empty serial": ("", "1", "serial '' does not end"),
    "different prefixes": ("A1", "B2", "have different prefixes ('a' and 'b')"),
    "a prefix that differs only in its digits": ("A1-5", "A2-6", "different prefixes"),
    "a backwards range": ("A10", "A9", "serial_from 'A10' is after serial_to 'A9'"),
    "a number too long to convert": ("A" + "1" * 5000, "A1", "ends in a number of 5000 digits"),
    "a number of 41 digits": ("A" + "1" * 41, "A1", "of 41 digits; at most 40 are supported"),
}


@pytest.mark.parametrize(("first", "last", "fragment"), BAD_RANGES.values(), ids=list(BAD_RANGES))
def test_a_malformed_serial_range_is_a_named_error(first: str, last: str, fragment: str) -> None:
    with pytest.raises(SerialRangeError) as caught:
        parse_serial_range(first, last)
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)


OVERLAPS = {
    "the same range": (("A", 1, 10), ("A", 1, 10), True),
    "sharing the last serial": (("A", 1, 10), ("A", 10, 20), True),
    "one inside the other": (("A", 1, 10), ("A", 3, 4), True),
    "adjacent": (("A", 1, 10), ("A", 11, 20), False),
    "before": (("A", 11, 20), ("A", 1, 10), False),
    "another prefix": (("A", 1, 10), ("B", 1, 10), False),
}


@pytest.mark.parametrize(("one", "other", "expected"), OVERLAPS.values(), ids=list(OVERLAPS))
def test_ranges_overlap_when_they_share_the_prefix_and_a_number(
    one: tuple[str, int, int], other: tuple[str, int, int], expected: bool
) -> None:
    assert SerialRange(*one).overlaps(SerialRange(*other)) is expected
    assert SerialRange(*other).overlaps(SerialRange(*one)) is expected


def test_the_normalised_key_is_forty_digits_that_compare_as_the_numbers_do() -> None:
    small, large = SerialRange("A", 9, 10).normalised_key()
    assert (small, large) == ("0" * 39 + "9", "0" * 38 + "10")
    assert small < large
    assert len(SerialRange("A", 10**39, 10**40 - 1).normalised_key()[1]) == 40


def test_a_number_of_more_than_forty_digits_has_no_normalised_key() -> None:
    with pytest.raises(SerialRangeError, match="has 41 digits; at most 40"):
        SerialRange("A", 1, 10**40).normalised_key()


def test_leading_zeros_do_not_count_towards_the_forty_digits() -> None:
    assert split_serial("A" + "0" * 45 + "7") == ("a", 7)
    assert SerialRange("A", 7, 7).normalised_key() == ("0" * 39 + "7",) * 2


CANONICAL = {
    "a trailing space": ("中国绿证 ", "中国绿证"),
    "an ideographic space": ("中国\u3000绿证", "中国绿证"),
    "a zero-width space": ("\u200b中国绿证", "中国绿证"),
    "a byte-order mark and a word joiner": ("\ufeff中国\u2060绿证", "中国绿证"),
    "a soft hyphen": ("GEC\u00ad2023", "gec2023"),
    "lower case": ("gec2023", "gec2023"),
    "full-width letters and digits": ("ＧＥＣ２０２３", "gec2023"),
    "tabs and line breaks": ("\tGEC\n2023\r", "gec2023"),
    "a non-breaking space": ("GEC\u00a02023", "gec2023"),
    "a variation selector": ("中国绿证\ufe0f", "中国绿证"),
    "a Hangul filler": ("GEC\u3164", "gec"),
    "German sharp s folds to ss": ("Straße", "strasse"),
    "full-width brackets become ASCII": ("（北京）", "(北京)"),
}


@pytest.mark.parametrize(("text", "canonical"), CANONICAL.values(), ids=list(CANONICAL))
def test_identifiers_compare_in_canonical_form(text: str, canonical: str) -> None:
    assert canonical_identity(text) == canonical
    assert canonical_identity(canonical) == canonical  # idempotent


@pytest.mark.parametrize(
    "serial",
    [" GEC2023000100001", "\u200bGEC2023000100001", "gec2023000100001",
     "ＧＥＣ２０２３０００１０００01", "GEC 2023000100001"],
)  # fmt: skip
def test_cosmetic_variants_of_a_serial_are_the_same_serial(serial: str) -> None:
    assert split_serial(serial) == ("gec", 2023000100001)


def test_the_ascii_fast_path_agrees_with_the_full_rule() -> None:
    import unicodedata

    from emissions.identifiers import _invisible

    for char in map(chr, range(128)):
        text = f"a{char}B"
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
        assert canonical_identity(text) == "".join(c for c in folded if not _invisible(c))
