"""The cheapest ways to the next star (assessments/evaluation/ladder.py), from scored results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assessments.evaluation.ladder import Ladder, Opportunity, effort, ladder
from assessments.scoring import present
from assessments.scoring.rubric import load_default_rubric

from .support import D, run, score_example, with_answers

RUBRIC = load_default_rubric()


def presented(**kwargs: Any) -> dict[str, Any]:
    return present.present(run(**kwargs))


def by_id(found: Ladder) -> dict[str, Opportunity]:
    return {o.item_id: o for o in found.opportunities}


@pytest.mark.parametrize(
    ("item_id", "value", "expected"),
    [
        ("INF-1", None, "answer"),
        ("INF-1", 1, "improve"),
        ("PRD-2", None, "answer"),
        ("ERU-2", "meets_limit", "improve"),
        ("ERU-1", D("0.5"), "instrument"),
        ("OFS-1", D("0.5"), "instrument"),
        ("OFS-2", None, "instrument"),
        ("OFS-3", D("0"), "instrument"),
        ("ERU-4", D("0.4"), "operations"),
        ("RED-3", D("0.1"), "operations"),
        ("RED-4", None, "operations"),
    ],
)
def test_each_kind_of_item_has_the_effort_its_missing_points_take(
    item_id: str, value: object, expected: str
) -> None:
    item = RUBRIC.item(item_id)
    assert item is not None
    assert effort(item, value) == expected


def test_a_six_star_factory_has_no_next_level_and_nothing_to_gain() -> None:
    found = ladder(presented(), RUBRIC)
    assert (found.level, found.unmet, found.points_missing) == (None, (), D(0))
    assert found.opportunities == ()
    assert not found.answers_close_score_gap


def test_unanswered_items_come_first_then_improvements_then_instruments_by_points_gained() -> None:
    answers = with_answers(**{"RED-1": None, "ICT-4": None, "INF-1": 1})
    found = ladder(presented(answers=answers, co=D(500), rc=D(500)), RUBRIC)
    assert [(o.item_id, o.effort, o.gain, o.total_gain) for o in found.opportunities] == [
        ("RED-1", "answer", D("5.00"), D("5.00")),
        ("ICT-4", "answer", D("2.00"), D("2.00")),
        ("INF-1", "improve", D("2.00"), D("2.00")),
        ("OFS-1", "instrument", D("7.50"), D("7.50")),
        ("OFS-3", "instrument", D("1.50"), D("1.50")),
    ]
    assert found.answer_gain == D("7.00")


def test_the_next_level_lists_every_unmet_requirement_with_its_shortfall_and_sentence() -> None:
    answers = with_answers(**{"RED-1": None, "ICT-4": None, "INF-1": 1})
    result = presented(answers=answers, co=D(500), rc=D(500))
    found = ladder(result, RUBRIC)
    assert found.level == 3
    assert [(u.requirement, u.shortfall, u.unit) for u in found.unmet] == [
        ("gate:G4", D("500.000"), "tCO2e"),
    ]
    assert found.unmet[0].sentence.en == result["limited_by"][0]
    assert found.unmet[0].sentence.zh == result["limited_by_zh"][0]
    assert found.points_missing == D(0)


def test_points_missing_are_the_score_shortfall_and_answers_alone_may_close_it() -> None:
    # Score 90 less RED-1 (5) and OFS-4 (2), less ICT-2 (3) answered as false: 90 short of 6★.
    answers = with_answers(**{"RED-1": None, "OFS-4": None, "ICT-2": False, "RED-2": 0})
    found = ladder(presented(answers=answers), RUBRIC)
    assert found.level == 6
    assert [u.requirement for u in found.unmet] == ["total_score"]
    assert found.points_missing == D("4.00")  # 100 - 5 - 2 - 3 - 4 = 86
    assert found.answer_gain == D("7.00")
    assert found.answers_close_score_gap


def test_answers_that_do_not_cover_the_score_gap_say_so() -> None:
    answers = with_answers(**{"OFS-4": None, "ICT-2": False, "RED-2": 0, "RED-1": False})
    found = ladder(presented(answers=answers), RUBRIC)
    assert found.points_missing == D("4.00")
    assert found.answer_gain == D("2.00")
    assert not found.answers_close_score_gap


def test_items_answered_na_are_left_out_and_their_indicator_rescales_the_gain() -> None:
    # ERU (20): ERU-2 (4) is "na", so the other items count x 20/16; ERU-3 (2) is worth 2.5.
    answers = with_answers(**{"ERU-2": "na", "ERU-3": None})
    found = by_id(ladder(presented(answers=answers), RUBRIC))
    assert "ERU-2" not in found
    assert (found["ERU-3"].gain, found["ERU-3"].total_gain) == (D("2.00"), D("2.50"))


def test_an_indicator_that_does_not_apply_rescales_the_total_gain_of_the_others() -> None:
    result = _two_indicators(first_points=None, second=[("INF-1", "1.5", "3", 1)])
    found = by_id(ladder(result, RUBRIC))
    # Only INF (max 10 of 100) applies, and of it one item of 3: a point counts 10/3 x 100/10.
    assert (found["INF-1"].gain, found["INF-1"].total_gain) == (D("1.50"), D("50.00"))
    assert found["INF-1"].points == D("1.5")
    assert found["INF-1"].max_points == D("3")


def test_items_the_rubric_does_not_know_or_at_their_maximum_are_not_opportunities() -> None:
    result = _two_indicators(
        first_points=None,
        second=[("NOT-AN-ITEM", "0", "3", None), ("INF-2", "2", "2", D(1))],
    )
    assert ladder(result, RUBRIC).opportunities == ()


def test_a_gate_the_result_does_not_describe_is_named_by_its_requirement() -> None:
    result = _two_indicators(first_points=None, second=[("INF-2", "2", "2", D(1))])
    result["next_level"] = {
        "level": 4,
        "unmet": [{"requirement": "gate:G1", "current": False, "required": True,
                   "shortfall": None, "unit": None}],
    }  # fmt: skip
    found = ladder(result, RUBRIC)
    assert [(u.requirement, u.shortfall, u.sentence.en, u.change) for u in found.unmet] == [
        ("gate:G1", None, "gate:G1", None)
    ]
    assert found.instrument_changes == {}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"answers": with_answers(**{"RED-1": None, "OFS-4": None}), "re_mwh": D(400)},
        {"boundary": "II", "rc": D(0), "re_mwh": D(990)},
        {"ec": D(0), "re_mwh": D(0)},
        {"gates": {"G1": False, "G2": True}},
    ],
    ids=["score-and-renewables", "removals", "undefined-share", "declared-gate"],
)
def test_the_sentences_in_both_languages_are_the_scoring_kernels(kwargs: dict[str, Any]) -> None:
    result = presented(**kwargs)
    found = ladder(result, RUBRIC)
    assert found.unmet
    assert [u.sentence.en for u in found.unmet] == result["limited_by"]
    assert [u.sentence.zh for u in found.unmet] == result["limited_by_zh"]


def test_each_amount_shortfall_is_a_what_if_change_rounded_up_to_suffice() -> None:
    # 6★ type II: renewables (MWh) and removals (tCO2e) short; the score is enough.
    result = presented(boundary="II", rc=D("0.3333"), re_mwh=D("990.0004"))
    found = ladder(result, RUBRIC)
    by_requirement = {u.requirement: u for u in found.unmet}
    green = by_requirement["renewable_electricity_share"]
    removals = by_requirement["removal_ratio"]
    assert (green.change, green.shortfall, green.amount_to_try) == (
        "extra_green_mwh",
        D("10.000"),
        D("10.001"),
    )
    assert (removals.change, removals.shortfall, removals.amount_to_try) == (
        "extra_removals_tco2e",
        D("999.667"),
        D("999.668"),
    )
    assert found.instrument_changes == {
        "extra_green_mwh": D("10.001"), "extra_removals_tco2e": D("999.668")
    }  # fmt: skip


def test_credits_close_the_neutralisation_gate() -> None:
    found = ladder(presented(co=D(100), rc=D(100), re_mwh=D(400)), RUBRIC)
    assert [(u.requirement, u.change, u.amount_to_try) for u in found.unmet] == [
        ("gate:G4", "extra_credits_tco2e", D("900.001"))
    ]


def test_two_shortfalls_closed_by_the_same_change_try_the_larger_amount() -> None:
    result = _two_indicators(first_points=None, second=[("INF-2", "2", "2", D(1))])
    rows = [
        {"requirement": requirement, "current": D("0.5"), "required": D(1),
         "shortfall": D(shortfall), "unit": "tCO2e"}
        for requirement, shortfall in (("neutralisation_ratio", "7"), ("gate:G4", "5"))
    ]  # fmt: skip
    result["next_level"] = {"level": 6, "unmet": rows}
    found = ladder(result, RUBRIC)
    assert found.instrument_changes == {"extra_credits_tco2e": D("7.001")}


def test_a_score_shortfall_is_no_what_if_amount() -> None:
    answers = with_answers(**{"RED-1": None, "OFS-4": None, "ICT-2": False, "RED-2": 0})
    (score,) = ladder(presented(answers=answers), RUBRIC).unmet
    assert (score.requirement, score.change, score.amount_to_try, score.as_changes) == (
        "total_score",
        None,
        None,
        {},
    )


def test_the_demo_dossier_needs_credits_and_every_missing_point_is_listed_once() -> None:
    result = present.present(score_example("demo-dossier"))
    found = ladder(result, RUBRIC)
    assert found.level == 3
    assert [u.requirement for u in found.unmet] == ["gate:G4"]
    ids = [o.item_id for o in found.opportunities]
    assert len(ids) == len(set(ids))
    # Without "na" answers the gains are the item gains and add up to what the score lacks.
    missing = sum((o.total_gain for o in found.opportunities), Decimal(0))
    assert abs(missing - (Decimal(100) - result["total_score"])) <= Decimal("0.01") * len(ids)


def _two_indicators(
    *, first_points: str | None, second: list[tuple[str, str, str, object]]
) -> dict[str, Any]:
    """A hand-made result: indicator A (max 90, no items, applicable when it has points) and
    INF (max 10) with the items given."""
    items = [
        {"id": item_id, "points": D(points), "max": D(maximum), "value": value}
        for item_id, points, maximum, value in second
    ]
    return {
        "indicators": [
            {"id": "A", "points": None if first_points is None else D(first_points), "max": 90,
             "items": []},
            {"id": "INF", "points": D(0), "max": 10, "items": items},
        ],
        "next_level": None,
    }  # fmt: skip
