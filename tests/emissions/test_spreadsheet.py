"""The inventory workbook: template, reading back, cells of errors, the error workbook."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from emissions.dossier.diff import diff
from emissions.ingest.spreadsheet_errors import ERROR_FILL, marked_workbook
from emissions.ingest.spreadsheet_layout import LIST_SHEETS, column_letter
from emissions.ingest.spreadsheet_read import UnreadableWorkbook, read_workbook
from emissions.ingest.spreadsheet_template import TemplateData, build_template
from tests.conftest import example

OPTIONS = {
    "carriers": ["diesel", "grid_electricity"],
    "units": ["MWh", "t"],
    "booleans": ["TRUE", "FALSE"],
}


def _template(document: dict[str, Any]) -> bytes:
    gates = [("G1", "基本要求一 Gate 1"), ("G2", "基本要求二 Gate 2")]
    answers = [(item, item, ["true", "false"]) for item in document.get("answers", {})]
    return build_template(TemplateData(document, OPTIONS, gates, answers))


def _edited(data: bytes, sheet: str, cell: str, value: Any) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    workbook[sheet][cell] = value
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _energy_cell(key: str, index: int) -> str:
    keys = [column.key for column in LIST_SHEETS["energy"]]
    return f"{column_letter(keys.index(key))}{index + 2}"


def test_a_template_reads_back_as_the_dossier_it_was_filled_with() -> None:
    document = example("demo-dossier")
    parsed = read_workbook(_template(document))
    assert parsed.errors == []
    assert diff(document, parsed.document) == []


def test_the_template_has_an_instructions_sheet_and_one_sheet_per_section() -> None:
    workbook = load_workbook(io.BytesIO(_template(example("demo-dossier"))))
    assert workbook.sheetnames[0] == "instructions"
    assert {"inventory", "gates", "answers", *LIST_SHEETS} <= set(workbook.sheetnames)
    assert workbook["energy"]["A1"].value == "能源品种 Carrier"


def test_the_carrier_column_has_a_dropdown_of_the_carriers() -> None:
    workbook = load_workbook(io.BytesIO(_template(example("demo-dossier"))))
    validations = workbook["energy"].data_validations.dataValidation
    carrier = next(v for v in validations if "A2" in str(v.sqref))
    assert carrier.type == "list"
    listed = workbook["lists"]
    column = next(c for c in listed[1] if c.value == "carriers").column_letter
    assert carrier.formula1 == f"=lists!${column}$2:${column}$3"


def test_an_unreadable_number_is_an_error_at_its_cell_and_nowhere_else() -> None:
    data = _edited(
        _template(example("demo-dossier")), "energy", _energy_cell("quantity", 3), "12,5x"
    )
    parsed = read_workbook(data)
    assert len(parsed.errors) == 1
    error = parsed.errors[0]
    assert (error.location.sheet, error.location.row, error.location.column) == (
        "energy",
        5,
        "quantity",
    )
    assert error.location.cell == _energy_cell("quantity", 3)
    assert error.value == "12,5x"
    assert "quantity" not in parsed.document["energy"][3]


@pytest.mark.parametrize("value", ["1e999999999999999999", "1e-999999999999999999", "9E+40"])
def test_a_number_beyond_every_column_is_an_error_at_its_cell_not_a_crash(value: str) -> None:
    """Written out in full, 1e999999999999999999 would need more memory than the machine has;
    it is refused at its cell before that, in the reader's words for an out-of-range number."""
    cell = _energy_cell("quantity", 3)
    parsed = read_workbook(_edited(_template(example("demo-dossier")), "energy", cell, value))
    assert [(e.location.cell, e.value) for e in parsed.errors] == [(cell, value)]
    assert "out of range" in parsed.errors[0].message
    assert "quantity" not in parsed.document["energy"][3]


def test_a_path_of_the_dossier_reader_is_mapped_back_to_its_cell() -> None:
    parsed = read_workbook(_template(example("demo-dossier")))
    location = parsed.locator.locate("/energy/3/unit")
    assert (location.sheet, location.row, location.column) == ("energy", 5, "unit")
    month = parsed.locator.locate("/energy/2/monthly/11")
    assert (month.sheet, month.row, month.column) == ("energy", 4, "monthly.11")
    assert parsed.locator.locate("/gates/G2").sheet == "gates"
    assert parsed.locator.locate("/year").column == "value"


def test_a_gate_that_is_neither_true_nor_false_is_an_error_at_its_cell() -> None:
    data = _edited(_template(example("demo-dossier")), "gates", "C3", "maybe")
    parsed = read_workbook(data)
    assert [(e.location.sheet, e.location.cell) for e in parsed.errors] == [("gates", "C3")]


def test_a_number_typed_into_excel_reads_as_its_decimal() -> None:
    data = _edited(_template(example("demo-dossier")), "energy", _energy_cell("quantity", 3), 12.5)
    parsed = read_workbook(data)
    assert parsed.errors == []
    assert Decimal(parsed.document["energy"][3]["quantity"]) == Decimal("12.5")


def test_a_file_that_is_no_workbook_is_refused_in_words() -> None:
    with pytest.raises(UnreadableWorkbook, match="Excel"):
        read_workbook(b"not a workbook")


def test_the_error_workbook_fills_the_bad_cell_red_and_comments_it() -> None:
    data = _template(example("demo-dossier"))
    cell = _energy_cell("unit", 3)
    errors = [
        {
            "sheet": "energy",
            "row": 5,
            "column": "unit",
            "cell": cell,
            "value": "x",
            "message": "bad unit",
        }
    ]
    workbook = load_workbook(io.BytesIO(marked_workbook(data, errors)))
    marked = workbook["energy"][cell]
    assert marked.fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:])
    assert marked.comment is not None
    assert "bad unit" in marked.comment.text
    assert workbook["errors"]["F2"].value == "bad unit"
    assert workbook["energy"]["A2"].fill.fgColor.rgb != marked.fill.fgColor.rgb


def test_an_unknown_column_is_an_error_at_its_header_cell() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "energy"
    sheet.append(["能源品种 Carrier", "colour"])
    output = io.BytesIO()
    workbook.save(output)
    parsed = read_workbook(output.getvalue())
    assert ("energy", "B1") in [(e.location.sheet, e.location.cell) for e in parsed.errors]


def test_a_sheet_with_more_rows_than_allowed_is_refused_at_the_sheet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("emissions.ingest.spreadsheet_read.LIST_MAX_ITEMS", 2)
    parsed = read_workbook(_template(example("demo-dossier")))
    assert ("energy", None) in [(e.location.sheet, e.location.row) for e in parsed.errors]
