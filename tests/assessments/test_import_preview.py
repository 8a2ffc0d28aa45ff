"""The import preview's lines: one per changed field, where the workbook shows it, the values
as a person reads them, all in the page's language (no database)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from assessments.import_preview import ChangeLine, change_lines, shown


def _one(language: str, **change: Any) -> ChangeLine:
    with translation.override(language):
        (line,) = change_lines([{"sheet": "", "row": None, "column": "", **change}])
    return line


def test_a_changed_quantity_is_at_its_sheet_row_and_column_by_its_header_label() -> None:
    change = {"path": "/energy/3/quantity", "kind": "changed", "old": "1234.5", "new": "13.10"}
    placed = {**change, "sheet": "energy", "row": 5, "column": "quantity"}
    english = _one("en", **placed)
    assert english.where == ("energy", "row 5", "Quantity")
    assert (english.old, english.new, english.line) == ("1,234.5", "13.10", False)
    assert _one("zh-hans", **placed).where[::2] == ("energy", "年消费量")


def test_a_gate_is_labelled_by_its_id_and_shows_yes_or_no_in_the_page_language() -> None:
    change = {"path": "/gates/G2", "kind": "changed", "old": True, "new": False}
    english = _one("en", **change, sheet="gates", row=3, column="value")
    assert (english.where, english.old, english.new) == (("gates", "G2", "Value"), "yes", "no")
    chinese = _one("zh-hans", **change, sheet="gates", row=3, column="value")
    assert (chinese.where, chinese.old, chinese.new) == (("gates", "G2", "值"), "是", "否")


def test_an_added_line_is_summarised_field_by_field_in_the_sheets_column_order() -> None:
    entry = {"unit": "t", "carrier": "diesel", "quantity": "1200", "monthly": ["100"] * 12}
    line = _one("en", path="/energy/5", kind="added", new=entry, sheet="energy", row=7)
    assert line.line
    assert line.old is None
    assert line.new == (
        "Carrier diesel; Quantity 1,200; Unit t; monthly values " + " / ".join(["100"] * 12)
    )
    assert line.where == ("energy", "row 7")


def test_a_removed_line_says_which_line_of_the_draft_it_was() -> None:
    line = _one("en", path="/credits/1", kind="removed", old={"vintage": 2023}, sheet="credits")
    expected = (("credits", "line 2 of the draft"), "Vintage 2023", None)
    assert (line.where, line.old, line.new) == expected


def test_a_header_field_is_labelled_by_its_field_and_keeps_a_year_ungrouped() -> None:
    line = _one("zh-hans", path="/baseline/year", kind="added", new=2020, sheet="inventory", row=15)
    assert (line.where, line.new) == (("inventory", "baseline.year", "基准年"), "2020")


def test_a_dossier_files_change_keeps_its_path_with_the_value_readable() -> None:
    line = _one("en", path="/answers/P3/share", kind="changed", old="0.5", new="0.75")
    assert (line.where, line.path, line.old, line.new) == ((), "/answers/P3/share", "0.5", "0.75")


def test_values_are_shown_as_a_person_reads_them() -> None:
    with translation.override("en"):
        assert shown(True, "json") == "yes"
        assert shown("12345.60", "decimal") == "12,345.60"
        assert shown("0001", "text") == "0001"
        assert shown(2023, "integer") == "2023"
        assert shown({"share": "0.5", "third_party_verified": False}, "json") == (
            "share 0.5; third_party_verified no"
        )
        assert shown(None, "text") == "—"
