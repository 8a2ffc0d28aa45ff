"""The evaluation page's kernel (assessments.evaluation.present, .sentences, .figures): a stored
record said in the page's language, item by item, from the record alone (no database)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from assessments.evaluation import present as presenter
from assessments.evaluation import sentences
from assessments.evaluation.engine import evaluate
from assessments.evaluation.figures import (
    carrier_name,
    electricity_chart,
    emissions_chart,
    monthly_chart,
)
from assessments.scoring.answers import parse_answers, parse_gates
from assessments.scoring.engine import ScoringInput, score
from assessments.scoring.results import ScoreResult
from assessments.scoring.rubric import load_default_rubric
from emissions.accounting import exact_json, translation
from emissions.accounting.engine import account
from emissions.accounting.exact_json import DecimalJSONDecoder
from emissions.accounting.grid import choose_grid_factors
from emissions.accounting.inputs import CarbonCredit, FactoryIdentity, GreenInstrument
from emissions.accounting.instruments import credit_reasons, green_reasons
from emissions.accounting.library import load_default_factor_set
from emissions.dossier import read_dossier
from emissions.dossier.registries import Registry, RegistryDirectory
from tests.conftest import example

AS_OF = date(2025, 6, 30)
FACTORS = load_default_factor_set()
RUBRIC = load_default_rubric()
D = Decimal


@dataclasses.dataclass(frozen=True)
class Record:
    result: dict[str, Any]  # as a stored evaluation reads back (exact JSON: int or Decimal)
    inputs: dict[str, Any]
    scored: ScoreResult  # the scoring kernel's own result, with both languages


def record(data: dict[str, Any], registries: RegistryDirectory | None = None) -> Record:
    read = read_dossier(data, factors=FACTORS, as_of=AS_OF, registries=registries or NO_DIR)
    answers = parse_answers(RUBRIC, read.answers_raw)
    gates = parse_gates(RUBRIC, read.gates_raw)
    evaluated = evaluate(
        read, factors=FACTORS, rubric=RUBRIC, answers=answers, gates=gates, as_of=AS_OF,
        code_version="test",
    )  # fmt: skip
    stored = json.loads(exact_json.dumps(evaluated.result), cls=DecimalJSONDecoder)
    accounting = account(read.inventory, FACTORS, AS_OF)
    scored = score(
        RUBRIC,
        ScoringInput(
            boundary=read.inventory.boundary,
            emissions_tco2e=accounting.emissions.boundary_total,
            metrics=accounting.metrics,
            answers=answers,
            declared_gates=gates,
        ),
    )
    return Record(stored, evaluated.inputs, scored)


NO_DIR = RegistryDirectory()


def rated() -> dict[str, Any]:
    return example("demo-rated-dossier")


def _without_green() -> dict[str, Any]:
    data = rated()
    data["green_electricity"] = []
    return data


def _without_answers() -> dict[str, Any]:
    data = rated()
    data["answers"] = {}
    return data


def _undeclared_gate() -> dict[str, Any]:
    data = rated()
    data["gates"] = {"G1": False, "G2": True}
    return data


def _invalid_instruments() -> dict[str, Any]:
    data = rated()
    data["credits"][0]["beneficiary"] = "另一家公司"
    data["credits"][0]["retired_on"] = "2025-12-31"
    data["green_electricity"][0]["vintage"] = 2022
    return data


def _type_two() -> dict[str, Any]:
    data = rated()
    data["boundary"] = "II"
    return data


def _little_green() -> dict[str, Any]:
    """Neutralised by credits alone, with too little renewable electricity for 4 stars."""
    data = rated()
    data["credits"][0]["quantity_tco2e"] = "40000"
    data["credits"][0]["serial_to"] = "CCER-0002-2023-040000"
    data["green_electricity"][0]["quantity_mwh"] = "1000"
    data["green_electricity"][0]["serial_to"] = "GEC2023000201000"
    return data


DOSSIERS: dict[str, Callable[[], dict[str, Any]]] = {
    "the Suzhou example (G4 fails)": lambda: example("demo-dossier"),
    "the rated Wuxi example (score short of 5 stars)": rated,
    "without green electricity": _without_green,
    "without answers (not rated)": _without_answers,
    "with a gate not declared": _undeclared_gate,
    "with invalid instruments": _invalid_instruments,
    "of boundary type II": _type_two,
    "with too little renewable electricity": _little_green,
}


@pytest.fixture
def marked() -> Iterator[None]:
    """A translation that marks every message it translates: «message»."""
    previous = translation.install(lambda message: f"«{message}»")
    yield
    translation.install(previous)


@pytest.mark.parametrize("case", list(DOSSIERS))
def test_limited_by_is_said_again_exactly_in_both_languages(case: str) -> None:
    stored = record(DOSSIERS[case]())
    assert stored.result["limited_by"] == list(stored.scored.limited_by)
    assert sentences.limited_by(stored.result, zh=False) == stored.result["limited_by"]
    assert sentences.limited_by(stored.result, zh=True) == list(stored.scored.limited_by_zh)


def test_the_examples_cover_gates_scores_and_shares() -> None:
    requirements = {
        str(unmet["requirement"]).split(":")[0]
        for build in DOSSIERS.values()
        for unmet in (record(build()).result["next_level"] or {"unmet": []})["unmet"]
    }
    assert {"gate", "total_score", "renewable_electricity_share"} <= requirements


@pytest.mark.usefixtures("marked")
def test_every_instrument_issue_of_an_evaluation_is_translated_with_its_values() -> None:
    issues = record(_invalid_instruments()).result["instrument_issues"]
    assert len(issues) >= 3
    for issue in issues:
        said = sentences.translated(issue["message"])
        assert said.startswith("«"), issue["message"]
    assert "«vintage 2022 differs from the period year 2023»" in [
        sentences.translated(issue["message"]) for issue in issues
    ]


FACTORY = FactoryIdentity(name="示例工厂", credit_code="91320594MA1EXAMPL2", province="江苏")
GREEN = GreenInstrument(instrument="GEC", registry="中国绿证", quantity_mwh=D(1), vintage=2023)
CREDIT = CarbonCredit(
    instrument="CCER", registry="r", quantity_tco2e=D(1), vintage=2023, kind="avoidance",
    serial_from="A1", serial_to="A1", retired_on=date(2024, 1, 1), beneficiary="示例工厂",
)  # fmt: skip


def _kernel_sentences() -> list[str]:
    """Every sentence the instrument check, the grid factor choice and the reader write."""
    green = [
        dataclasses.replace(GREEN, registry=" ", quantity_mwh=D(-1), vintage=None),
        dataclasses.replace(GREEN, instrument="XYZ"),
        dataclasses.replace(GREEN, instrument="GREEN_POWER"),
        dataclasses.replace(GREEN, instrument="I-REC", vintage=2025),
    ]
    credits = [
        dataclasses.replace(CREDIT, serial_from=None, instrument="ABC", kind="k", retired_on=None),
        dataclasses.replace(CREDIT, retired_on=date(2026, 1, 1), beneficiary=None),
        dataclasses.replace(CREDIT, beneficiary="someone"),
    ]
    reasons = [r for item in green for r in green_reasons(item, 2023)]
    reasons += [r for credit in credits for r in credit_reasons(credit, FACTORY, AS_OF)]
    no_residual = dataclasses.replace(
        FACTORS, grid_factors=tuple(f for f in FACTORS.grid_factors if f.kind != "residual")
    )
    for factors, scope, year in [
        (FACTORS, "national", 2030),
        (FACTORS, "national", 1990),
        (FACTORS, "provincial", 2023),
        (FACTORS, "regional", 2030),
        (no_residual, "national", 2023),
    ]:
        reasons += choose_grid_factors(factors, scope, "江苏", year).warnings
    directory = RegistryDirectory.of([Registry("中国绿证")])
    reasons += record(_invalid_instruments(), directory).result["factors"]["warnings"]
    return reasons


def test_the_templates_match_every_sentence_the_kernels_write() -> None:
    written = _kernel_sentences()
    assert len(written) >= 19
    for sentence in written:
        assert sentences.translated(sentence) == sentence  # English: said again word for word
    previous = translation.install(lambda message: f"«{message}»")
    try:
        for sentence in written:
            assert sentences.translated(sentence).startswith("«"), sentence
    finally:
        translation.install(previous)


@pytest.mark.usefixtures("marked")
def test_scope_words_inside_values_are_translated_and_unknown_sentences_pass_through() -> None:
    said = sentences.translated(
        "no regional (east) grid factor published for 2030; using 2023, the latest earlier year"
    )
    expected = (
        "«no {scope} grid factor published for {year}; using {used}, the latest earlier year»"
    )
    assert said == expected.format(scope="«regional» (east)", year="2030", used="2023")
    assert sentences.translated("a sentence of a newer kernel") == "a sentence of a newer kernel"
    assert sentences.translated_all(["no registry named"]) == ["«no registry named»"]


def _unmet(**fields: object) -> dict[str, Any]:
    return {"requirement": "total_score", "current": D("50"), "required": 60, "shortfall": D(10),
            "unit": "points", **fields}  # fmt: skip


LIMITED_BY = {
    "no next level: the stored sentences": (None, ["stored"], ["stored"]),
    "an undefined share": (
        {
            "level": 4,
            "unmet": [
                _unmet(
                    requirement="renewable_electricity_share",
                    current=None,
                    required=D("0.3"),
                    shortfall=None,
                )
            ],
        },
        ["stored"],
        ["用电量为 0，无法计算可再生能源电力占比；4★ 要求 0.3。"],
    ),
    "an unknown metric keeps its stored sentence": (
        {"level": 4, "unmet": [_unmet(requirement="water_share")]},
        ["stored"],
        ["stored"],
    ),
    "a gate the record lacks and no stored sentence": (
        {"level": 3, "unmet": [_unmet(requirement="gate:G9", required=True)]},
        [],
        [""],
    ),
    "removal ratio": (
        {
            "level": 6,
            "unmet": [
                _unmet(requirement="removal_ratio", current=0, required=1, shortfall=D("12.5"))
            ],
        },
        ["stored"],
        ["清除比例 0.0000 低于 6★ 要求的 1，还需 12.500 tCO2e 碳清除。"],
    ),
}


@pytest.mark.parametrize("case", list(LIMITED_BY))
def test_limited_by_from_stored_rows(case: str) -> None:
    next_level, stored, expected = LIMITED_BY[case]
    result = {"gates": [], "limited_by": stored, "next_level": next_level}
    assert sentences.limited_by(result, zh=True) == expected


def test_side_and_decimal_read_stored_rows() -> None:
    assert sentences.side({"message": "en", "message_zh": ""}, "message", zh=True) == "en"
    assert sentences.side({"message_zh": "中"}, "message", zh=False) == "中"
    assert sentences.decimal(True) is None
    assert sentences.decimal("1") is None
    assert sentences.decimal(3) == D(3)


def _presented(data: dict[str, Any], *, zh: bool, rubric: bool = True) -> presenter.Presented:
    stored = record(data)
    return presenter.present(
        stored.result, stored.inputs, sha256="f" * 64, rubric=RUBRIC if rubric else None,
        fuel_names={"natural_gas": "天然气"}, zh=zh,
    )  # fmt: skip


def test_the_page_shows_the_record_with_the_rubric_names_and_rules_in_chinese() -> None:
    page = _presented(example("demo-dossier"), zh=True)
    assert page.header.rubric_name == "零碳工厂评价规范"
    assert (page.header.factory, page.header.year, page.header.boundary) == (
        "示例精密制造（苏州）有限公司", 2023, "I",
    )  # fmt: skip
    assert (page.header.as_of, page.header.factor_set_version) == ("2025-06-30", "CN-2025.1")
    assert (page.header.code_version, page.header.sha256) == ("test", "f" * 64)
    assert page.star_level is None
    assert page.zero_carbon is False
    assert page.total_score == D("71.92")
    g4 = page.gates[3]
    assert (g4.id, g4.passed, g4.name) == ("G4", False, "剩余排放完全中和")
    assert g4.message.startswith("G4 未通过")
    lighting = page.indicators[0].items[1]
    assert (lighting.name, lighting.rule, lighting.answer) == ("照明", "高效照明占比", "0.95")
    assert (lighting.points, lighting.max) == (D("1.9"), D(2))
    assert lighting.provenance == "threshold set by platform edition"
    assert page.shortfalls[0].requirement == "G4 剩余排放完全中和"
    assert page.shortfalls[0].shortfall == D("3209.94")
    assert page.next_level == 3
    assert page.data_quality is None
    assert "<svg" in page.figures.emissions
    assert "天然气" in page.figures.monthly_energy


def test_without_its_rubric_edition_ids_stand_in_for_names() -> None:
    page = _presented(example("demo-dossier"), zh=False, rubric=False)
    assert page.header.rubric_name == ""
    assert (page.gates[0].name, page.gates[0].rule) == ("G1", "")
    assert (page.indicators[0].name, page.indicators[0].items[0].name) == ("INF", "INF-1")
    assert page.indicators[0].items[0].answer == "2"
    assert page.indicators[0].items[0].why == ""
    assert page.shortfalls[0].requirement == "G4"


def _item_why(item_id: str, value: object, note: str | None = None) -> tuple[str, str]:
    item = RUBRIC.item(item_id)
    row = {"id": item_id, "value": value, "max": item.points if item else 0, "note": note}
    return presenter.answer(item, value, zh=False), presenter.why(item, row, zh=False)


WHY = {
    "a true bool": (("ICT-2", True), ("yes", "Yes: all 3 points.")),
    "a false bool": (("ICT-2", False), ("no", "No: 0 points.")),
    "a level": (("INF-1", 2), ("2 / 3", "Level 2 of 3: 3 × 2 / 3 points.")),
    "an enum option": (
        ("ERU-2", "advanced"),
        ("advanced value", "4 × 0.75 points for this option."),
    ),
    "an unknown enum option": (
        ("ERU-2", "legendary"),
        ("legendary", "4 × 0 points for this option."),
    ),
    "a ratio": (
        ("INF-2", D("0.95")),
        ("0.95", "0.95 between 0 (0 points) and 1 (all 2 points), in proportion."),
    ),
    "a verified footprint": (
        ("PRD-2", {"share": D("0.7"), "third_party_verified": True}),
        ("share 0.7, third-party verified", "4 × the share."),
    ),
    "an unverified footprint with its note": (
        ("PRD-2", {"share": D("0.7"), "third_party_verified": False}, "not third-party verified"),
        ("share 0.7, not third-party verified", "not third-party verified"),
    ),
    "not applicable": (("ICT-2", "na", "not applicable"), ("not applicable", "not applicable")),
    "no answer": (("ICT-2", None, "no evidence"), ("—", "no evidence")),
}


@pytest.mark.parametrize("case", list(WHY))
def test_each_item_says_its_answer_and_why_it_earned_its_points(case: str) -> None:
    arguments, expected = WHY[case]
    assert _item_why(*arguments) == expected  # type: ignore[arg-type]


def test_enum_answers_are_the_option_names_of_the_page_language() -> None:
    item = RUBRIC.item("ERU-2")
    assert item is not None
    chinese, english = (presenter.answer(item, "advanced", zh=zh) for zh in (True, False))
    assert chinese != english
    assert "advanced" not in chinese


def test_written_values_and_unknown_units() -> None:
    assert presenter.written(None) == "—"
    assert presenter.written(D("0.9000")) == "0.9000"
    assert presenter.written("text") == "text"
    result = {"next_level": {"level": 3, "unmet": [_unmet(unit="kWh"), _unmet(unit=None)]}}
    rows = presenter.shortfalls(result, RUBRIC, zh=False)
    assert [(row.requirement, row.unit) for row in rows] == [("Total score", "")] * 2
    assert presenter.shortfalls({"next_level": None}, None, zh=False) == []
    unknown = {"next_level": {"level": 4, "unmet": [_unmet(requirement="water_share")]}}
    assert presenter.shortfalls(unknown, RUBRIC, zh=False)[0].provenance == ""


def test_shortfalls_carry_the_provenance_of_their_threshold() -> None:
    platform_score = _presented(rated(), zh=False).shortfalls  # 80 points for 5★ [platform]
    assert [row.provenance for row in platform_score] == ["threshold set by platform edition"]
    standard_gate = _presented(example("demo-dossier"), zh=False).shortfalls  # G4 [std]
    assert [row.provenance for row in standard_gate] == [""]


def test_data_quality_shows_the_score_each_carrier_and_its_warning_in_the_page_language() -> None:
    result = {
        "data_quality": {
            "score": 3,
            "full_year": False,
            "carriers": [{"carrier": "natural_gas", "coverage": D("0.7534")}],
            "warnings": [{"zh": "天然气 的计量表仅覆盖……", "en": "The meters of natural_gas…"}],
        }
    }
    quality = presenter.data_quality(result, {"natural_gas": "天然气"}, zh=True)
    assert quality is not None
    assert (quality.score, quality.full_year) == (3, False)
    assert quality.carriers == (presenter.Coverage("天然气", "75.3 %"),)
    assert quality.warnings == ("天然气 的计量表仅覆盖……",)
    english = presenter.data_quality(result, {}, zh=False)
    assert english is not None
    assert english.carriers[0].carrier == "Natural gas"
    assert english.warnings == ("The meters of natural_gas…",)
    assert presenter.data_quality({"data_quality": None}, {}, zh=True) is None


def test_carriers_are_named_in_the_page_language() -> None:
    assert carrier_name("grid_electricity", {}, zh=True) == "Grid electricity"  # gettext: none
    assert carrier_name("diesel", {"diesel": "柴油"}, zh=True) == "柴油"
    assert carrier_name("diesel", {"diesel": "柴油"}, zh=False) == "Diesel"
    assert carrier_name("lpg", {"lpg": "液化石油气"}, zh=False) == "LPG"
    assert carrier_name("raw_coal", {}, zh=False) == "Raw coal"


def _electricity(dossier: dict[str, Any], **metrics: object) -> str:
    result = {
        "metrics": {"electricity_consumption_mwh": D(14600), "renewable_electricity_mwh": D(10100),
                    **metrics},
        "instrument_issues": [],
    }  # fmt: skip
    return electricity_chart(result, dossier)


GRID = {"carrier": "grid_electricity", "quantity": "12500", "unit": "MWh"}
ONSITE = {"carrier": "onsite_renewable_electricity", "quantity": "2100000", "unit": "kWh"}


def test_electricity_splits_the_green_instruments_by_type_when_none_was_capped() -> None:
    dossier = {
        "energy": [GRID, ONSITE],
        "green_electricity": [
            {"instrument": "GEC", "quantity_mwh": "6000"},
            {"instrument": "GREEN_POWER", "quantity_mwh": "2000"},
        ],
    }
    svg = _electricity(dossier)
    for text in ("2,100.000 MWh", "6,000 MWh", "2,000 MWh", "4,500 MWh", "(GEC)"):
        assert text in svg, text


def test_electricity_shows_one_counted_green_segment_when_the_cap_applied() -> None:
    dossier = {
        "energy": [GRID, ONSITE],
        "green_electricity": [{"instrument": "GEC", "quantity_mwh": "9999"}],
    }
    svg = _electricity(dossier)
    assert "Green certificates and contracts (counted): 8,000.000 MWh" in svg


def test_electricity_leaves_out_invalid_instruments_and_unknown_units() -> None:
    dossier = {
        "energy": [GRID, {**ONSITE, "unit": "barrels"}],
        "green_electricity": [
            {"instrument": "GEC", "quantity_mwh": "10100"},
            {"instrument": "I-REC", "quantity_mwh": "2000"},
        ],
    }
    result = {
        "metrics": {"electricity_consumption_mwh": D(14600), "renewable_electricity_mwh": D(2000)},
        "instrument_issues": [{"path": "/green_electricity/0", "message": "x"}],
    }
    svg = electricity_chart(result, dossier)
    assert "On-site renewable electricity: 0.000 MWh" in svg
    assert "I-REC certificates: 2,000 MWh" in svg
    assert "GEC" not in svg


def test_electricity_without_green_instruments_has_no_green_segment() -> None:
    svg = _electricity({"energy": [GRID, ONSITE]}, renewable_electricity_mwh=D(2100))
    assert "certificates and contracts" not in svg
    assert "Grid electricity without certificates: 12,500 MWh" in svg


def test_emissions_without_a_value_show_a_dash_not_zero() -> None:
    emissions = dict.fromkeys(
        ("category_1", "category_2_location", "category_2_market", "category_3", "category_4"),
        D(1),
    )
    result = {"emissions": {**emissions, "boundary_total": None}, "dossier": {"boundary": "II"}}
    svg = emissions_chart(result)
    assert "outside" not in svg
    assert ">—<" in svg


def test_monthly_values_of_one_carrier_and_unit_add_up() -> None:
    line = {"carrier": "natural_gas", "unit": "t", "monthly": ["1"] * 12}
    svg = monthly_chart({"energy": [line, line, {"carrier": "diesel", "unit": "t"}]}, {}, zh=False)
    assert "▲ 2 t" in svg
    assert "Natural gas" in svg
    assert "Diesel" not in svg
