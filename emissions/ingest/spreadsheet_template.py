"""The Excel template of an inventory, pre-filled with its current data (openpyxl).

Downloaded and uploaded unchanged it reads back as the same dossier: every key of every line
has its column, every decimal is written as the text of its exact digits (a spreadsheet number
is a binary float), and an answer that is not text is written as JSON. The dropdowns come
from the factor set, the schema's enumerations and the registry directory (`options`).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from emissions.accounting.carriers import FIXED_CARRIERS
from emissions.accounting.exact_json import dumps
from emissions.accounting.factors import FactorSet
from emissions.accounting.regions import PROVINCE_REGION
from emissions.accounting.units import (
    ELECTRICITY_UNITS,
    GAS_UNITS,
    HEAT_UNITS,
    STEAM_UNITS,
    allowed_units_for_carrier,
)
from emissions.dossier.registries import RegistryDirectory
from emissions.ingest.spreadsheet_layout import (
    ANSWERS_SHEET,
    FIRST_ROW,
    GATES_SHEET,
    HEADER_FIELDS,
    HEADER_SHEET,
    INSTRUCTIONS_SHEET,
    KEY_VALUE_COLUMNS,
    KEY_VALUE_HEADERS,
    LIST_SHEETS,
    LISTS_SHEET,
    SHEET_TITLES,
    VALUE,
    Column,
    column_letter,
)
from emissions.limits import dossier_schema

_DECIMAL_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")
HEADER_FILL = PatternFill("solid", fgColor="DDEBD7")
BOOLEANS = ("TRUE", "FALSE")
# Rows below the data that keep their dropdowns, for lines added in the workbook.
SPARE_ROWS = 200
INSTRUCTIONS = (
    "零碳工厂核算模板 ZeroCarbon inventory workbook",
    "",
    "每个工作表对应档案的一个部分，第一行是表头，从第二行开始每行一条记录。",
    "Each sheet is one section of the dossier: row 1 is the header, each row from row 2 is"
    " one line.",
    "inventory / gates / answers: 在“值 Value”列填写 fill in the Value column of each field.",
    "数字用小数点，不写单位和千位分隔符 Numbers: digits with a point, no units or separators.",
    "单位见下拉列表 Units: pick from the dropdown (energy: the carrier's units; gases: t or kg).",
    "日期格式 Dates: YYYY-MM-DD.  是/否 Yes/no: TRUE or FALSE.",
    "energy: 年消费量及 12 个月的数值（可选，合计须等于年消费量）the year's quantity and,"
    " optionally, the 12 monthly values (they must add up to it).",
    "scope3: 仅 II 类边界 type II boundary only; tCO2e, or quantity × factor.",
    "answers: 文本直接填写，其他写 JSON text as is, anything else as JSON (true, 0.5,"
    ' {"share": 0.5, "third_party_verified": true}) or na.',
    "上传后先预览变更和错误，确认后才替换草稿 After upload you see the errors and what would"
    " change; the draft is replaced only when you confirm.",
)


@dataclass(frozen=True)
class TemplateData:
    document: Mapping[str, Any]  # JSON-ready dossier (decimal strings), gates and answers
    options: Mapping[str, Sequence[str]]
    gates: Sequence[tuple[str, str]] = ()  # (id, bilingual label)
    # (id, bilingual label, the answers a dropdown offers: empty for a number or an object)
    answers: Sequence[tuple[str, str, Sequence[str]]] = field(default_factory=tuple)


def workbook_options(
    factors: FactorSet, registries: RegistryDirectory, gwp_set: str
) -> dict[str, list[str]]:
    """The dropdown lists, from the factor set, the dossier schema and the registries."""
    schema = dossier_schema()
    defs, properties = schema["$defs"], schema["properties"]
    units = {*ELECTRICITY_UNITS, *HEAT_UNITS, *STEAM_UNITS}
    for carrier in factors.fuels:
        units.update(allowed_units_for_carrier(carrier, factors))
    gases = {*factors.gwp.get(gwp_set, {}), *factors.gas_aliases, *factors.blends}
    credit = defs["credit"]["properties"]
    return {
        "carriers": sorted({*FIXED_CARRIERS, *factors.fuels}),
        "units": sorted(units),
        "mass_units": list(GAS_UNITS),
        "gases": sorted(gases),
        "green_instruments": list(defs["green_instrument"]["properties"]["instrument"]["enum"]),
        "credit_instruments": list(credit["instrument"]["enum"]),
        "credit_kinds": list(credit["kind"]["enum"]),
        "registries": sorted({registry.name for registry in registries.by_alias.values()}),
        "boundaries": list(properties["boundary"]["enum"]),
        "gwp_sets": list(properties["gwp_set"]["enum"]),
        "grid_scopes": list(properties["grid_factor_scope"]["enum"]),
        "provinces": sorted(PROVINCE_REGION),
        "scope3_categories": ["3", "4"],
        "booleans": list(BOOLEANS),
    }


def build_template(data: TemplateData) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions.column_dimensions["A"].width = 120
    choices = {f"{ANSWERS_SHEET}:{item}": list(values) for item, _l, values in data.answers}
    ranges = _lists(workbook, {**data.options, **{k: v for k, v in choices.items() if v}})
    document = data.document
    header_rows = [(c.key, c.label, _header_value(document, c)) for c in HEADER_FIELDS]
    _keyed(workbook, HEADER_SHEET, header_rows, ranges, HEADER_FIELDS)
    for sheet, columns in LIST_SHEETS.items():
        _list_sheet(workbook.create_sheet(sheet), columns, document.get(sheet, []), ranges)
    gates = document.get("gates", {})
    gate_rows = [(gate, label, _bool(gates.get(gate))) for gate, label in data.gates]
    gate_columns = [Column(gate, "", "bool", "booleans") for gate, _label in data.gates]
    _keyed(workbook, GATES_SHEET, gate_rows, ranges, gate_columns)
    _answers(workbook, data, ranges)
    _cells_as_text(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _answers(workbook: Workbook, data: TemplateData, ranges: Mapping[str, str]) -> None:
    """One row per rubric item and flag, then any other answer the dossier gives; an item
    with a closed set of answers (yes/no, levels, options) has them as its dropdown."""
    answers = data.document.get("answers", {})
    known = [(item, label) for item, label, _values in data.answers]
    extra = [(item, "") for item in answers if item not in {item for item, _l in known}]
    rows = [(item, label, answer_text(answers.get(item))) for item, label in [*known, *extra]]
    columns = [Column(item, "", "json", f"{ANSWERS_SHEET}:{item}") for item, _l in known]
    _keyed(workbook, ANSWERS_SHEET, rows, ranges, columns)


def _lists(workbook: Workbook, options: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The hidden sheet of dropdown values; the formula of each list's cells."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges = {}
    for index, (name, values) in enumerate(options.items()):
        letter = column_letter(index)
        sheet.cell(row=1, column=index + 1, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index + 1, value=value)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    return ranges


def _header(sheet: Worksheet, labels: Sequence[str]) -> None:
    sheet.append(list(labels))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _cells_as_text(workbook: Workbook) -> None:
    """Formula injection (OWASP "CSV injection"): openpyxl stores any text starting with "="
    as a formula, so a factory or measure named `=HYPERLINK(…)` would run in the consultant's
    Excel. The template never holds a formula of its own (the dropdowns' ranges live in the
    data validations), so every such cell is written back as the plain text it is: it reads
    back unchanged, and Excel shows it without evaluating it. Text starting with + - @ is
    already stored as a string cell, which Excel never evaluates."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _list_sheet(
    sheet: Worksheet,
    columns: Sequence[Column],
    entries: Sequence[Mapping[str, Any]],
    ranges: Mapping[str, str],
) -> None:
    _header(sheet, [column.label for column in columns])
    for entry in entries:
        sheet.append([cell_text(_entry_value(entry, column.key)) for column in columns])
    last = FIRST_ROW + len(entries) + SPARE_ROWS
    for index, column in enumerate(columns):
        sheet.column_dimensions[column_letter(index)].width = 16
        formula = ranges.get(column.options or "")
        if formula:
            letter = column_letter(index)
            _dropdown(sheet, formula, f"{letter}{FIRST_ROW}:{letter}{last}")


def _keyed(
    workbook: Workbook,
    name: str,
    rows: Sequence[tuple[str, str, Any]],
    ranges: Mapping[str, str],
    columns: Sequence[Column],
) -> None:
    sheet = workbook.create_sheet(name)
    sheet.title = name
    _header(sheet, [KEY_VALUE_HEADERS[key] for key in KEY_VALUE_COLUMNS])
    for key, label, value in rows:
        sheet.append([key, label, cell_text(value)])
    for width, letter in zip((28, 60, 40), "ABC", strict=True):
        sheet.column_dimensions[letter].width = width
    value_letter = column_letter(KEY_VALUE_COLUMNS.index(VALUE))
    for offset, column in enumerate(columns):
        formula = ranges.get(column.options or "")
        if formula:
            _dropdown(sheet, formula, f"{value_letter}{FIRST_ROW + offset}")
    title = SHEET_TITLES.get(name)
    if title:
        sheet.oddHeader.center.text = title


def _dropdown(sheet: Worksheet, formula: str, cells: str) -> None:
    validation = DataValidation(type="list", formula1=f"={formula}", allow_blank=True)
    validation.error = "请从列表中选择 Pick a value from the list"
    validation.showErrorMessage = False  # a value outside the list is reported on upload
    sheet.add_data_validation(validation)
    validation.add(cells)


def _entry_value(entry: Mapping[str, Any], key: str) -> Any:
    if key.startswith("monthly."):
        monthly = entry.get("monthly") or []
        month = int(key.removeprefix("monthly."))
        return monthly[month] if month < len(monthly) else None
    return entry.get(key)


def _header_value(document: Mapping[str, Any], column: Column) -> Any:
    parent, _dot, key = column.key.rpartition(".")
    holder = document.get(parent, {}) if parent else document
    return holder.get(key) if isinstance(holder, Mapping) else None


def _bool(value: Any) -> str | None:
    return (
        None
        if value is None
        else BOOLEANS[0]
        if value is True
        else BOOLEANS[1]
        if value is False
        else str(value)
    )


def cell_text(value: Any) -> str | int | None:
    """What a cell holds: text (exact digits for decimals), whole years as numbers."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return BOOLEANS[0] if value else BOOLEANS[1]
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def answer_text(value: Any) -> str | None:
    """An answer as the reader reads it back: text as is (quoted when it would read as JSON),
    anything else as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        if _DECIMAL_TEXT.fullmatch(value):  # a decimal string answer reads back as the number
            return value
        try:
            json.loads(value)
        except json.JSONDecodeError:
            return value
        return json.dumps(value, ensure_ascii=False)
    return dumps(value)
