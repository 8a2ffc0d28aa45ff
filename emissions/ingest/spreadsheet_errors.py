"""The uploaded workbook given back with its errors marked: each bad cell filled red with the
message in a comment, and an `errors` sheet listing every error (sheet, row, column, value,
message) including those without a cell."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from emissions.ingest.spreadsheet_layout import ERRORS_SHEET

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_HEADERS = ("工作表 Sheet", "行 Row", "列 Column", "单元格 Cell", "值 Value", "问题 Problem")
COMMENT_AUTHOR = "ZeroCarbon"


def marked_workbook(data: bytes, errors: Sequence[Mapping[str, Any]]) -> bytes:
    """`errors`: dicts with sheet, row, column, cell, value and message (an import job's)."""
    workbook = load_workbook(io.BytesIO(data))
    by_cell: dict[tuple[str, str], list[str]] = {}
    for error in errors:
        if error.get("cell") and error.get("sheet") in workbook.sheetnames:
            by_cell.setdefault((error["sheet"], error["cell"]), []).append(error["message"])
    for (sheet, cell), messages in by_cell.items():
        target = workbook[sheet][cell]
        target.fill = ERROR_FILL
        target.comment = Comment("\n".join(messages), COMMENT_AUTHOR, width=320, height=120)
    if ERRORS_SHEET in workbook.sheetnames:
        del workbook[ERRORS_SHEET]
    listing = workbook.create_sheet(ERRORS_SHEET, 0)
    listing.append(list(ERROR_HEADERS))
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for error in errors:
        listing.append(
            [
                error.get("sheet") or "",
                error.get("row"),
                error.get("column") or "",
                error.get("cell") or "",
                error.get("value") or "",
                error["message"],
            ]
        )
    for letter, width in zip("ABCDEF", (20, 8, 20, 10, 24, 90), strict=True):
        listing.column_dimensions[letter].width = width
    workbook.active = 0
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
