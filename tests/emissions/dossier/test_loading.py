"""Reading dossier files and text: clear errors for missing files, bad JSON, repeated keys."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from emissions.dossier import (
    DossierError,
    DossierInvalid,
    load_dossier_file,
    loading,
    parse_dossier_text,
    read_dossier,
)
from emissions.limits import MAX_DEPTH

from .support import AS_OF, EXAMPLES, default_factors


def _errors(text: str) -> list[DossierError]:
    with pytest.raises(DossierInvalid) as caught:
        parse_dossier_text(text)
    return caught.value.errors


def test_a_file_reads_with_json_numbers_as_exact_decimals(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"quantity": 12.40, "year": 2023}', encoding="utf-8")
    assert load_dossier_file(path) == {"quantity": Decimal("12.40"), "year": 2023}


def test_a_file_with_a_byte_order_mark_reads(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "demo-dossier.json").read_bytes())
    assert load_dossier_file(str(path)) == load_dossier_file(EXAMPLES / "demo-dossier.json")


def test_a_missing_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(DossierInvalid) as caught:
        load_dossier_file(tmp_path / "nope.json")
    assert caught.value.errors == [DossierError("", f"file not found: {tmp_path / 'nope.json'}")]


def test_a_file_that_is_not_utf_8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('{"name": "示例"}'.encode("gbk"))
    with pytest.raises(DossierInvalid) as caught:
        load_dossier_file(path)
    assert "is not UTF-8 text (byte 12)" in caught.value.errors[0].message


BAD_TEXT = {
    "a trailing comma": ('{"year": 2023,}', "not valid JSON: Expecting property name"),
    "an unclosed object on line 2": ('{\n  "year": 2023', "at line 2, column 15"),
    "NaN": ('{"quantity": NaN}', "NaN is not a number JSON allows"),
    "-Infinity": ('{"quantity": -Infinity}', "-Infinity is not a number JSON allows"),
    "an integer too long to convert": ('{"n": ' + "9" * 5000 + "}", "not valid JSON: Exceeds"),
}


@pytest.mark.parametrize(("text", "fragment"), BAD_TEXT.values(), ids=list(BAD_TEXT))
def test_invalid_json_is_one_error_at_the_root_saying_where(text: str, fragment: str) -> None:
    errors = _errors(text)
    assert [error.path for error in errors] == [""]
    assert fragment in errors[0].message


def test_a_duplicate_key_is_an_error_at_its_path_even_when_nested() -> None:
    text = '{"year": 2023, "year": 2024, "energy": [{}, {"unit": "t", "unit": "kg"}]}'
    assert _errors(text) == [
        DossierError("/energy/1/unit", "duplicate key 'unit' in one JSON object"),
        DossierError("/year", "duplicate key 'year' in one JSON object"),
    ]


def test_a_duplicate_key_below_the_depth_limit_is_left_to_the_reader() -> None:
    deep = "[" * (MAX_DEPTH + 1) + '{"a": 1, "a": 2}' + "]" * (MAX_DEPTH + 1)
    data = parse_dossier_text(deep)  # no duplicate reported: the walk stops at the limit
    with pytest.raises(DossierInvalid) as raised:
        read_dossier(data, factors=default_factors(), as_of=AS_OF)
    assert [error.message for error in raised.value.errors] == [
        f"nested more than {MAX_DEPTH} levels deep; a dossier needs only a few"
    ]


def test_a_document_without_duplicate_keys_is_not_walked_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def walked(_data: object) -> None:
        raise AssertionError("walked")

    monkeypatch.setattr(loading, "nodes", walked)
    assert parse_dossier_text('{"a": [{"b": 1}], "c": {"d": 2.5}}') == {
        "a": [{"b": 1}],
        "c": {"d": Decimal("2.5")},
    }


def test_an_error_list_names_every_error_in_the_exception_text() -> None:
    error = DossierInvalid([DossierError("/b", "two"), DossierError("/a", "one")])
    assert str(error) == "/a: one\n/b: two"
