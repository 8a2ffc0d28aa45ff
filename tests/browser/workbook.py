"""Filling the downloaded inventory workbook the way a consultant would: openpyxl on the file
the page served, one value per cell, nothing built by the platform's own template code.

The data are the spec's rated example (tests/fixtures/examples/demo-rated-dossier.json) with
serial numbers of their own, credits enough for a type II boundary, and the beneficiary and
factory fields of the factory the test created."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from emissions.ingest.spreadsheet_layout import HEADER_SHEET, LIST_SHEETS, column_letter
from tests.conftest import example

# A type II boundary adds categories 3 and 4 (3,840.5 tCO2e) to the example's 8,922.74: 8,600
# tCO2e of credits and the green electricity's 4,244.8 neutralise the 12,763.24 (NR 1.0064).
CREDITS_TCO2E = 8600
HEADER_VALUES = {  # the inventory sheet's `field` → the example's key path
    "production.output": ("production", "output"),
    "production.unit": ("production", "unit"),
    "baseline.year": ("baseline", "year"),
    "baseline.emissions_tco2e": ("baseline", "emissions_tco2e"),
    "baseline.output": ("baseline", "output"),
}


@dataclass(frozen=True)
class BadCell:
    """The one cell a test spoils: `text` instead of the value of `key` in line `index`."""

    sheet: str
    index: int  # the line's 0-based index in its section
    key: str
    text: str

    @property
    def row(self) -> int:
        return self.index + 2  # row 1 is the header

    @property
    def cell(self) -> str:
        keys = [column.key for column in LIST_SHEETS[self.sheet]]
        return f"{column_letter(keys.index(self.key))}{self.row}"


def rated_example(*, serial_block: int, beneficiary: str) -> dict[str, Any]:
    """The rated example with serials in a block of their own (`serial_block` 3 gives
    GEC2023000300001…, CCER-0003-2023-…) so that no two flows claim the same units."""
    document = example("demo-rated-dossier")
    green = document["green_electricity"][0]
    green["serial_from"] = f"GEC2023{serial_block:04d}00001"
    green["serial_to"] = f"GEC2023{serial_block:04d}0{int(green['quantity_mwh']):04d}"
    credit = document["credits"][0]
    credit["quantity_tco2e"] = str(CREDITS_TCO2E)
    credit["serial_from"] = f"CCER-{serial_block:04d}-2023-000001"
    credit["serial_to"] = f"CCER-{serial_block:04d}-2023-{CREDITS_TCO2E:06d}"
    credit["beneficiary"] = beneficiary
    return document


def filled(template: bytes, document: Mapping[str, Any], bad: BadCell | None = None) -> bytes:
    """The template with every section, the production and baseline, the gates and the
    answers of `document`; the factory, year and boundary stay as the template has them."""
    workbook = load_workbook(io.BytesIO(template))
    for sheet, columns in LIST_SHEETS.items():
        _lines(workbook[sheet], [column.key for column in columns], document.get(sheet, []))
    header = workbook[HEADER_SHEET]
    for name, (parent, key) in HEADER_VALUES.items():
        _keyed(header, name, document[parent][key])
    for gate, value in document["gates"].items():
        _keyed(workbook["gates"], gate, value)
    for item, answer in document["answers"].items():
        _keyed(workbook["answers"], item, answer if isinstance(answer, str) else json.dumps(answer))
    if bad is not None:
        workbook[bad.sheet][bad.cell] = bad.text
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def keyed_value(template: bytes, sheet: str, name: str) -> Any:
    """The value of the row `name` of a key/value sheet (inventory, gates, answers)."""
    rows = load_workbook(io.BytesIO(template))[sheet].iter_rows(min_row=2, values_only=True)
    return next(row[2] for row in rows if row[0] == name)


def _lines(sheet: Worksheet, keys: Sequence[str], entries: Sequence[Mapping[str, Any]]) -> None:
    sheet.delete_rows(2, max(sheet.max_row - 1, 0))
    for entry in entries:
        sheet.append([_cell(_value(entry, key)) for key in keys])


def _value(entry: Mapping[str, Any], key: str) -> Any:
    if key.startswith("monthly."):
        monthly = entry.get("monthly") or []
        month = int(key.removeprefix("monthly."))
        return monthly[month] if month < len(monthly) else None
    return entry.get(key)


def _keyed(sheet: Worksheet, name: str, value: Any) -> None:
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == name:
            row[2].value = _cell(value)
            return
    sheet.append([name, "", _cell(value)])


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return value
