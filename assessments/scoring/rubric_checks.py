"""Validation of a rubric document: its shape (the JSON Schema), then its meaning.

The meaning checks run on a document that already has the right shape: shape problems are
reported alone. Each check returns (JSON path, message) pairs so that `rubric_from_dict` can
report every problem of a file in one go. The meaning rules exist because the engine relies on
them: points must add up (otherwise 100 % is not 100 points), references must resolve, and the
level table must ascend so that "the highest level whose every requirement holds" and "the
level just above" mean what a reader expects.
"""

from __future__ import annotations

import json
import string
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessments.scoring.numbers import from_json_number
from emissions.accounting.results import Metrics

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

Problem = tuple[str, str]

# Computed items score a dimensionless ratio: a `Metrics` attribute holding a Decimal whose name
# carries no unit (names carry units in this code base: `_mwh`, `_tco2e`).
METRIC_NAMES: frozenset[str] = frozenset(
    name
    for name, hint in typing.get_type_hints(Metrics).items()
    if hint in (Decimal, Decimal | None) and not name.endswith(("_mwh", "_tco2e"))
)
GATE_PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "declared": frozenset(),
    "inventory_complete": frozenset(),
    "metric_threshold": frozenset({"value", "required", "shortfall"}),
}
_DEFAULT_TOTAL = Decimal(100)
RUBRICS_DIR = Path(__file__).resolve().parent.parent / "rubrics"
SCHEMA_PATH = RUBRICS_DIR / "rubric.schema.json"


def rubric_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Every problem of a rubric document; empty when it can be used."""
    return _schema_problems(data) or semantic_problems(data)


@cache
def rubric_schema() -> Mapping[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as stream:
        schema: dict[str, Any] = json.load(stream)
    return schema


@cache
def _validator() -> Draft202012Validator:
    # Here: jsonschema is a tenth of a second to import, and a stored edition is not checked
    # again (rubric.stored_rubric), so most processes never check a rubric.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(rubric_schema())


def _schema_problems(data: Mapping[str, Any]) -> list[Problem]:
    errors = sorted(_validator().iter_errors(data), key=lambda error: list(error.absolute_path))
    return [(_pointer(error), _schema_message(error)) for error in errors]


def _pointer(error: ValidationError) -> str:
    return "".join(f"/{pointer_segment(part)}" for part in error.absolute_path)


def pointer_segment(part: object) -> str:
    """RFC 6901: a key holding "/" or "~" stays one JSON-pointer segment."""
    return str(part).replace("~", "~0").replace("/", "~1")


def _schema_message(error: ValidationError) -> str:
    """jsonschema's messages, except for the two `not` rules, whose default text is opaque."""
    if error.validator == "not" and error.validator_value == {}:
        return "not allowed for this kind"
    if error.validator == "not":
        return '"na" is reserved for "not applicable" and cannot be an option value'
    return error.message


def semantic_problems(data: Mapping[str, Any]) -> list[Problem]:
    checks: tuple[Callable[[Mapping[str, Any]], Iterator[Problem]], ...] = (
        _unique_ids,
        _references,
        _points_add_up,
        _item_parameters,
        _levels_ascend,
        _gate_messages,
        _something_answerable,
    )
    return [problem for check in checks for problem in check(data)]


def _duplicates(entries: Sequence[Mapping[str, Any]], path: str, key: str) -> Iterator[Problem]:
    first: dict[object, int] = {}
    for index, entry in enumerate(entries):
        value = entry[key]
        if value in first:
            yield (
                f"{path}/{index}/{key}",
                f"duplicate {key} {value!r} (first at {path}/{first[value]})",
            )
        else:
            first[value] = index


def _unique_ids(data: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _duplicates(data["indicators"], "/indicators", "id")
    yield from _duplicates(data["items"], "/items", "id")
    yield from _duplicates(data.get("flags", []), "/flags", "id")
    yield from _duplicates(data["gates"], "/gates", "id")
    for index, item in enumerate(data["items"]):
        yield from _duplicates(item.get("options", []), f"/items/{index}/options", "value")


def _references(data: Mapping[str, Any]) -> Iterator[Problem]:
    indicators = [indicator["id"] for indicator in data["indicators"]]
    flags = [flag["id"] for flag in data.get("flags", [])]
    for index, item in enumerate(data["items"]):
        if item["indicator"] not in indicators:
            known = ", ".join(indicators)
            yield (
                f"/items/{index}/indicator",
                f"unknown indicator {item['indicator']!r} (known: {known})",
            )
        if "zero_if" in item and item["zero_if"] not in flags:
            known = ", ".join(flags) or "none declared under /flags"
            yield f"/items/{index}/zero_if", f"unknown flag {item['zero_if']!r} (known: {known})"


def _points_add_up(data: Mapping[str, Any]) -> Iterator[Problem]:
    for index, indicator in enumerate(data["indicators"]):
        earned = sum(
            (
                from_json_number(item["points"])
                for item in data["items"]
                if item["indicator"] == indicator["id"]
            ),
            Decimal(0),
        )
        if earned != from_json_number(indicator["max_points"]):
            yield (
                f"/indicators/{index}/max_points",
                f"the items of {indicator['id']} add up to {earned} points, "
                f"not {from_json_number(indicator['max_points'])}",
            )
    total = sum(
        (from_json_number(indicator["max_points"]) for indicator in data["indicators"]), Decimal(0)
    )
    declared = from_json_number(data.get("total_points", _DEFAULT_TOTAL))
    if total != declared:
        path = "/total_points" if "total_points" in data else "/indicators"
        yield path, f"the indicator maxima add up to {total} points, not {declared}"


def _item_parameters(data: Mapping[str, Any]) -> Iterator[Problem]:
    for index, item in enumerate(data["items"]):
        path = f"/items/{index}"
        if item["kind"] == "computed" and item["metric"] not in METRIC_NAMES:
            known = ", ".join(sorted(METRIC_NAMES))
            yield f"{path}/metric", f"unknown metric {item['metric']!r} (known: {known})"
        if "lo" in item and from_json_number(item["hi"]) <= from_json_number(item["lo"]):
            yield f"{path}/hi", f"hi ({item['hi']}) must be greater than lo ({item['lo']})"


def _levels_ascend(data: Mapping[str, Any]) -> Iterator[Problem]:
    total = from_json_number(data.get("total_points", _DEFAULT_TOTAL))
    for boundary, table in data["levels"].items():
        for index, level in enumerate(table):
            path = f"/levels/{boundary}/{index}"
            yield from _level_requirements(level, path, total)
            if index > 0:
                yield from _not_below(table[index - 1], level, path)


def _level_requirements(level: Mapping[str, Any], path: str, total: Decimal) -> Iterator[Problem]:
    yield from _duplicates(level["requirements"], f"{path}/requirements", "metric")
    for index, requirement in enumerate(level["requirements"]):
        minimum = from_json_number(requirement["minimum"])
        if requirement["metric"] == "total_score" and minimum > total:
            yield (
                f"{path}/requirements/{index}/minimum",
                f"{minimum} points can never be reached: the rubric totals {total}",
            )


def _not_below(lower: Mapping[str, Any], level: Mapping[str, Any], path: str) -> Iterator[Problem]:
    """A higher level must ask at least as much as the one below it, requirement by requirement."""
    if level["level"] <= lower["level"]:
        yield f"{path}/level", f"level {level['level']} must be above the previous {lower['level']}"
    current = {
        entry["metric"]: (i, from_json_number(entry["minimum"]))
        for i, entry in enumerate(level["requirements"])
    }
    for entry in lower["requirements"]:
        metric, minimum = entry["metric"], from_json_number(entry["minimum"])
        if metric not in current:
            yield (
                f"{path}/requirements",
                f"level {level['level']} drops the {metric} requirement of level {lower['level']}",
            )
        elif current[metric][1] < minimum:
            yield (
                f"{path}/requirements/{current[metric][0]}/minimum",
                f"{current[metric][1]} is below the {minimum} of level {lower['level']}",
            )


def _gate_messages(data: Mapping[str, Any]) -> Iterator[Problem]:
    for index, gate in enumerate(data["gates"]):
        allowed = GATE_PLACEHOLDERS[gate["kind"]]
        for key, text in gate["messages"].items():
            for language in ("zh", "en"):
                path = f"/gates/{index}/messages/{key}/{language}"
                problem = _placeholder_problem(text[language], allowed)
                if problem:
                    yield path, problem


def _placeholder_problem(text: str, allowed: frozenset[str]) -> str | None:
    """Messages are `str.format` templates: only the kind's named fields, no format specs."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as error:
        return f"malformed template ({error}); write a literal brace as {{{{ or }}}}"
    names = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "none"
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            return f"placeholder {{{field}}} is not allowed here (allowed: {names}, no format spec)"
    return None


def _something_answerable(data: Mapping[str, Any]) -> Iterator[Problem]:
    """An all-"na" dossier would have no applicable maximum to scale the total by."""
    if all(item.get("na_allowed", False) for item in data["items"]):
        yield "/items", 'every item allows "na": at least one item must always count'
