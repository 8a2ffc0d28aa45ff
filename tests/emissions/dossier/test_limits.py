"""The storage limits, declared once in the schema: at the limit a value reads, past it the
reader refuses it at its path with a message saying the limit; whole-document rules (depth,
forbidden characters) come first and never exhaust the stack."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest

from emissions import limits
from emissions.dossier import DossierError, DossierInvalid, parse_dossier_bytes, parse_dossier_text
from emissions.dossier.claims import Claim, overlapping
from emissions.dossier.document import check_document
from emissions.identifiers import SerialRange

from .support import edited, errors_of, example, read

AT_LIMIT = {
    "a factory name of 200 characters": {"/factory/name": "厂" * 200},
    "an address of 500 characters": {"/factory/address": "路" * 500},
    "a note of 500 characters": {"/energy/0/note": "n" * 500},
    "a credit project of 200 characters": {"/credits/0/project": "p" * 200},
    "a vintage of 1950": {"/credits/0/vintage": 1950},
    "a baseline year of 1950": {"/baseline/year": 1950},
    "a serial of 80 characters": {
        "/credits/0/serial_from": "C" * 61 + "0000000000000000001",
        "/credits/0/serial_to": "C" * 61 + "0000000000000001468",
    },
    "a serial number of 40 digits": {
        "/credits/0/serial_from": "CCER-" + "1" * 36 + "0001",
        "/credits/0/serial_to": "CCER-" + "1" * 36 + "1468",
    },
    "a quantity of 18 + 12 digits": {"/energy/4/quantity": "9" * 18 + "." + "9" * 12},
}


@pytest.mark.parametrize("edits", AT_LIMIT.values(), ids=list(AT_LIMIT))
def test_a_value_at_its_limit_reads(edits: dict[str, Any]) -> None:
    assert read(edited(example(), edits)).document


PAST_LIMIT = [
    ("/factory/name", "厂" * 201, "text of 201 characters; at most 200 are stored"),
    ("/factory/address", "路" * 501, "at most 500"),
    ("/energy/0/unit", "M" * 65, "at most 64"),
    ("/credits/0/beneficiary", "b" * 201, "at most 200"),
    ("/credits/0/vintage", 32768, "32768 is too large; expected at most 2100"),
    ("/credits/0/vintage", -1, "-1 is too small; expected at least 1950"),
    ("/year", 40000, "expected at most 2100"),
    ("/reduction_measures/0/implemented_in", 10**6, "expected at most 2100"),
    ("/credits/0/serial_from", "C" * 81, "text of 81 characters; at most 80"),
    ("/energy/0/quantity", "1" * 19, "19 digits before the decimal point"),
    ("/energy/0/quantity", "0.0000000000001", "13 decimal places"),
]


@pytest.mark.parametrize(("path", "value", "fragment"), PAST_LIMIT)
def test_a_value_past_its_limit_is_refused_at_its_path(
    path: str, value: Any, fragment: str
) -> None:
    errors = errors_of(edited(example(), {path: value}))
    assert path in [error.path for error in errors]
    assert fragment in next(error.message for error in errors if error.path == path)


def test_a_serial_number_of_41_digits_is_refused() -> None:
    data = edited(
        example(),
        {"/credits/0/serial_from": "X" + "1" * 37 + "0001",
         "/credits/0/serial_to": "X" + "1" * 37 + "1468"},
    )  # fmt: skip
    errors = errors_of(data)
    assert errors[0].path == "/credits/0/serial_from"
    assert "of 41 digits; at most 40 are supported" in errors[0].message


def test_a_list_longer_than_the_limit_is_refused() -> None:
    line = {"carrier": "diesel", "quantity": "1", "unit": "t"}
    data = edited(example(), {"/energy": [line] * (limits.LIST_MAX_ITEMS + 1)})
    assert [(e.path, e.message) for e in errors_of(data)] == [
        ("/energy", f"expected 0 to {limits.LIST_MAX_ITEMS} values, got 20001")
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [("a\x00b", "U+0000 at position 2"), ("\ud800", "an unpaired surrogate U+D800"),
     ("bell\x07", "U+0007"), ("del\x7f", "U+007F")],
)  # fmt: skip
def test_a_forbidden_character_is_refused_in_any_string(text: str, shown: str) -> None:
    data = edited(
        example(),
        {"/factory/name": text, "/answers/PRD-2/note": text, "/credits/0/project": text},
    )
    errors = {error.path: error.message for error in errors_of(data)}
    for path in ("/factory/name", "/credits/0/project"):
        assert shown in errors[path]
    assert "/answers/PRD-2/note" in errors or "/answers/PRD-2" in errors


def test_tabs_and_line_breaks_are_text() -> None:
    assert read(edited(example(), {"/energy/0/note": "line 1\nline 2\tend\r"})).document


def test_a_forbidden_character_in_a_key_is_refused_at_the_key() -> None:
    data = edited(example(), {"/answers/bad\x00key": True})
    message = "key: the control character U+0000 at position 4 is not allowed in text; remove it"
    assert ("/answers/bad\x00key", message) in [(e.path, e.message) for e in errors_of(data)]


def test_a_long_free_string_or_key_is_refused() -> None:
    data = edited(example(), {"/answers/INF-1": "x" * 501, "/gates/" + "k" * 201: True})
    paths = {error.path: error.message for error in errors_of(data)}
    assert "at most 500" in paths["/answers/INF-1"]
    assert "at most 200" in paths["/gates/" + "k" * 201]


def test_the_document_rules_hold_in_any_mapping_or_list_given() -> None:
    # Not what the parser gives (dict, list), but what another caller might pass.
    data = MappingProxyType({"a": OrderedDict([("b\x00", ("x\x07",))]), "gates": {"g": "y" * 501}})
    assert [(error.path, error.message[:40]) for error in check_document(data).errors] == [
        ("/a/b\x00", "key: the control character U+0000 at pos"),
        ("/gates/g", "text of 501 characters; at most 500"),
    ]


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def test_nesting_deeper_than_the_limit_is_refused_before_anything_else() -> None:
    data = edited(example(), {"/answers/INF-1": _nested(100_000)})
    errors = errors_of(data)
    assert len(errors) == 1
    assert errors[0].path.startswith("/answers/INF-1/0/0")
    assert f"nested more than {limits.MAX_DEPTH} levels deep" in errors[0].message


def test_nesting_at_the_limit_is_no_depth_error() -> None:
    # the reader takes it; the rubric layer then refuses the answer's type
    assert read(edited(example(), {"/answers/INF-1": _nested(limits.MAX_DEPTH - 2)}))


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_parsing_deeply_nested_text_is_a_dossier_error(depth: int) -> None:
    with pytest.raises(DossierInvalid) as raised:
        parse_dossier_text("[" * depth + "]" * depth)
    assert "nested" in raised.value.errors[0].message


def test_a_duplicate_key_deep_inside_is_found_without_recursion() -> None:
    with pytest.raises(DossierInvalid) as raised:
        parse_dossier_text('{"a": [{"b": 1, "b": 2}]}')
    assert raised.value.errors == [DossierError("/a/0/b", "duplicate key 'b' in one JSON object")]


def test_bytes_with_a_byte_order_mark_parse_and_invalid_utf8_is_refused() -> None:
    assert parse_dossier_bytes('\ufeff{"a": 1}'.encode()) == {"a": 1}
    with pytest.raises(DossierInvalid) as raised:
        parse_dossier_bytes(b'{"a": "\xff"}')
    assert "not UTF-8 text (byte 7" in raised.value.errors[0].message


# The overlap sweep ------------------------------------------------------------------------


def _claim(index: int, start: int, end: int, prefix: str = "a", registry: str = "r") -> Claim:
    return Claim("credits", index, "CCER", registry, SerialRange(prefix, start, end))


def test_the_sweep_finds_every_overlapping_line_that_comparing_every_pair_finds() -> None:
    import random

    generator = random.Random(7)
    for _ in range(300):
        starts = [generator.randrange(0, 200) for _ in range(12)]
        claims = [
            _claim(i, start, start + generator.randrange(0, 20), generator.choice("ab"))
            for i, start in enumerate(starts)
        ]
        pairs = list(overlapping(claims))
        assert all(a.serials.overlaps(b.serials) and a.index < b.index for a, b in pairs)
        involved = {c.index for a, b in pairs for c in (a, b)}
        brute = {
            a.index for a in claims for b in claims if a is not b and a.serials.overlaps(b.serials)
        }
        assert involved == brute


def test_the_sweep_reports_the_later_line_against_the_earlier() -> None:
    pairs = list(overlapping([_claim(0, 50, 60), _claim(1, 1, 55), _claim(2, 70, 80)]))
    assert [(a.index, b.index) for a, b in pairs] == [(0, 1)]


def test_a_range_inside_a_long_one_and_after_it_are_both_reported() -> None:
    pairs = list(overlapping([_claim(0, 1, 100), _claim(1, 10, 20), _claim(2, 30, 40)]))
    assert [(a.index, b.index) for a, b in pairs] == [(0, 1), (0, 2)]


def test_other_registries_and_prefixes_never_overlap() -> None:
    claims = [_claim(0, 1, 10), _claim(1, 1, 10, prefix="b"), _claim(2, 1, 10, registry="s")]
    assert list(overlapping(claims)) == []


def test_a_registry_or_prefix_longer_than_its_column_in_canonical_form_is_refused() -> None:
    data = edited(
        example(),
        {"/green_electricity/0/registry": "ß" * 150,  # 300 letters once folded
         "/credits/0/serial_from": "\ufdfa" * 6 + "1",  # 90 letters once NFKC, spaces gone
         "/credits/0/serial_to": "\ufdfa" * 6 + "1468"},
    )  # fmt: skip
    errors = {error.path: error.message for error in errors_of(data)}
    assert "300 characters long in canonical form" in errors["/green_electricity/0/registry"]
    assert "90 characters long in canonical form" in errors["/credits/0/serial_from"]


@pytest.mark.parametrize("number", [Decimal("1E+5000"), Decimal("1E-600"), 10**41])
def test_a_number_in_the_answers_beyond_forty_digits_is_refused(number: Any) -> None:
    errors = errors_of(edited(example(), {"/answers/INF-2": number}))
    assert [error.path for error in errors] == ["/answers/INF-2"]
    assert "is out of range" in errors[0].message


def test_answer_numbers_are_normalised_as_json_reads_them() -> None:
    document = read(edited(example(), {"/answers/INF-1": Decimal("2.0"),
                                       "/answers/INF-2": 0.95})).document  # fmt: skip
    assert document["answers"]["INF-1"] == 2
    assert isinstance(document["answers"]["INF-1"], int)
    assert document["answers"]["INF-2"] == Decimal("0.95")


def test_empty_optional_texts_and_lists_mean_absent() -> None:
    data = edited(example(), {"/factory/name_en": "", "/refrigerants": [], "/answers": {}})
    del data["reduction_measures"][0]["verified"]
    document = read(data).document
    assert "name_en" not in document["factory"]
    assert "refrigerants" not in document
    assert "answers" not in document
    assert document["reduction_measures"][0]["verified"] is False


def test_document_claims_skip_green_power_contracts() -> None:
    from emissions.dossier.claims import document_claims
    from emissions.dossier.registries import NO_DIRECTORY

    contract = {"instrument": "GREEN_POWER", "registry": "北京电力交易中心",
                "contract_ref": "BJ-1", "quantity_mwh": "10", "vintage": 2023}  # fmt: skip
    document = read(edited(example(), {"/green_electricity/-": contract})).document
    claims = document_claims(document, NO_DIRECTORY)
    assert [(claim.section, claim.index) for claim in claims] == [
        ("green_electricity", 0),
        ("credits", 0),
    ]


def test_an_error_quoting_an_unpaired_surrogate_is_still_unicode_text() -> None:
    errors = errors_of(edited(example(), {"/answers/\ud800": "\udfff"}))
    for error in errors:
        assert (error.path + error.message).encode("utf-8")  # would raise on a surrogate
    assert "/answers/\\ud800" in [error.path for error in errors]
