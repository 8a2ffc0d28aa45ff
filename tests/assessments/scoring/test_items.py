"""Item and indicator points, kind by kind (rubric.md section 3), with the default rubric."""

# Chinese texts use full-width punctuation (ruff's confusable rule is off in pyproject).
# ruff: noqa: RUF001, RUF100

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import items as items_kernel
from assessments.scoring.answers import NA, Footprint, parse_answers
from assessments.scoring.numbers import to_decimal
from assessments.scoring.results import IndicatorResult, ItemResult, ScoreResult
from assessments.scoring.rubric import load_default_rubric, rubric_from_dict
from tests.properties.strategies import answers

from .support import D, run, small_rubric_document, with_answers


def item(result: ScoreResult, item_id: str) -> ItemResult:
    return next(i for ind in result.indicators for i in ind.items if i.id == item_id)


def indicator(result: ScoreResult, indicator_id: str) -> IndicatorResult:
    return next(ind for ind in result.indicators if ind.id == indicator_id)


ANSWERED = [
    # (item, answer, points, note)
    ("ICT-2", True, D(3), None),
    ("ICT-2", False, D(0), None),
    ("INF-1", 2, D(2), None),
    ("INF-1", 0, D(0), None),
    ("ICT-3", 1, D(1), None),
    ("INF-2", "0.95", D("1.9"), None),
    ("INF-2", 0, D(0), None),
    ("INF-3", "0.8", D("2.4"), None),
    ("ERU-2", "below_limit", D(0), None),
    ("ERU-2", "meets_limit", D(1), None),
    ("ERU-2", "advanced", D(3), None),
    ("ERU-2", "benchmark", D(4), None),
    ("PRD-2", {"share": "0.7", "third_party_verified": True}, D("2.8"), None),
    (
        "PRD-2",
        {"share": "0.7", "third_party_verified": False},
        D("1.4"),
        "not third-party verified: × 0.5",
    ),
    ("PRD-2", {"share": "0.7"}, D("1.4"), "not third-party verified: × 0.5"),
    ("ICT-2", None, D(0), "no evidence"),
    ("INF-2", None, D(0), "no evidence"),
    ("PRD-2", None, D(0), "no evidence"),
]


@pytest.mark.parametrize(("item_id", "answer", "points", "note"), ANSWERED)
def test_an_answered_item_earns_its_share_of_the_points_by_kind(
    item_id: str, answer: object, points: Decimal, note: str | None
) -> None:
    result = item(run(answers=with_answers(**{item_id: answer})), item_id)
    assert (result.points, result.note) == (points, note)


def test_a_level_that_does_not_divide_evenly_stays_exact_until_the_total() -> None:
    # INF-4: 2 points x 1 / 3; the total is 100 - 4/3 = 98.666... -> 98.67
    result = run(answers=with_answers(**{"INF-4": 1}))
    assert item(result, "INF-4").points == to_decimal(Fraction(2, 3))
    assert result.total_score == D("98.67")


COMPUTED = [
    # (item, metric overrides, points, note)
    ("ERU-1", {"re_mwh": D(450)}, D("3.6"), None),
    ("ERU-1", {"re_mwh": D(1200)}, D(8), None),  # a share above 1 is capped when scored
    ("ERU-1", {"ec": D(0)}, D(0), "no electricity consumption (EC = 0)"),
    ("ERU-4", {"electrification_share": D("0.3")}, D(0), None),
    ("ERU-4", {"electrification_share": D("0.2")}, D(0), None),  # below lo: clamped to 0
    ("ERU-4", {"electrification_share": D("0.65")}, D(1), None),
    ("ERU-4", {"electrification_share": None}, D(0), "no energy consumption"),
    ("RED-3", {"reduction_ratio": D("0.1")}, D(3), None),
    ("RED-3", {"reduction_ratio": D("0.35")}, D(6), None),  # above hi: clamped to full points
    ("RED-4", {"intensity_reduction": D("0.15")}, D(3), None),
    ("RED-4", {"intensity_reduction": D("-0.2")}, D(0), None),
    ("RED-4", {"intensity_reduction": None}, D(0), "no baseline"),
    ("OFS-1", {"co": D(500)}, D("7.5"), None),
    ("OFS-1", {"co": D(2020)}, D(15), None),  # NR 2.02 scores full points, no more
    ("OFS-2", {"offset_quality_ratio": D("0.5")}, D("2.5"), None),
    ("OFS-3", {"rc": D(250)}, D("0.75"), None),
]


@pytest.mark.parametrize(("item_id", "overrides", "points", "note"), COMPUTED)
def test_a_computed_item_scores_its_metric_between_lo_and_hi(
    item_id: str, overrides: dict[str, Any], points: Decimal, note: str | None
) -> None:
    result = item(run(**overrides), item_id)
    assert (result.points, result.note) == (points, note)


def test_a_computed_item_shows_the_unrounded_metric_as_its_value() -> None:
    result = item(run(re_mwh=D(450)), "ERU-1")
    assert result.value == D("0.45")
    assert result.kind == "computed"


def test_obsolete_equipment_zeroes_the_equipment_item_and_says_why() -> None:
    result = item(run(answers=with_answers(obsolete_equipment_present=True)), "INF-3")
    assert (result.points, result.value) == (D(0), D(1))
    assert result.note == "0 points: obsolete equipment present"
    assert result.note_zh == "0 分：存在国家明令淘汰的落后设备"


def test_a_missing_obsolete_equipment_flag_counts_as_false() -> None:
    result = item(run(answers=with_answers(obsolete_equipment_present=None)), "INF-3")
    assert result.points == D(3)


def test_the_footprint_answer_is_kept_as_its_value() -> None:
    result = item(run(answers=with_answers(**{"PRD-2": {"share": "0.7"}})), "PRD-2")
    assert result.value == Footprint(share=D("0.7"), third_party_verified=False)


def test_a_not_applicable_item_is_left_out_and_its_indicator_rescaled() -> None:
    result = run(answers=with_answers(**{"ERU-2": "na", "ERU-3": False}))
    eru = indicator(result, "ERU")
    assert item(result, "ERU-2").points is None
    assert item(result, "ERU-2").value is NA
    assert item(result, "ERU-2").note == "not applicable"
    # 8 + 0 + 2 + 2 + 2 = 14 of the 16 applicable points, scaled to 20
    assert (eru.points, eru.applicable_max, eru.max_points) == (D("17.5"), D(16), D(20))
    # item points are shown unscaled
    assert item(result, "ERU-1").points == D(8)
    assert result.total_score == D("97.50")


def test_a_not_applicable_item_with_nothing_else_missing_keeps_the_indicator_full() -> None:
    result = run(answers=with_answers(**{"ERU-2": "na"}))
    assert indicator(result, "ERU").points == D(20)
    assert result.total_score == D("100.00")


def small(answers: dict[str, object]) -> ScoreResult:
    return run(rubric=rubric_from_dict(small_rubric_document()), answers=answers, gates={})


def test_an_indicator_whose_items_are_all_not_applicable_has_no_points() -> None:
    result = small({"A-1": True, "A-2": "0.5", "B-1": "na", "B-2": "na"})
    b = indicator(result, "B")
    assert (b.points, b.applicable_max) == (None, D(0))
    assert [i.points for i in b.items] == [None, None]


def test_the_total_is_rescaled_over_the_applicable_indicators() -> None:
    # A earns 45 of its 60 points; B does not apply: total = 45 x 100 / 60 = 75
    result = small({"A-1": True, "A-2": "0.5", "B-1": "na", "B-2": "na"})
    assert indicator(result, "A").points == D(45)
    assert result.total_score == D("75.00")
    assert result.star_level == 3


def test_a_partly_applicable_indicator_is_rescaled_within_itself() -> None:
    # B: B-1 na, B-2 true = 20 of 20 applicable -> 40; total = 45 + 40 = 85
    result = small({"A-1": True, "A-2": "0.5", "B-1": "na", "B-2": True})
    assert indicator(result, "B").points == D(40)
    assert result.total_score == D("85.00")


def test_thirds_from_levels_and_rescaling_add_up_exactly_to_a_tie_that_rounds_up() -> None:
    # A-1 = 20 x 1/3, B = (20 x 1/3) x 40 / 20 = 40/3, A-2 = 40 x 0.999875 = 39.995:
    # 20/3 + 40/3 + 39.995 = 59.995 exactly -> 60.00, which reaches 3 stars
    document = small_rubric_document()
    document["items"][0] |= {"kind": "level", "points": 20, "levels": 3}
    document["items"][1] |= {"points": 40}
    document["items"][3] |= {"kind": "level", "points": 20, "levels": 3}
    answers = {"A-1": 1, "A-2": "0.999875", "B-1": "na", "B-2": 1}
    result = run(rubric=rubric_from_dict(document), answers=answers, gates={})
    assert indicator(result, "B").points == to_decimal(Fraction(40, 3))
    assert (result.total_score, result.star_level) == (D("60.00"), 3)


def test_a_computed_item_without_a_note_of_its_own_says_no_value() -> None:
    document = small_rubric_document()
    document["items"][1] = {
        **document["items"][1],
        "kind": "computed",
        "metric": "intensity_reduction",
    }
    result = run(
        rubric=rubric_from_dict(document),
        answers={"A-1": True},
        gates={},
        intensity_reduction=None,
    )
    assert (item(result, "A-2").points, item(result, "A-2").note) == (D(0), "no value")
    assert item(result, "A-2").note_zh == "无法计算"


RUBRIC = load_default_rubric()
_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**6), max_value=10**6)


@given(value=_DECIMALS, lo=_DECIMALS, hi=_DECIMALS)
def test_a_clamped_share_in_integers_is_the_fraction_clamped(
    value: Decimal, lo: Decimal, hi: Decimal
) -> None:
    """`_clamped` computes in integers; the definition is clamp((v - lo) / (hi - lo), 0, 1)."""
    if hi == lo:
        with pytest.raises(ZeroDivisionError):
            items_kernel._clamped(value, lo, hi)
        return
    share = (Fraction(value) - Fraction(lo)) / (Fraction(hi) - Fraction(lo))
    clamped = items_kernel._clamped(value, lo, hi)
    assert type(clamped) is Fraction
    assert clamped == min(max(share, Fraction(0)), Fraction(1))
    assert (clamped.numerator, clamped.denominator) == (
        min(max(share, Fraction(0)), Fraction(1)).numerator,
        min(max(share, Fraction(0)), Fraction(1)).denominator,
    )


@given(raw=answers())
def test_a_remembered_answer_scores_exactly_as_a_fresh_one(raw: dict[str, object]) -> None:
    """Answered items are scored once per (item, exact value); the result must be the one a
    fresh scoring gives, holding a value written exactly as the answer's (0.30 is not 0.3)."""
    parsed = parse_answers(RUBRIC, raw)
    for rubric_item in RUBRIC.items:
        value = parsed.items.get(rubric_item.id)
        if value is None or value is NA:
            continue
        remembered = items_kernel._answered(rubric_item, value)
        fresh = items_kernel._points_of(rubric_item, value)
        assert items_kernel._answered(rubric_item, value) is remembered
        assert remembered == fresh
        assert repr(remembered.result.value) == repr(value)


def test_equal_decimal_answers_written_differently_are_remembered_apart() -> None:
    ratio = next(i for i in RUBRIC.items if i.kind == "ratio")
    first = items_kernel._answered(ratio, Decimal("0.30"))
    second = items_kernel._answered(ratio, Decimal("0.3"))
    assert str(first.result.value) == "0.30"
    assert str(second.result.value) == "0.3"


def test_a_full_memo_of_answers_starts_again_and_scores_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(items_kernel, "_ANSWERED", {})
    monkeypatch.setattr(items_kernel, "_ANSWERED_LIMIT", 1)
    ratio = next(i for i in RUBRIC.items if i.kind == "ratio")
    first = items_kernel._answered(ratio, Decimal("0.5"))
    second = items_kernel._answered(ratio, Decimal("0.25"))
    assert len(items_kernel._ANSWERED) == 1  # emptied when full, then the new answer kept
    assert (first, second) == (
        items_kernel._points_of(ratio, Decimal("0.5")),
        items_kernel._points_of(ratio, Decimal("0.25")),
    )
