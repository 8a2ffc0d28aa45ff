"""A stored evaluation shaped for a page (and, with the same shape, a PDF report).

Reads the record only: its result, its inputs snapshot and the rubric edition it names, never
live inventory rows. Bilingual data (gates, item notes, rubric names and rules, data-quality
warnings) is picked by `zh`; sentences the record holds in one language are said again in the
page's language (`sentences`); the platform's own words go through the kernels' gettext, so
the caller's active language and `zh` must agree. Numbers stay exact Decimals for the page's
`num` filter; answers and values in sentences are written with their digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assessments.evaluation.figures import Figures, carrier_name, figures
from assessments.evaluation.sentences import choose, decimal, limited_by, side, translated_all
from assessments.scoring import rubric as kernel
from assessments.scoring.numbers import plain
from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop
from emissions.metering.shares import percent_down

PLATFORM = "platform"
DASH = "—"
METRICS = {
    "total_score": gettext_noop("Total score"),
    "renewable_electricity_share": gettext_noop("Renewable electricity share"),
    "neutralisation_ratio": gettext_noop("Neutralisation ratio"),
    "removal_ratio": gettext_noop("Removal ratio"),
}
UNITS = {"points": gettext_noop("points"), "MWh": "MWh", "tCO2e": "tCO2e"}


@dataclass(frozen=True)
class Header:
    factory: str
    year: int
    boundary: str
    rubric_code: str
    rubric_edition: str
    rubric_name: str
    as_of: str
    factor_set_version: str
    gwp_set: str
    code_version: str
    sha256: str
    input_sha256: str


@dataclass(frozen=True)
class GateLine:
    id: str
    name: str
    rule: str
    passed: bool
    message: str
    provenance: str  # the label of a platform-set rule; empty for the standard's


@dataclass(frozen=True)
class ItemLine:
    id: str
    name: str
    rule: str
    answer: str
    points: Decimal | None  # None: not applicable
    max: Decimal
    why: str
    provenance: str


@dataclass(frozen=True)
class IndicatorLine:
    id: str
    name: str
    points: Decimal | None
    max: Decimal
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class Shortfall:
    requirement: str
    current: str
    required: str
    shortfall: Decimal | None
    unit: str
    provenance: str = ""  # the label of a threshold the platform edition set


@dataclass(frozen=True)
class Issue:
    path: str
    message: str


@dataclass(frozen=True)
class Coverage:
    carrier: str
    coverage: str  # a percentage, rounded down


@dataclass(frozen=True)
class DataQuality:
    score: object
    full_year: bool
    carriers: tuple[Coverage, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Presented:
    header: Header
    star_level: int | None
    total_score: Decimal
    zero_carbon: bool
    gates: tuple[GateLine, ...]
    indicators: tuple[IndicatorLine, ...]
    limited_by: tuple[str, ...]
    next_level: int | None
    shortfalls: tuple[Shortfall, ...]
    instrument_issues: tuple[Issue, ...]
    factor_warnings: tuple[str, ...]
    data_quality: DataQuality | None
    emissions: Mapping[str, Any]
    metrics: Mapping[str, Any]
    factors: Mapping[str, Any]
    figures: Figures


def provenance(value: str) -> str:
    return _("threshold set by platform edition") if value == PLATFORM else ""


def written(value: object) -> str:
    """A stored value as a sentence writes it: exact digits, yes/no, `—` for none."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    number = decimal(value)
    return format(number, "f") if number is not None else str(value)


def header(
    result: Mapping[str, Any], inputs: Mapping[str, Any], sha256: str, rubric_name: str
) -> Header:
    rubric = inputs["rubric"]
    return Header(
        factory=str(result["dossier"]["factory"]),
        year=int(result["dossier"]["year"]),
        boundary=str(result["dossier"]["boundary"]),
        rubric_code=str(rubric["code"]),
        rubric_edition=str(rubric["edition"]),
        rubric_name=rubric_name,
        as_of=str(inputs["as_of"]),
        factor_set_version=str(inputs["factor_set_version"]),
        gwp_set=str(inputs["gwp_set"]),
        code_version=str(inputs["code_version"]),
        sha256=sha256,
        input_sha256=str(result["input_sha256"]),
    )


def _gate(row: Mapping[str, Any], rubric: kernel.Rubric | None, zh: bool) -> GateLine:
    gate = next((g for g in rubric.gates if g.id == row["id"]), None) if rubric else None
    return GateLine(
        id=str(row["id"]),
        name=choose(gate.name, zh) if gate else str(row["id"]),
        rule=choose(gate.rule, zh) if gate else "",
        passed=bool(row["passed"]),
        message=side(row, "message", zh),
        provenance=provenance(str(row.get("provenance", ""))),
    )


def answer(item: kernel.AnyItem | None, value: object, zh: bool) -> str:
    """An item's answer or computed value as the page shows it."""
    if isinstance(item, kernel.LevelItem) and isinstance(value, int) and value is not True:
        return f"{value} / {item.levels}"
    if isinstance(item, kernel.EnumItem) and isinstance(value, str):
        option = item.option(value)
        return choose(option.name, zh) if option else value
    if isinstance(value, Mapping):  # PRD-2: {"share", "third_party_verified"}
        share = written(value.get("share"))
        if value.get("third_party_verified"):
            return _("share {share}, third-party verified").format(share=share)
        return _("share {share}, not third-party verified").format(share=share)
    if value == "na":
        return _("not applicable")
    return written(value)


def why(item: kernel.AnyItem | None, row: Mapping[str, Any], zh: bool) -> str:
    """The item's note, or how its answer gave its points under the item's rule."""
    note = side(row, "note", zh)
    if note or item is None:
        return note
    value, maximum = row.get("value"), plain(Decimal(row["max"]))
    match item:
        case kernel.BoolItem():
            return _("Yes: all {max} points.").format(max=maximum) if value else _("No: 0 points.")
        case kernel.LevelItem():
            text = _("Level {value} of {levels}: {max} × {value} / {levels} points.")
            return text.format(value=value, levels=item.levels, max=maximum)
        case kernel.EnumItem():
            option = item.option(str(value))
            fraction = plain(option.fraction) if option else "0"
            return _("{max} × {fraction} points for this option.").format(
                max=maximum, fraction=fraction
            )
        case kernel.RatioItem() | kernel.ComputedItem():
            text = _("{value} between {lo} (0 points) and {hi} (all {max} points), in proportion.")
            return text.format(
                value=written(value), lo=plain(item.lo), hi=plain(item.hi), max=maximum
            )
        case _:  # a verified footprint: the share of the points
            return _("{max} × the share.").format(max=maximum)


def _item(row: Mapping[str, Any], rubric: kernel.Rubric | None, zh: bool) -> ItemLine:
    item = rubric.item(str(row["id"])) if rubric else None
    return ItemLine(
        id=str(row["id"]),
        name=choose(item.name, zh) if item else str(row["id"]),
        rule=choose(item.rule, zh) if item else "",
        answer=answer(item, row.get("value"), zh),
        points=decimal(row.get("points")),
        max=Decimal(row["max"]),
        why=why(item, row, zh),
        provenance=provenance(str(row.get("provenance", ""))),
    )


def _indicator(row: Mapping[str, Any], rubric: kernel.Rubric | None, zh: bool) -> IndicatorLine:
    indicator = next((i for i in rubric.indicators if i.id == row["id"]), None) if rubric else None
    return IndicatorLine(
        id=str(row["id"]),
        name=choose(indicator.name, zh) if indicator else str(row["id"]),
        points=decimal(row.get("points")),
        max=Decimal(row["max"]),
        items=tuple(_item(item, rubric, zh) for item in row["items"]),
    )


def _requirement(requirement: str, rubric: kernel.Rubric | None, zh: bool) -> str:
    if requirement in METRICS:
        return _(METRICS[requirement])
    gate_id = requirement.removeprefix("gate:")
    gate = next((g for g in rubric.gates if g.id == gate_id), None) if rubric else None
    return f"{gate_id} {choose(gate.name, zh)}" if gate else gate_id


def _threshold_provenance(
    requirement: str, rubric: kernel.Rubric | None, boundary: str, level: int
) -> str:
    """Where the rubric edition's threshold for `requirement` at `level` comes from."""
    if rubric is None:
        return ""
    gate_id = requirement.removeprefix("gate:")
    sources = [gate.provenance for gate in rubric.gates if gate.id == gate_id]
    for row in rubric.levels.get(boundary, ()):
        if row.level == level:
            sources += [r.provenance for r in row.requirements if r.metric == requirement]
    return provenance(sources[0]) if sources else ""


def shortfalls(
    result: Mapping[str, Any], rubric: kernel.Rubric | None, zh: bool
) -> list[Shortfall]:
    next_level = result.get("next_level") or {"level": 0, "unmet": []}
    boundary, level = str(result.get("dossier", {}).get("boundary")), int(next_level["level"])
    return [
        Shortfall(
            requirement=_requirement(str(unmet["requirement"]), rubric, zh),
            current=written(unmet.get("current")),
            required=written(unmet.get("required")),
            shortfall=decimal(unmet.get("shortfall")),
            unit=_(UNITS[unmet["unit"]]) if unmet.get("unit") in UNITS else "",
            provenance=_threshold_provenance(str(unmet["requirement"]), rubric, boundary, level),
        )
        for unmet in next_level["unmet"]
    ]


def data_quality(
    result: Mapping[str, Any], fuel_names: Mapping[str, str], zh: bool
) -> DataQuality | None:
    quality = result.get("data_quality")
    if not quality:
        return None
    carriers = tuple(
        Coverage(
            carrier_name(str(row["carrier"]), fuel_names, zh),
            percent_down(Decimal(str(row["coverage"]))),
        )
        for row in quality.get("carriers") or []
    )
    warnings = tuple(_either(warning, zh) for warning in quality.get("warnings") or [])
    return DataQuality(quality.get("score"), bool(quality.get("full_year")), carriers, warnings)


def _either(text: Mapping[str, Any], zh: bool) -> str:
    """A stored {zh, en} text in the page's language (the other when that one is empty)."""
    first, second = (text.get("zh"), text.get("en")) if zh else (text.get("en"), text.get("zh"))
    return str(first or second or "")


def _issues(result: Mapping[str, Any]) -> tuple[Issue, ...]:
    rows = result.get("instrument_issues") or []
    messages = translated_all([str(row["message"]) for row in rows])
    return tuple(
        Issue(str(row["path"]), message) for row, message in zip(rows, messages, strict=True)
    )


def present(
    result: Mapping[str, Any],
    inputs: Mapping[str, Any],
    *,
    sha256: str,
    rubric: kernel.Rubric | None,
    fuel_names: Mapping[str, str],
    zh: bool,
) -> Presented:
    """The page of a stored evaluation. `rubric` is the edition the record names (None when
    that edition is not loaded: ids stand in for names and rules)."""
    next_level = result.get("next_level")
    return Presented(
        header=header(result, inputs, sha256, choose(rubric.name, zh) if rubric else ""),
        star_level=result.get("star_level"),
        total_score=Decimal(result["total_score"]),
        zero_carbon=bool(result["zero_carbon"]),
        gates=tuple(_gate(row, rubric, zh) for row in result["gates"]),
        indicators=tuple(_indicator(row, rubric, zh) for row in result["indicators"]),
        limited_by=tuple(limited_by(result, zh)),
        next_level=int(next_level["level"]) if next_level else None,
        shortfalls=tuple(shortfalls(result, rubric, zh)),
        instrument_issues=_issues(result),
        factor_warnings=tuple(translated_all(result["factors"].get("warnings") or [])),
        data_quality=data_quality(result, fuel_names, zh),
        emissions=result["emissions"],
        metrics=result["metrics"],
        factors=result["factors"],
        figures=figures(result, inputs["dossier"], fuel_names=fuel_names, zh=zh),
    )
