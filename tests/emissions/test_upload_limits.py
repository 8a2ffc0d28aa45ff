"""Zip bombs in spreadsheets (issue 11, bad input): an .xlsx that would unpack beyond the
workbook limits is refused in words before pandas or openpyxl expand it."""

from __future__ import annotations

import io
import zipfile

import pytest

from emissions.ingest import spreadsheet_read
from emissions.ingest.spreadsheet_read import UnreadableWorkbook, load_rows


def _archive(parts: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return output.getvalue()


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("pandas was asked to read a zip bomb")

    monkeypatch.setattr("pandas.read_excel", never)
    bomb = _archive({"xl/worksheets/sheet1.xml": b"0" * (65 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024  # small on the wire
    with pytest.raises(UnreadableWorkbook, match="65 MB in 1 parts, more than the 64 MB"):
        load_rows(bomb)


def test_a_workbook_of_too_many_parts_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet_read, "WORKBOOK_MAX_PARTS", 3)
    archive = _archive({f"xl/worksheets/sheet{n}.xml": b"<x/>" for n in range(4)})
    with pytest.raises(UnreadableWorkbook, match="in 4 parts"):
        load_rows(archive)


def test_a_zip_within_the_limits_goes_on_to_the_reader_and_its_own_error() -> None:
    with pytest.raises(UnreadableWorkbook, match="Excel"):
        load_rows(_archive({"hello.txt": b"not a workbook"}))
