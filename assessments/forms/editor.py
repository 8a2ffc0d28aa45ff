"""Forms of the inventory editor. They only carry text: every value goes into the inventory's
document as typed and the dossier reader judges it (one validation path), so these forms
check nothing themselves. A list section is a table of rows named `r-<row>-<key>` (the 12
monthly values `r-<row>-monthly-<month>`), with `rows` their count; a row left blank or
marked `r-<row>-remove` is no line."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from emissions.dossier.layout import (
    DEFAULT_GRID_FACTOR_SCOPE,
    DEFAULT_GWP_SET,
    INTEGER_KEYS,
    SECTION_KEYS,
)
from emissions.models import Inventory
from zerocarbon.errors import FieldError

MONTHS = 12
# More rows than a browser form carries (Django refuses more than 1,000 fields anyway):
# larger inventories come as spreadsheets or dossiers.
MAX_ROWS = 500
_INTEGER = re.compile(r"-?[0-9]{1,9}")
BOUNDARIES = (("I", _("Type I (categories 1–2)")), ("II", _("Type II (categories 1–4)")))
GWP_SETS = (("AR4", "AR4"), ("AR5", "AR5"), ("AR6", "AR6"))
GRID_SCOPES = (
    ("national", _("National")),
    ("regional", _("Regional")),
    ("provincial", _("Provincial")),
)
Errors = dict[str, list[str]]
_INTEGER_FIELDS = frozenset({"year", "baseline_year"})


def as_typed(key: str, text: str) -> Any:
    """A form's text as the document value: whole numbers for the integer keys (a typo stays
    text, so that the reader names it at its field), everything else as typed."""
    if key in INTEGER_KEYS and _INTEGER.fullmatch(text):
        return int(text)
    return text


def errors_by_path(errors: Sequence[FieldError]) -> Errors:
    found: Errors = {}
    for error in errors:
        found.setdefault(error.path or "/", []).append(error.message)
    return found


# Inventory's own fields: plain forms whose ids are the document paths' anchors (f-year).


class _DocumentFieldsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)

    def document_fields(self) -> dict[str, Any]:
        """The typed fields as the service takes them (blank: None, the field cleared)."""
        texts = {name: str(self.data.get(name, "")).strip() for name in self.fields}
        return {
            name: (int(text) if name in _INTEGER_FIELDS and _INTEGER.fullmatch(text) else text)
            if text
            else None
            for name, text in texts.items()
        }

    def add_errors(self, errors: Errors) -> Errors:
        """The errors at this form's fields, added to them; the others are returned."""
        others: Errors = {}
        for path, messages in errors.items():
            name = path.removeprefix("/")
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
            else:
                others[path] = messages
        return others


def _text(label: StrOrPromise, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.TextInput(attrs={"autocomplete": "off", **attrs})
    )


def _choice(label: StrOrPromise, choices: Sequence[tuple[str, Any]]) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices))


class HeaderForm(_DocumentFieldsForm):
    """Year, boundary, GWP set and grid-factor scope: a new inventory's or an edited one's."""

    year = _text(_("Year"), inputmode="numeric")
    boundary = _choice(_("Boundary"), BOUNDARIES)
    gwp_set = _choice(_("GWP set"), GWP_SETS)
    grid_factor_scope = _choice(_("Grid factor scope"), GRID_SCOPES)

    @classmethod
    def of(cls, inventory: Inventory) -> HeaderForm:
        return cls(initial={name: getattr(inventory, name) for name in cls.base_fields})

    @classmethod
    def new(cls, year: int) -> HeaderForm:
        """A new inventory's form: the year proposed, the dossier's defaults chosen."""
        initial = {"gwp_set": DEFAULT_GWP_SET, "grid_factor_scope": DEFAULT_GRID_FACTOR_SCOPE}
        return cls(initial={"year": year, **initial})


class ProductionForm(_DocumentFieldsForm):
    """Production output (intensity, RED-4) and the baseline year it is compared with."""

    production_output = _text(_("Output"), inputmode="decimal")
    production_unit = _text(_("Unit of output"))
    baseline_year = _text(_("Baseline year"), inputmode="numeric")
    baseline_emissions_tco2e = _text(_("Baseline emissions (tCO2e)"), inputmode="decimal")
    baseline_output = _text(_("Baseline output"), inputmode="decimal")

    @classmethod
    def of(cls, inventory: Inventory) -> ProductionForm:
        initial = {name: getattr(inventory, name) for name in cls.base_fields}
        return cls(initial={k: "" if v is None else _plain(v) for k, v in initial.items()})


def _plain(value: Any) -> str:
    text = format(value, "f") if not isinstance(value, int | str) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


# List sections: rows of text, parsed from and rendered to the table.


@dataclass
class Row:
    """One line as the form carries it: each key's text and the 12 monthly texts."""

    values: dict[str, str]
    monthly: list[str] = field(default_factory=lambda: [""] * MONTHS)

    @property
    def blank(self) -> bool:
        return not any(self.values.values()) and not any(self.monthly)


def row_keys(section: str) -> tuple[str, ...]:
    return tuple(key for key in SECTION_KEYS[section] if key != "monthly")


def blank_row(section: str) -> Row:
    return Row({key: "" for key in row_keys(section)})


def rows_from_post(section: str, data: Mapping[str, Any], *, keep_blank: bool = False) -> list[Row]:
    """The rows typed, in their order: removed ones left out, and blank ones too unless
    `keep_blank` (adding a line keeps the blank lines shown, so that one more appears)."""
    count = _count(data.get("rows"))
    rows = []
    for index in range(count):
        prefix = f"r-{index}-"
        if data.get(prefix + "remove"):
            continue
        values = {key: str(data.get(prefix + key, "")).strip() for key in row_keys(section)}
        if "verified" in values:
            values["verified"] = "on" if values["verified"] else ""
        monthly = [str(data.get(f"{prefix}monthly-{m}", "")).strip() for m in range(MONTHS)]
        row = Row(values, monthly)
        if keep_blank or not row.blank:
            rows.append(row)
    return rows


def _count(text: Any) -> int:
    try:
        return max(0, min(int(str(text)), MAX_ROWS))
    except ValueError:
        return 0


def rows_from_document(section: str, entries: Sequence[Mapping[str, Any]]) -> list[Row]:
    """The stored lines (a document's entries: decimal strings, ISO dates) as rows."""
    rows = []
    for entry in entries:
        values = {key: _shown(entry.get(key)) for key in row_keys(section)}
        monthly = [str(month) for month in entry.get("monthly") or [""] * MONTHS]
        rows.append(Row(values, monthly))
    return rows


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def entries_of(section: str, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """The rows as the section's document entries: what was typed, blanks left out."""
    return [_entry(section, row) for row in rows]


def _entry(section: str, row: Row) -> dict[str, Any]:
    entry: dict[str, Any] = {
        key: as_typed(key, text) for key, text in row.values.items() if text and key != "verified"
    }
    if "verified" in row.values:
        entry["verified"] = bool(row.values["verified"])
    if section == "energy" and any(row.monthly):
        entry["monthly"] = list(row.monthly)
    return entry
