"""Writing a normalised document back as dossier JSON: exact, ordered, and a round trip."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from emissions.dossier import document_to_json, parse_dossier_text, to_jsonable

from .support import EXAMPLE_NAMES, EXAMPLES, example, read


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_read_write_read_gives_an_equal_document(name: str) -> None:
    document = read(example(name)).document
    assert read(parse_dossier_text(document_to_json(document))).document == document


def test_the_written_example_is_the_example_file_byte_for_byte() -> None:
    text = (EXAMPLES / "demo-dossier.json").read_text(encoding="utf-8")
    assert document_to_json(read(example()).document) == text


def test_decimals_are_written_as_plain_decimal_strings_and_dates_as_iso() -> None:
    document = {
        "year": 2023,
        "energy": [{"unit": "t", "quantity": Decimal("1E+3"), "carrier": "diesel"}],
        "credits": [{"retired_on": date(2024, 3, 15), "quantity_tco2e": Decimal("0.0000001")}],
    }
    assert to_jsonable(document) == {
        "year": 2023,
        "energy": [{"carrier": "diesel", "quantity": "1000", "unit": "t"}],
        "credits": [{"quantity_tco2e": "0.0000001", "retired_on": "2024-03-15"}],
    }


def test_numbers_in_answers_stay_exact_json_numbers() -> None:
    document = {"gates": {}, "answers": {"INF-2": Decimal("0.950000000000000000001"), "x": []}}
    text = document_to_json(document)
    assert '"INF-2": 0.950000000000000000001' in text
    assert parse_dossier_text(text) == document
    assert '"gates": {}' in text
    assert '"x": []' in text


def test_keys_follow_the_spec_order_and_unknown_keys_come_last() -> None:
    document = {"zz": 1, "year": 2023, "schema": "s", "factory": {"x": 1, "name": "n"}}
    assert list(json.loads(document_to_json(document))) == ["schema", "factory", "year", "zz"]
    assert list(to_jsonable(document)["factory"]) == ["name", "x"]


def test_chinese_text_is_written_as_is_with_an_indent_of_two() -> None:
    text = document_to_json({"factory": {"name": "示例"}})
    assert text == '{\n  "factory": {\n    "name": "示例"\n  }\n}\n'
