"""The worked examples of ../shared/examples: every expected gate, indicator, total, star level
and zero-carbon flag, exactly after the output's rounding. The metrics are built by hand from
their definitions, so these tests hold whatever the accounting engine does."""

# Chinese texts use full-width punctuation (ruff's confusable rule is off in pyproject).
# ruff: noqa: RUF001, RUF100

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.scoring.present import present

from .support import EXAMPLE_NAMES, expected, score_example


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_gates_of_the_worked_examples_pass_and_fail_as_expected(name: str) -> None:
    shown = present(score_example(name))["gates"]
    assert [(g["id"], g["passed"]) for g in shown] == [
        (g["id"], g["passed"]) for g in expected(name)["gates"]
    ]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_indicator_points_of_the_worked_examples_are_reproduced(name: str) -> None:
    shown = present(score_example(name))["indicators"]
    assert [(i["id"], i["points"]) for i in shown] == [
        (i["id"], i["points"]) for i in expected(name)["indicators"]
    ]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_total_star_level_and_zero_carbon_flag_of_the_worked_examples_are_reproduced(
    name: str,
) -> None:
    shown = present(score_example(name))
    want = expected(name)
    assert (shown["total_score"], shown["star_level"], shown["zero_carbon"]) == (
        want["total_score"],
        want["star_level"],
        want["zero_carbon"],
    )


def test_the_unrated_example_is_held_back_by_g4_with_its_credit_shortfall() -> None:
    result = score_example("demo-dossier")
    assert result.next_level is not None
    assert result.next_level.level == 3
    [unmet] = result.next_level.unmet
    assert unmet.requirement == "gate:G4"
    assert unmet.unit == "tCO2e"
    # E - N = 8922.74 - (4244.8 + 1468)
    assert unmet.shortfall == Decimal("3209.94")
    assert result.limited_by == (
        "G4 failed: neutralisation ratio 0.6403 < 1; 3209.940 tCO2e more credits must be retired.",
    )
    assert result.limited_by_zh == (
        "G4 未通过：中和比例 0.6403 < 1，还需注销 3209.940 tCO2e 碳信用。",
    )


def test_the_rated_example_is_four_stars_and_needs_points_for_five() -> None:
    shown = present(score_example("demo-rated-dossier"))
    assert shown["next_level"] == {
        "level": 5,
        "unmet": [
            {
                "requirement": "total_score",
                "current": Decimal("77.32"),
                "required": Decimal("80.00"),
                "shortfall": Decimal("2.68"),
                "unit": "points",
            }
        ],
    }
    assert shown["limited_by"] == [
        "Total score 77.32 is below the 80 points required for 5★: 2.68 points short."
    ]
