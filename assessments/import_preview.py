"""What an import would change, as the preview page says it to a consultant.

The import job stores the changes of the diff kernel one per field (`by_field`), JSON-ready and
placed at their sheet, row and column. Here each becomes a line in the page's language: where
(the sheet, the row as the workbook shows it: `row 5` of a list sheet, the gate's or item's id
of the gates and answers sheets, the field of the inventory sheet; the column by its header
label's side in the page language) and the old and new value as a person reads them (yes/no,
decimals exact with grouped thousands, a whole line summarised field by field). A dossier
file's changes have no sheet: the page shows their path, with the values presented alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from emissions.ingest.spreadsheet_layout import (
    ANSWERS_SHEET,
    GATES_SHEET,
    HEADER_FIELDS,
    KEY_VALUE_HEADERS,
    LIST_SHEETS,
    VALUE,
    Column,
    label_sides,
)
from zerocarbon.templatetags import EMPTY, chinese, num

_DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_HEADER_COLUMNS = {column.key: column for column in HEADER_FIELDS}
_VALUE = Column(VALUE, KEY_VALUE_HEADERS[VALUE], "json")
_GATE = Column(VALUE, KEY_VALUE_HEADERS[VALUE], "bool")


@dataclass(frozen=True)
class ChangeLine:
    kind: str  # "added", "removed" or "changed"
    line: bool  # a whole line of a list sheet added or removed
    where: tuple[str, ...]  # sheet, row, column; empty for a dossier file (see `path`)
    path: str
    old: str | None  # None: nothing before (added)
    new: str | None  # None: nothing after (removed)


def change_lines(changes: Iterable[Mapping[str, Any]]) -> list[ChangeLine]:
    """The stored changes of an import job as the preview lists them."""
    return [_line(change) for change in changes]


def _line(change: Mapping[str, Any]) -> ChangeLine:
    path, kind = str(change["path"]), str(change["kind"])
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    column, row, line = _place(parts, change.get("row"))
    sheet = str(change.get("sheet") or "")
    where = tuple(part for part in (sheet, row, _label(column)) if part) if sheet else ()
    return ChangeLine(
        kind=kind,
        line=line,
        where=where,
        path=path,
        old=None if kind == "added" else _shown(change.get("old"), parts, column, line),
        new=None if kind == "removed" else _shown(change.get("new"), parts, column, line),
    )


def _place(parts: list[str], row: Any) -> tuple[Column | None, str, bool]:
    """The column of a path, the row's label, and whether the path is a whole line."""
    section = parts[0] if parts else ""
    if section in LIST_SHEETS and len(parts) > 1 and parts[1].isdigit():
        return _list_column(section, parts[2:]), _row(row, int(parts[1])), len(parts) == 2
    if section in (GATES_SHEET, ANSWERS_SHEET) and len(parts) > 1:
        return (_GATE if section == GATES_SHEET else _VALUE), "/".join(parts[1:]), False
    key = ".".join(parts[:2]) if ".".join(parts[:2]) in _HEADER_COLUMNS else section
    return _HEADER_COLUMNS.get(key), key, False


def _list_column(sheet: str, rest: list[str]) -> Column | None:
    if not rest:
        return None
    key = f"monthly.{rest[1]}" if rest[0] == "monthly" and len(rest) > 1 else rest[0]
    return next((column for column in LIST_SHEETS[sheet] if column.key == key), None)


def _row(row: Any, index: int) -> str:
    if isinstance(row, int):
        return _("row {row}").format(row=row)
    # A line removed: the uploaded workbook has no row of it any more.
    return _("line {number} of the draft").format(number=index + 1)


def _label(column: Column | None) -> str:
    return _side(column.label) if column is not None else ""


def _side(label: str) -> str:
    zh, en = label_sides(label)
    return zh if chinese() else en


def _shown(value: Any, parts: list[str], column: Column | None, line: bool) -> str:
    if line and isinstance(value, Mapping):
        return _summary(parts[0], value)
    return shown(value, column.kind if column is not None else "text")


def _summary(sheet: str, entry: Mapping[str, Any]) -> str:
    """A whole line, field by field in the sheet's column order: `能源品种 diesel; 年消费量 85`."""
    fields = []
    for column in LIST_SHEETS[sheet]:
        if column.key == "monthly.0" and entry.get("monthly"):
            months = " / ".join(shown(value, "decimal") for value in entry["monthly"])
            fields.append(f"{_('monthly values')} {months}")
        elif not column.key.startswith("monthly.") and entry.get(column.key) is not None:
            fields.append(f"{_side(column.label)} {shown(entry[column.key], column.kind)}")
    return "; ".join(fields)


def shown(value: Any, kind: str) -> str:
    """A JSON-ready value as a person reads it: booleans as yes/no, decimals (and the numbers
    of an answer) exact with grouped thousands, a list or group of fields item by item."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Mapping):
        return "; ".join(f"{key} {shown(item, kind)}" for key, item in value.items())
    if isinstance(value, list):
        return " / ".join(shown(item, kind) for item in value)
    if kind == "decimal" or (kind == "json" and _is_number(value)):
        return num(value)
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int) or (
        isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value) is not None
    )
