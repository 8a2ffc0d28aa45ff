"""Gates, star levels and the gap to the next level (rubric.md sections 2 and 4)."""

# Chinese texts use full-width punctuation (ruff's confusable rule is off in pyproject).
# ruff: noqa: RUF001, RUF100

from __future__ import annotations

from typing import Any

import pytest

from assessments.scoring.answers import Answers
from assessments.scoring.engine import ScoringInput, score
from assessments.scoring.results import GateResult, ScoreResult, Unmet
from assessments.scoring.rubric import load_default_rubric, rubric_from_dict

from .support import D, metrics, run, small_rubric_document, with_answers


def gate(result: ScoreResult, gate_id: str) -> GateResult:
    return next(g for g in result.gates if g.id == gate_id)


def unmet(result: ScoreResult) -> list[tuple[str, object, object, object, object]]:
    assert result.next_level is not None
    return [
        (u.requirement, u.current, u.required, u.shortfall, u.unit) for u in result.next_level.unmet
    ]


def test_a_perfect_type_i_factory_is_six_stars_with_nothing_left_to_reach() -> None:
    result = run()
    assert (result.total_score, result.star_level, result.zero_carbon) == (D("100.00"), 6, True)
    assert all(g.passed for g in result.gates)
    assert result.next_level is None
    assert result.limited_by == ()
    assert result.limited_by_zh == ()


LEVELS = [
    # (boundary, answers changed, metric arguments, total, level)
    (
        "I",
        {"ERU-5": "0.9975", "PRD-1": False, "PRD-3": False, "ICT-4": False, "ERU-3": False},
        {},
        "90.00",
        6,
    ),
    (
        "I",
        {"ERU-5": "0.997", "PRD-1": False, "PRD-3": False, "ICT-4": False, "ERU-3": False},
        {},
        "89.99",
        5,
    ),
    ("I", {}, {"re_mwh": D(900)}, "99.20", 5),  # RE 0.90 stops 6 stars, whatever the score
    ("I", {}, {"re_mwh": D(999)}, "99.99", 5),
    ("I", {}, {"re_mwh": D(1000)}, "100.00", 6),  # RE share exactly 1.00
    ("I", {}, {"re_mwh": D(500)}, "96.00", 5),  # RE exactly 0.50
    ("I", {}, {"re_mwh": D(499)}, "95.99", 4),
    ("I", {}, {"re_mwh": D(300)}, "94.40", 4),  # RE exactly 0.30
    ("I", {}, {"re_mwh": D(299)}, "94.39", 3),
    ("II", {}, {"rc": D(1000)}, "100.00", 6),  # removals exactly equal to the residual: RR = 1
    ("II", {}, {"rc": D(999)}, "100.00", 5),  # 3 x 0.999 = 2.997 points -> 99.997 -> 100.00
    ("II", {}, {"gpo": D(400), "co": D(600), "rc": D(600)}, "100.00", 6),  # RR = 600 / (1000 - 400)
    ("I", {}, {"rc": D(0)}, "97.00", 6),  # type I needs NR, not RR
]


@pytest.mark.parametrize(("boundary", "changes", "metric_args", "total", "level"), LEVELS)
def test_the_level_is_the_highest_row_whose_every_requirement_holds(
    boundary: str,
    changes: dict[str, object],
    metric_args: dict[str, Any],
    total: str,
    level: int,
) -> None:
    result = run(boundary=boundary, answers=with_answers(**changes), **metric_args)
    assert (result.total_score, result.star_level) == (D(total), level)
    assert result.zero_carbon is True


def test_a_total_of_exactly_59_995_rounds_up_to_60_and_reaches_three_stars() -> None:
    # lost: ERU-1 8 (RE 0), OFS-3 3 (RR 0), OFS-2 5, RED-3 6, RED-4 6 (no baseline), PRD 10,
    # ICT-4 2, and 0.005 of ERU-5: 100 - 40.005 = 59.995
    answers = with_answers(
        **{
            "PRD-1": False,
            "PRD-2": {"share": "0"},
            "PRD-3": False,
            "ICT-4": False,
            "ERU-5": "0.9975",
        }
    )
    result = run(
        answers=answers,
        re_mwh=D(0),
        rc=D(0),
        offset_quality_ratio=D(0),
        reduction_ratio=D(0),
        intensity_reduction=None,
    )
    assert (result.total_score, result.star_level, result.zero_carbon) == (D("60.00"), 3, True)
    assert unmet(result) == [
        ("total_score", D("60.00"), D(70), D("10.00"), "points"),
        ("renewable_electricity_share", D(0), D("0.3"), D(300), "MWh"),
    ]


def test_a_total_of_exactly_89_995_rounds_up_to_90_and_reaches_six_stars() -> None:
    # perfect data but PRD (10 points) and 0.005 of ERU-5: 100 - 10.005 = 89.995
    answers = with_answers(
        **{"PRD-1": False, "PRD-2": {"share": "0"}, "PRD-3": False, "ERU-5": "0.9975"}
    )
    result = run(answers=answers)
    assert (result.total_score, result.star_level, result.zero_carbon) == (D("90.00"), 6, True)
    assert result.next_level is None


def test_a_total_just_below_89_995_stays_at_five_stars() -> None:
    answers = with_answers(
        **{"PRD-1": False, "PRD-2": {"share": "0"}, "PRD-3": False, "ERU-5": "0.997"}
    )
    result = run(answers=answers)
    assert (result.total_score, result.star_level) == (D("89.99"), 5)
    assert unmet(result) == [("total_score", D("89.99"), D(90), D("0.01"), "points")]


def test_a_total_just_below_59_995_is_not_rated() -> None:
    answers = with_answers(
        **{
            "PRD-1": False,
            "PRD-2": {"share": "0"},
            "PRD-3": False,
            "ICT-4": False,
            "ERU-5": "0.997",
        }
    )
    result = run(
        answers=answers,
        re_mwh=D(0),
        rc=D(0),
        offset_quality_ratio=D(0),
        reduction_ratio=D(0),
        intensity_reduction=None,
    )
    assert (result.total_score, result.star_level, result.zero_carbon) == (D("59.99"), None, False)
    assert unmet(result) == [("total_score", D("59.99"), D(60), D("0.01"), "points")]
    assert result.limited_by == (
        "Total score 59.99 is below the 60 points required for 3★: 0.01 points short.",
    )


def test_a_failed_gate_withholds_the_level_of_otherwise_perfect_data_but_not_the_score() -> None:
    result = run(gates={"G1": False, "G2": True})
    assert (result.total_score, result.star_level, result.zero_carbon) == (D("100.00"), None, False)
    assert gate(result, "G1").passed is False
    assert gate(result, "G1").message.startswith("G1 not declared:")
    assert unmet(result) == [("gate:G1", False, True, None, None)]
    assert result.limited_by == (gate(result, "G1").message,)
    assert result.limited_by_zh == (gate(result, "G1").message_zh,)


def test_a_declared_gate_left_out_counts_as_not_declared() -> None:
    result = run(gates={"G1": True})
    assert gate(result, "G2").passed is False
    assert result.star_level is None


def test_every_failed_gate_is_listed_for_three_stars_in_the_rubric_order() -> None:
    result = run(boundary="II", gates={}, ec=D(0), co=D(0), rc=D(0), has_category_3=False)
    assert [g.passed for g in result.gates] == [False, False, False, False]
    assert result.next_level is not None
    assert result.next_level.level == 3
    assert [u.requirement for u in result.next_level.unmet] == [
        "gate:G1",
        "gate:G2",
        "gate:G3",
        "gate:G4",
    ]


def test_zero_electricity_consumption_fails_g3_and_scores_no_renewable_points() -> None:
    result = run(ec=D(0))
    assert gate(result, "G3").passed is False
    assert gate(result, "G3").message == (
        "G3 failed: electricity consumption is 0 MWh; the inventory must include the factory's "
        "electricity (EC > 0)."
    )
    assert result.star_level is None
    assert unmet(result) == [("gate:G3", False, True, None, None)]


def test_a_type_ii_inventory_without_scope_3_fails_g3_with_every_missing_category() -> None:
    result = run(boundary="II", has_category_3=False, has_category_4=False)
    g3 = gate(result, "G3")
    assert g3.passed is False
    assert g3.message == (
        "G3 failed: a type II boundary needs at least one category 3 (transport) entry. "
        "G3 failed: a type II boundary needs at least one category 4 (products used by the "
        "organisation) entry."
    )
    assert g3.message_zh == (
        "G3 未通过：类型 II 边界须至少有一条第 3 类（运输）排放。"
        "G3 未通过：类型 II 边界须至少有一条第 4 类（组织使用的产品）排放。"
    )
    assert result.star_level is None


def test_a_type_i_inventory_needs_no_scope_3() -> None:
    result = run(boundary="I", has_category_3=False, has_category_4=False)
    assert gate(result, "G3").passed is True
    assert gate(result, "G3").message == "G3 passed: inventory complete for the boundary."


def test_g4_fails_below_full_neutralisation_and_says_how_many_credits_are_missing() -> None:
    result = run(co=D("899.5"))
    g4 = gate(result, "G4")
    assert g4.passed is False
    assert g4.message == (
        "G4 failed: neutralisation ratio 0.8995 < 1; 100.500 tCO2e more credits must be retired."
    )
    assert unmet(result) == [("gate:G4", D("0.8995"), D(1), D("100.5"), "tCO2e")]


def test_zero_emissions_are_fully_neutralised_by_definition() -> None:
    result = run(emissions=D(0), co=D(0), rc=D(0))
    assert gate(result, "G4").passed is True
    assert gate(result, "G4").message == (
        "G4 passed: neutralisation ratio 1.0000 ≥ 1, residual emissions fully neutralised."
    )
    assert result.star_level == 6


def test_a_type_ii_factory_short_of_removals_is_told_the_tco2e_of_removals_needed() -> None:
    # E - GPO = 1000 - 200 = 800 residual; RC = 500: 300 tCO2e of removals short
    result = run(boundary="II", gpo=D(200), co=D(800), rc=D(500))
    assert result.star_level == 5
    assert unmet(result) == [("removal_ratio", D("0.625"), D(1), D(300), "tCO2e")]
    assert result.limited_by == (
        "Removal ratio 0.6250 is below the 1 required for 6★: 300.000 tCO2e more removals needed.",
    )
    assert result.limited_by_zh == (
        "清除比例 0.6250 低于 6★ 要求的 1，还需 300.000 tCO2e 碳清除。",
    )


def test_a_factory_short_of_renewable_electricity_is_told_the_mwh_needed() -> None:
    # 6 stars needs RE share 1: 1.0 x 1200 MWh - 1080 MWh = 120 MWh
    result = run(ec=D(1200), re_mwh=D(1080))
    assert result.star_level == 5
    assert unmet(result) == [("renewable_electricity_share", D("0.9"), D("1.0"), D(120), "MWh")]
    assert result.limited_by == (
        "Renewable electricity share 0.9000 is below the 1 required for 6★: 120.000 MWh more "
        "renewable electricity needed.",
    )


def test_the_next_level_lists_every_unmet_requirement_of_that_level() -> None:
    answers = with_answers(
        **{"PRD-1": False, "PRD-3": False, "ICT-4": False, "ERU-3": False, "RED-1": False}
    )
    result = run(answers=answers, re_mwh=D(950))
    assert (result.total_score, result.star_level) == (D("84.60"), 5)
    assert [u.requirement for u in result.next_level.unmet] == [  # type: ignore[union-attr]
        "total_score",
        "renewable_electricity_share",
    ]


def level_rubric(requirements: list[dict[str, object]]) -> object:
    document = small_rubric_document()
    table = [{"level": 3, "requirements": requirements}]
    document["levels"] = {"I": table, "II": table}
    return document


def test_a_neutralisation_requirement_is_said_in_tco2e_of_credits() -> None:
    rubric = rubric_from_dict(
        level_rubric([{"metric": "neutralisation_ratio", "minimum": 1, "provenance": "std"}])  # type: ignore[arg-type]
    )
    result = run(rubric=rubric, answers={"A-1": True}, gates={}, gpo=D(100), co=D(300))
    assert unmet(result) == [("neutralisation_ratio", D("0.4"), D(1), D(600), "tCO2e")]
    assert result.limited_by == (
        "Neutralisation ratio 0.4000 is below the 1 required for 3★: 600.000 tCO2e more credits "
        "needed.",
    )


def test_an_undefined_renewable_share_never_meets_a_requirement_and_has_no_shortfall() -> None:
    rubric = rubric_from_dict(
        level_rubric(
            [{"metric": "renewable_electricity_share", "minimum": 0.5, "provenance": "std"}]
        )  # type: ignore[arg-type]
    )
    result = run(rubric=rubric, answers={"A-1": True}, gates={}, ec=D(0))
    assert result.star_level is None
    assert unmet(result) == [("renewable_electricity_share", None, D("0.5"), None, "MWh")]
    assert result.limited_by == (
        "The renewable electricity share cannot be computed without electricity consumption; "
        "3★ requires 0.5.",
    )


def test_a_metric_gate_on_an_undefined_share_fails_with_dashes_for_the_numbers() -> None:
    document = small_rubric_document()
    document["gates"] = [
        {
            "id": "G9",
            "kind": "metric_threshold",
            "name": {"zh": "绿电", "en": "Green power"},
            "provenance": "platform",
            "rule": {"zh": "RE ≥ 0.5", "en": "RE ≥ 0.5"},
            "metric": "renewable_electricity_share",
            "minimum": 0.5,
            "messages": {
                "passed": {"zh": "{value}", "en": "RE {value}"},
                "failed": {
                    "zh": "{value} {shortfall}",
                    "en": "RE {value} < {required}: {shortfall} MWh",
                },
            },
        }
    ]
    result = run(
        rubric=rubric_from_dict(document), answers={"A-1": True, "A-2": 1}, gates={}, ec=D(0)
    )
    assert gate(result, "G9").message == "RE — < 0.5: — MWh"
    assert unmet(result) == [("gate:G9", None, D("0.5"), None, "MWh")]


def test_scoring_is_deterministic() -> None:
    assert run(re_mwh=D(450)) == run(re_mwh=D(450))


def test_a_boundary_other_than_i_or_ii_is_refused() -> None:
    with pytest.raises(ValueError, match="boundary must be one of"):
        ScoringInput(
            boundary="III",
            emissions_tco2e=D(1),
            metrics=metrics(),
            answers=Answers(),
            declared_gates={},
        )


def test_an_empty_dossier_scores_only_what_the_inventory_shows() -> None:
    rubric = load_default_rubric()
    result = score(
        rubric,
        ScoringInput(
            boundary="I",
            emissions_tco2e=D(1000),
            metrics=metrics(),
            answers=Answers(),
            declared_gates={},
        ),
    )
    # computed items only: 8 + 2 + 6 + 6 + 15 + 5 + 3
    assert result.total_score == D("45.00")
    assert all(
        i.note == "no evidence"
        for ind in result.indicators
        for i in ind.items
        if i.kind != "computed"
    )


def test_unmet_requirements_carry_both_languages() -> None:
    result = run(re_mwh=D(950))
    assert result.next_level is not None
    [gap] = result.next_level.unmet
    assert isinstance(gap, Unmet)
    assert (
        gap.sentence_zh
        == "可再生能源电力占比 0.9500 低于 6★ 要求的 1，还需 50.000 MWh 可再生能源电力。"
    )
