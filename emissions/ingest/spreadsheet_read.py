"""An inventory workbook (.xlsx) read into a dossier document, every cell at its place.

pandas reads the sheets as text (`dtype=str`) here and nowhere else; the rows become plain
lists and then a dossier document, which the caller passes to the dossier reader like every
other input. A cell that cannot be read at all (`12,5x` for a number) is an error at its cell
and its key is left out; `Locator` maps the reader's paths (`/energy/3/unit`) back to cells
(sheet `energy`, row 5, column `unit`).
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from emissions.dossier.layout import SCHEMA_ID
from emissions.dossier.schema import in_range, out_of_range
from emissions.ingest.spreadsheet_layout import (
    ANSWERS_SHEET,
    ERRORS_SHEET,
    FIELD,
    FIRST_ROW,
    GATES_SHEET,
    HEADER_FIELDS,
    HEADER_ROW,
    HEADER_SHEET,
    INSTRUCTIONS_SHEET,
    KEY_VALUE_COLUMNS,
    KEY_VALUE_HEADERS,
    LIST_SHEETS,
    LISTS_SHEET,
    VALUE,
    Column,
    Location,
    column_letter,
)
from emissions.limits import LIST_MAX_ITEMS

Rows = list[list[str | None]]
Progress = Callable[[int, int, str], None]
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})( 00:00:00)?")
_TRUE = {"true", "yes", "y", "1", "是", "对"}
_FALSE = {"false", "no", "n", "0", "否", "错"}
_IGNORED_SHEETS = {INSTRUCTIONS_SHEET, LISTS_SHEET, ERRORS_SHEET}
# Zip bombs: an .xlsx is a zip archive, and a 1 MB upload can unpack to gigabytes. A full
# template (20,000 lines a section) unpacks to about 20 MB, so 64 MiB and 2,000 parts leave
# room. The sizes are the central directory's; zipfile never unpacks a part beyond its
# declared size (it stops there and fails the CRC), so they bound what pandas can expand.
WORKBOOK_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
WORKBOOK_MAX_PARTS = 2000
_HEADER_KEYS = {column.key: column for column in HEADER_FIELDS}


class UnreadableWorkbook(Exception):
    """The file is not an .xlsx workbook that can be opened; `message` says so for a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CellError:
    location: Location
    value: str
    message: str


@dataclass
class Locator:
    """Document paths back to cells, from the rows and headers actually read."""

    rows: dict[str, list[int]] = field(default_factory=dict)  # list sheet -> row of index
    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> key -> index
    keyed_rows: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> field -> row

    def at(self, sheet: str, row: int | None, key: str = "") -> Location:
        index = self.columns.get(sheet, {}).get(key)
        cell = f"{column_letter(index)}{row}" if index is not None and row else ""
        return Location(sheet, row, key, cell)

    def locate(self, path: str) -> Location:
        parts = [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]
        if not parts:
            return Location()
        if parts[0] in LIST_SHEETS:
            return self._in_list(parts[0], parts[1:])
        if parts[0] in (GATES_SHEET, ANSWERS_SHEET):
            row = self.keyed_rows.get(parts[0], {}).get(parts[1]) if len(parts) > 1 else None
            return self.at(parts[0], row, VALUE if row else "")
        name = ".".join(parts[:2])
        if name not in _HEADER_KEYS and parts[0] != "schema":
            matching = [key for key in _HEADER_KEYS if key.startswith(parts[0] + ".")]
            name = matching[0] if matching else name
        row = self.keyed_rows.get(HEADER_SHEET, {}).get(name)
        return self.at(HEADER_SHEET, row, VALUE if row else "")

    def _in_list(self, sheet: str, rest: list[str]) -> Location:
        rows = self.rows.get(sheet, [])
        if not rest or not rest[0].isdigit() or int(rest[0]) >= len(rows):
            return Location(sheet)
        row = rows[int(rest[0])]
        key = ".".join(rest[1:3]) if rest[1:2] == ["monthly"] and len(rest) > 2 else ""
        key = key or (rest[1] if len(rest) > 1 else "")
        return self.at(sheet, row, key)


@dataclass
class ParsedWorkbook:
    document: dict[str, Any]
    errors: list[CellError]
    locator: Locator


def load_rows(data: bytes) -> dict[str, Rows]:
    """Every sheet as rows of trimmed text (None for an empty cell)."""
    _refuse_zip_bomb(data)
    try:
        frames = pandas.read_excel(
            io.BytesIO(data), sheet_name=None, dtype=str, header=None, engine="openpyxl"
        )
    except (zipfile.BadZipFile, InvalidFileException, ValueError, KeyError, OSError) as error:
        message = _("The file cannot be opened as an Excel workbook (.xlsx): {error}")
        raise UnreadableWorkbook(message.format(error=error)) from None
    return {str(name): _plain_rows(frame) for name, frame in frames.items()}


def _refuse_zip_bomb(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: pandas names what is wrong with it
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > WORKBOOK_MAX_PARTS or unpacked > WORKBOOK_MAX_UNPACKED_BYTES:
        message = _(
            "The workbook is refused: it unpacks to {size} MB in {parts} parts, more than the"
            " {limit} MB and {max_parts} parts a workbook may hold. Is it really the template?"
        )
        raise UnreadableWorkbook(
            message.format(
                size=unpacked // (1024 * 1024),
                parts=len(parts),
                limit=WORKBOOK_MAX_UNPACKED_BYTES // (1024 * 1024),
                max_parts=WORKBOOK_MAX_PARTS,
            )
        )


def _plain_rows(frame: pandas.DataFrame) -> Rows:
    return [[_text(value) for value in row] for row in frame.itertuples(index=False, name=None)]


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def read_workbook(data: bytes, progress: Progress | None = None) -> ParsedWorkbook:
    """The workbook as a dossier document with the errors of cells that cannot be read."""
    sheets = load_rows(data)
    parsed = ParsedWorkbook({"schema": SCHEMA_ID}, [], Locator())
    total = len(sheets)
    for done, (name, rows) in enumerate(sheets.items(), start=1):
        if progress is not None:
            progress(done, total, name)
        _read_sheet(parsed, name, rows)
    for name in (HEADER_SHEET, *LIST_SHEETS):
        if name not in sheets:
            message = _("the sheet {sheet} is missing; download the template again")
            parsed.errors.append(CellError(Location(name), "", message.format(sheet=name)))
    parsed.document.setdefault("gates", {})
    return parsed


def _read_sheet(parsed: ParsedWorkbook, name: str, rows: Rows) -> None:
    if name in _IGNORED_SHEETS:
        return
    if len(rows) - 1 > LIST_MAX_ITEMS:
        message = _("{count} rows; a sheet may have at most {limit}")
        error = message.format(count=len(rows) - 1, limit=LIST_MAX_ITEMS)
        parsed.errors.append(CellError(Location(name), "", error))
        return
    if name in LIST_SHEETS:
        _read_list(parsed, name, rows)
    elif name in (HEADER_SHEET, GATES_SHEET, ANSWERS_SHEET):
        _read_keyed(parsed, name, rows)
    else:
        message = _("unknown sheet {sheet}; expected the sheets of the template")
        parsed.errors.append(CellError(Location(name), "", message.format(sheet=name)))


def _headers(
    parsed: ParsedWorkbook, sheet: str, header: list[str | None], known: Mapping[str, str]
) -> dict[int, str]:
    """Column index -> key, from the header row (a label or a key names a column)."""
    found: dict[int, str] = {}
    for index, text in enumerate(header):
        if text is None:
            continue
        key = known.get(text) or known.get(text.split("\n")[0].strip())
        if key is None:
            message = _("unknown column {column}; expected the columns of the template")
            location = Location(sheet, HEADER_ROW, "", f"{column_letter(index)}{HEADER_ROW}")
            parsed.errors.append(CellError(location, text, message.format(column=text)))
            continue
        found[index] = key
    parsed.locator.columns[sheet] = {key: index for index, key in found.items()}
    return found


def _read_list(parsed: ParsedWorkbook, sheet: str, rows: Rows) -> None:
    columns = {column.key: column for column in LIST_SHEETS[sheet]}
    known = {c.label: c.key for c in columns.values()} | {key: key for key in columns}
    headers = _headers(parsed, sheet, rows[0] if rows else [], known)
    entries, positions = [], []
    for offset, row in enumerate(rows[1:]):
        if not any(row):
            continue
        number = FIRST_ROW + offset
        entry: dict[str, Any] = {}
        for index, key in headers.items():
            text = row[index] if index < len(row) else None
            if text is not None:
                _put(parsed, entry, columns[key], text, parsed.locator.at(sheet, number, key))
        _monthly_list(entry)
        entries.append(entry)
        positions.append(number)
    parsed.document[sheet] = entries
    parsed.locator.rows[sheet] = positions


def _monthly_list(entry: dict[str, Any]) -> None:
    months = {key: entry.pop(key) for key in list(entry) if key.startswith("monthly.")}
    if months:
        entry["monthly"] = [months.get(f"monthly.{month}") for month in range(12)]


def _read_keyed(parsed: ParsedWorkbook, sheet: str, rows: Rows) -> None:
    known = {label: key for key, label in KEY_VALUE_HEADERS.items()} | {
        key: key for key in KEY_VALUE_COLUMNS
    }
    headers = {
        key: index for index, key in _headers(parsed, sheet, rows[0] if rows else [], known).items()
    }
    if FIELD not in headers or VALUE not in headers:
        message = _("the columns field and value are needed; download the template again")
        parsed.errors.append(CellError(Location(sheet, HEADER_ROW), "", message))
        return
    keyed = parsed.locator.keyed_rows.setdefault(sheet, {})
    for offset, row in enumerate(rows[1:]):
        name = _cell(row, headers[FIELD])
        if name is None:
            continue
        number = FIRST_ROW + offset
        keyed[name] = number
        text = _cell(row, headers[VALUE])
        if text is not None:
            _put_keyed(parsed, sheet, name, text, parsed.locator.at(sheet, number, VALUE))


def _cell(row: list[str | None], index: int) -> str | None:
    return row[index] if index < len(row) else None


def _put_keyed(parsed: ParsedWorkbook, sheet: str, name: str, text: str, where: Location) -> None:
    if sheet == GATES_SHEET:
        _put(parsed, parsed.document.setdefault("gates", {}), Column(name, "", "bool"), text, where)
    elif sheet == ANSWERS_SHEET:
        _put(
            parsed, parsed.document.setdefault("answers", {}), Column(name, "", "json"), text, where
        )
    elif name in _HEADER_KEYS:
        column = _HEADER_KEYS[name]
        parent, _dot, key = name.rpartition(".")
        target = parsed.document.setdefault(parent, {}) if parent else parsed.document
        _put(parsed, target, Column(key, column.label, column.kind), text, where)
    else:
        message = _("unknown field {name}; expected the fields of the template")
        parsed.errors.append(CellError(where, name, message.format(name=name)))


def _put(
    parsed: ParsedWorkbook, target: dict[str, Any], column: Column, text: str, where: Location
) -> None:
    try:
        target[column.key] = CONVERTERS[column.kind](text)
    except CellUnreadable as error:
        parsed.errors.append(CellError(where, text, error.message))


class CellUnreadable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _decimal(text: str) -> str:
    if not _NUMBER.fullmatch(text):
        message = _(
            "{value} cannot be read as a number: write digits with a point for decimals, no"
            " units or thousands separators"
        )
        raise CellUnreadable(message.format(value=text))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellUnreadable(_("{value} cannot be read as a number").format(value=text)) from None
    if not in_range(number):  # before writing it out: 1e999999999 would be a billion digits
        raise CellUnreadable(out_of_range(number))
    return text if "e" not in text.lower() else format(number, "f")


def _integer(text: str) -> int:
    number = Decimal(_decimal(text))
    if number != number.to_integral_value():
        raise CellUnreadable(_("{value} is not a whole number").format(value=text))
    return int(number)


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellUnreadable(_("{value} is neither TRUE nor FALSE").format(value=text))


def _date(text: str) -> str:
    match = _DATE.fullmatch(text)
    if match is None:
        raise CellUnreadable(_("{value} is not a date written as YYYY-MM-DD").format(value=text))
    return match.group(1)


def _json(text: str) -> Any:
    """An answer: JSON (true, 0.5, {"share": 0.5}) when it is, else the text itself."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError:
        # TRUE typed in Excel is a boolean cell, read as the text "True".
        return {"true": True, "false": False}.get(text.lower(), text)


CONVERTERS: dict[str, Callable[[str], Any]] = {
    "text": lambda text: text,
    "decimal": _decimal,
    "integer": _integer,
    "bool": _boolean,
    "date": _date,
    "json": _json,
}
