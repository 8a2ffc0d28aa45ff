"""The scoring part of the evaluation result: spec field names, half-up rounding in the output
only (points 2 places, ratios 4, tCO2e and MWh 3), Decimals for the JSON writer."""

# Chinese texts use full-width punctuation (ruff's confusable rule is off in pyproject).
# ruff: noqa: RUF001, RUF100

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.scoring.present import present

from .support import D, run, with_answers


def shown_item(shown: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for ind in shown["indicators"] for i in ind["items"] if i["id"] == item_id)


def test_the_result_has_the_spec_fields_and_a_chinese_twin_of_limited_by() -> None:
    assert list(present(run())) == [
        "gates",
        "indicators",
        "total_score",
        "star_level",
        "zero_carbon",
        "limited_by",
        "limited_by_zh",
        "next_level",
    ]


def test_gates_carry_their_message_in_both_languages_and_their_provenance() -> None:
    assert present(run())["gates"][2] == {
        "id": "G3",
        "passed": True,
        "message": "G3 passed: inventory complete for the boundary.",
        "message_zh": "G3 通过：边界内排放清单完整。",
        "provenance": "std",
    }


def test_item_points_round_half_up_to_two_places() -> None:
    # ERU-5: 2 points x 0.0625 = 0.125 -> 0.13 (half-even would give 0.12)
    shown = present(run(answers=with_answers(**{"ERU-5": "0.0625"})))
    assert shown_item(shown, "ERU-5") == {
        "id": "ERU-5",
        "points": D("0.13"),
        "max": D("2.00"),
        "value": D("0.0625"),
        "note": None,
        "note_zh": None,
        "provenance": "platform",
    }
    assert [ind["points"] for ind in shown["indicators"]][2] == D("18.13")


def test_values_are_shown_as_the_dossier_writes_them_with_ratios_to_four_places() -> None:
    shown = present(
        run(
            answers=with_answers(**{"ERU-2": "na", "PRD-2": {"share": "0.33335"}}),
            re_mwh=D(2) / D(3) * 1000,
        )
    )
    assert shown_item(shown, "INF-1")["value"] == 3
    assert shown_item(shown, "ICT-2")["value"] is True
    assert shown_item(shown, "ERU-1")["value"] == D("0.6667")
    assert shown_item(shown, "ERU-2") | {"provenance": None} == {
        "id": "ERU-2",
        "points": None,
        "max": D("4.00"),
        "value": "na",
        "note": "not applicable",
        "note_zh": "不适用",
        "provenance": None,
    }
    assert shown_item(shown, "PRD-2")["value"] == {
        "share": D("0.3334"),
        "third_party_verified": False,
    }


def test_a_missing_answer_shows_no_value_and_no_evidence() -> None:
    shown = present(run(answers=with_answers(**{"RED-5": None})))
    assert shown_item(shown, "RED-5") | {"provenance": None} == {
        "id": "RED-5",
        "points": D("0.00"),
        "max": D("4.00"),
        "value": None,
        "note": "no evidence",
        "note_zh": "无证据",
        "provenance": None,
    }


def test_an_indicator_that_does_not_apply_shows_null_points() -> None:
    from assessments.scoring.rubric import rubric_from_dict

    from .support import small_rubric_document

    shown = present(
        run(
            rubric=rubric_from_dict(small_rubric_document()),
            answers={"B-1": "na", "B-2": "na"},
            gates={},
        )
    )
    assert [(ind["id"], ind["points"], ind["max"]) for ind in shown["indicators"]] == [
        ("A", D("0.00"), D("60.00")),
        ("B", None, D("40.00")),
    ]


def test_shortfalls_round_to_three_places_and_ratios_to_four() -> None:
    # RE share 2/3: 6 stars needs 1000 - 666.6666... = 333.333... MWh
    shown = present(run(ec=D(3000), re_mwh=D(2000)))
    assert shown["star_level"] == 5
    assert shown["next_level"] == {
        "level": 6,
        "unmet": [
            {
                "requirement": "renewable_electricity_share",
                "current": D("0.6667"),
                "required": D("1.0000"),
                "shortfall": D("1000.000"),
                "unit": "MWh",
            }
        ],
    }


def test_a_declared_gate_gap_shows_true_and_false_and_no_shortfall() -> None:
    shown = present(run(gates={"G2": True}))
    assert shown["next_level"] == {
        "level": 3,
        "unmet": [
            {
                "requirement": "gate:G1",
                "current": False,
                "required": True,
                "shortfall": None,
                "unit": None,
            }
        ],
    }
    assert shown["limited_by"][0].startswith("G1 not declared:")
    assert shown["limited_by_zh"][0].startswith("G1 未声明：")


def test_the_g4_gap_is_said_in_tonnes_to_three_places() -> None:
    shown = present(run(co=D("899.4444")))
    [gap] = shown["next_level"]["unmet"]
    assert gap == {
        "requirement": "gate:G4",
        "current": D("0.8994"),
        "required": D("1.0000"),
        "shortfall": D("100.556"),
        "unit": "tCO2e",
    }


def test_every_number_is_a_decimal_for_the_json_writer() -> None:
    shown = present(run(re_mwh=D(950)))
    numbers = [shown["total_score"], *(i["points"] for i in shown["indicators"])]
    assert all(isinstance(n, Decimal) for n in numbers)
    assert shown["total_score"] == D("99.60")
    assert shown["next_level"]["unmet"][0]["shortfall"] == D("50.000")
