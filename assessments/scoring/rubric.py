"""A rating rubric as frozen, typed data, read from a versioned rubric file.

The platform holds rubrics as data (../shared/spec/rubric.md): a certification body writes a new
edition as a YAML or JSON file and loads it without a code change. `rubric_from_dict` is the one
door into this module: it validates the shape against `assessments/rubrics/rubric.schema.json`
and the meaning (`rubric_checks.py`: points add up, ids unique, references resolve, levels
ascend), and reports every problem with its JSON path at once, so an author fixes a file in one
pass instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Literal

from assessments.scoring.numbers import from_json_number
from assessments.scoring.rubric_checks import RUBRICS_DIR, rubric_problems

DEFAULT_RUBRIC_PATH = RUBRICS_DIR / "t-ceca-g-0171-2022.yaml"
DEFAULT_TOTAL_POINTS = Decimal(100)

ItemKind = Literal["bool", "level", "ratio", "enum", "computed", "footprint"]
GateKind = Literal["declared", "inventory_complete", "metric_threshold"]
BOUNDARY_TYPES = ("I", "II")


class RubricError(ValueError):
    """A rubric file that cannot be used; `problems` holds every (JSON path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {path or '/'}: {message}" for path, message in problems)
        super().__init__(f"invalid rubric ({len(problems)} problem(s)):\n{lines}")


@dataclass(frozen=True)
class Text:
    """A text in both languages the platform shows (reports are bilingual)."""

    zh: str
    en: str

    def format(self, **fields: str) -> Text:
        """Fill a `str.format` template in both languages (fields are checked at load)."""
        return Text(zh=self.zh.format(**fields), en=self.en.format(**fields))


@dataclass(frozen=True)
class Indicator:
    id: str
    name: Text
    max_points: Decimal
    provenance: str


@dataclass(frozen=True, kw_only=True)
class Item:
    """Fields every item kind has; the subclasses add the kind's parameters."""

    kind: ClassVar[ItemKind]
    id: str
    indicator: str
    name: Text
    points: Decimal
    provenance: str
    rule: Text
    na_allowed: bool = False
    zero_if: str | None = None  # a flag id: the item scores 0 when that flag is true


@dataclass(frozen=True, kw_only=True)
class BoolItem(Item):
    kind: ClassVar[ItemKind] = "bool"


@dataclass(frozen=True, kw_only=True)
class LevelItem(Item):
    kind: ClassVar[ItemKind] = "level"
    levels: int  # L: answers are 0..L


@dataclass(frozen=True, kw_only=True)
class RatioItem(Item):
    kind: ClassVar[ItemKind] = "ratio"
    lo: Decimal
    hi: Decimal


@dataclass(frozen=True)
class EnumOption:
    value: str
    fraction: Decimal
    name: Text


@dataclass(frozen=True, kw_only=True)
class EnumItem(Item):
    kind: ClassVar[ItemKind] = "enum"
    options: tuple[EnumOption, ...]

    def option(self, value: str) -> EnumOption | None:
        return next((option for option in self.options if option.value == value), None)


@dataclass(frozen=True, kw_only=True)
class ComputedItem(Item):
    """A ratio the platform computes from the inventory (a `Metrics` attribute)."""

    kind: ClassVar[ItemKind] = "computed"
    metric: str
    lo: Decimal
    hi: Decimal
    none_note: Text | None = None  # shown when the metric is undefined (no baseline, EC = 0)


@dataclass(frozen=True, kw_only=True)
class FootprintItem(Item):
    """PRD-2: a share of products with a footprint, discounted unless third-party verified."""

    kind: ClassVar[ItemKind] = "footprint"
    unverified_fraction: Decimal


AnyItem = BoolItem | LevelItem | RatioItem | EnumItem | ComputedItem | FootprintItem


@dataclass(frozen=True)
class Flag:
    """An auxiliary yes/no answer that modifies an item (obsolete_equipment_present)."""

    id: str
    name: Text
    provenance: str


@dataclass(frozen=True, kw_only=True)
class Gate:
    kind: ClassVar[GateKind]
    id: str
    name: Text
    provenance: str
    rule: Text
    passed: Text


@dataclass(frozen=True, kw_only=True)
class DeclaredGate(Gate):
    kind: ClassVar[GateKind] = "declared"
    failed: Text


@dataclass(frozen=True, kw_only=True)
class InventoryGate(Gate):
    kind: ClassVar[GateKind] = "inventory_complete"
    no_electricity: Text
    no_category_3: Text
    no_category_4: Text


@dataclass(frozen=True, kw_only=True)
class MetricGate(Gate):
    """Passes when a metric reaches `minimum`; messages may use {value} {required} {shortfall}."""

    kind: ClassVar[GateKind] = "metric_threshold"
    metric: str
    minimum: Decimal
    failed: Text


AnyGate = DeclaredGate | InventoryGate | MetricGate


@dataclass(frozen=True)
class Requirement:
    metric: str  # total_score or a ratio metric
    minimum: Decimal
    provenance: str


@dataclass(frozen=True)
class Level:
    level: int
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class _Lookups:
    items: Mapping[str, AnyItem]
    items_of: Mapping[str, tuple[AnyItem, ...]]
    flags: Mapping[str, Flag]


@dataclass(frozen=True)
class Rubric:
    code: str
    edition: str
    status: str
    name: Text
    total_points: Decimal
    indicators: tuple[Indicator, ...]
    items: tuple[AnyItem, ...]
    flags: tuple[Flag, ...]
    gates: tuple[AnyGate, ...]
    levels: Mapping[str, tuple[Level, ...]]  # boundary type -> levels, ascending

    def item(self, item_id: str) -> AnyItem | None:
        return self._lookups.items.get(item_id)

    def items_of(self, indicator_id: str) -> tuple[AnyItem, ...]:
        return self._lookups.items_of.get(indicator_id, ())

    def flag(self, flag_id: str) -> Flag | None:
        return self._lookups.flags.get(flag_id)

    @cached_property
    def _lookups(self) -> _Lookups:
        """Items and flags by id, and each indicator's items, found once: every evaluation
        asks for each of them (the scans were a tenth of scoring). The rubric is frozen, so
        they never change; the first of a repeated id wins, as a scan finds it first."""
        items: dict[str, AnyItem] = {}
        items_of: dict[str, tuple[AnyItem, ...]] = {}
        for item in self.items:
            items.setdefault(item.id, item)
            items_of[item.indicator] = (*items_of.get(item.indicator, ()), item)
        flags: dict[str, Flag] = {}
        for flag in self.flags:
            flags.setdefault(flag.id, flag)
        return _Lookups(items, items_of, flags)

    def levels_for(self, boundary: str) -> tuple[Level, ...]:
        return self.levels[boundary]


def rubric_from_dict(data: Mapping[str, Any]) -> Rubric:
    """Validate a rubric document (shape, then meaning) and build the `Rubric`.

    Shape errors are reported alone: the meaning checks assume a well-formed document.
    """
    problems = rubric_problems(data)
    if problems:
        raise RubricError(problems)
    return _build_rubric(data)


def stored_rubric(data: Mapping[str, Any]) -> Rubric:
    """The `Rubric` of a document `rubric_from_dict` accepted when it was stored: a stored
    edition never changes, so it is built without being checked again."""
    return _build_rubric(data)


def load_rubric_file(path: Path) -> Rubric:
    """Read a rubric from a YAML (or JSON, a subset of YAML) file."""
    import yaml  # here: stored editions are JSON, and most processes read no file

    with path.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    if not isinstance(data, Mapping):
        raise RubricError([("", f"expected a mapping at the top of {path.name}")])
    return rubric_from_dict(data)


@cache
def load_default_rubric() -> Rubric:
    """The rubric the platform ships (T/CECA-G 0171-2022, edition 2022.1), read once."""
    return load_rubric_file(DEFAULT_RUBRIC_PATH)


# --- build -------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any]) -> Text:
    return Text(zh=data["zh"], en=data["en"])


def _build_rubric(data: Mapping[str, Any]) -> Rubric:
    levels = data["levels"]
    return Rubric(
        code=data["code"],
        edition=data["edition"],
        status=data["status"],
        name=_text(data["name"]),
        total_points=from_json_number(data.get("total_points", DEFAULT_TOTAL_POINTS)),
        indicators=tuple(_indicator(entry) for entry in data["indicators"]),
        items=tuple(_item(entry) for entry in data["items"]),
        flags=tuple(
            Flag(id=entry["id"], name=_text(entry["name"]), provenance=entry["provenance"])
            for entry in data.get("flags", [])
        ),
        gates=tuple(_gate(entry) for entry in data["gates"]),
        levels=MappingProxyType(
            {boundary: tuple(_level(entry) for entry in levels[boundary]) for boundary in levels}
        ),
    )


def _indicator(data: Mapping[str, Any]) -> Indicator:
    return Indicator(
        id=data["id"],
        name=_text(data["name"]),
        max_points=from_json_number(data["max_points"]),
        provenance=data["provenance"],
    )


def _common(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": data["id"],
        "indicator": data["indicator"],
        "name": _text(data["name"]),
        "points": from_json_number(data["points"]),
        "provenance": data["provenance"],
        "rule": _text(data["rule"]),
        "na_allowed": data.get("na_allowed", False),
        "zero_if": data.get("zero_if"),
    }


def _option(data: Mapping[str, Any]) -> EnumOption:
    return EnumOption(
        value=data["value"], fraction=from_json_number(data["fraction"]), name=_text(data["name"])
    )


_ITEM_BUILDERS: Mapping[str, Callable[[Mapping[str, Any], dict[str, Any]], AnyItem]] = {
    "bool": lambda data, common: BoolItem(**common),
    "level": lambda data, common: LevelItem(**common, levels=data["levels"]),
    "ratio": lambda data, common: RatioItem(
        **common, lo=from_json_number(data["lo"]), hi=from_json_number(data["hi"])
    ),
    "enum": lambda data, common: EnumItem(
        **common, options=tuple(_option(entry) for entry in data["options"])
    ),
    "computed": lambda data, common: ComputedItem(
        **common,
        metric=data["metric"],
        lo=from_json_number(data["lo"]),
        hi=from_json_number(data["hi"]),
        none_note=_text(data["none_note"]) if "none_note" in data else None,
    ),
    "footprint": lambda data, common: FootprintItem(
        **common, unverified_fraction=from_json_number(data["unverified_fraction"])
    ),
}


def _item(data: Mapping[str, Any]) -> AnyItem:
    return _ITEM_BUILDERS[data["kind"]](data, _common(data))


def _gate(data: Mapping[str, Any]) -> AnyGate:
    messages = data["messages"]
    common: dict[str, Any] = {
        "id": data["id"],
        "name": _text(data["name"]),
        "provenance": data["provenance"],
        "rule": _text(data["rule"]),
        "passed": _text(messages["passed"]),
    }
    if data["kind"] == "declared":
        return DeclaredGate(**common, failed=_text(messages["failed"]))
    if data["kind"] == "inventory_complete":
        return InventoryGate(
            **common,
            no_electricity=_text(messages["no_electricity"]),
            no_category_3=_text(messages["no_category_3"]),
            no_category_4=_text(messages["no_category_4"]),
        )
    return MetricGate(
        **common,
        metric=data["metric"],
        minimum=from_json_number(data["minimum"]),
        failed=_text(messages["failed"]),
    )


def _level(data: Mapping[str, Any]) -> Level:
    return Level(
        level=data["level"],
        requirements=tuple(
            Requirement(
                metric=entry["metric"],
                minimum=from_json_number(entry["minimum"]),
                provenance=entry["provenance"],
            )
            for entry in data["requirements"]
        ),
    )
