"""Reading a dossier's `answers` and `gates` objects: typed by item kind, every error with its
JSON path, all of them at once (dossier.md)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from assessments.scoring.answers import NA, AnswerErrors, Footprint, parse_answers, parse_gates
from assessments.scoring.rubric import load_default_rubric

from .support import FULL_ANSWERS, D

RUBRIC = load_default_rubric()

ACCEPTED = [
    # (item, raw JSON value, typed value)
    ("ICT-2", True, True),
    ("ICT-2", False, False),
    ("INF-1", 0, 0),
    ("INF-1", 3, 3),
    ("INF-1", 2.0, 2),  # a JSON integer written 2.0
    ("INF-1", D("2"), 2),  # from a reader that parses numbers as Decimal
    ("INF-2", "0.95", D("0.95")),
    ("INF-2", ".5", D("0.5")),
    ("INF-2", 0.95, D("0.95")),
    ("INF-2", 1, D(1)),
    ("INF-2", 0, D(0)),
    ("INF-2", D("0.333"), D("0.333")),
    ("ERU-2", "advanced", "advanced"),
    ("ERU-2", "na", NA),
    ("PRD-2", {"share": "0.7", "third_party_verified": True}, Footprint(D("0.7"), True)),
    ("PRD-2", {"share": 0.7}, Footprint(D("0.7"), False)),
]


@pytest.mark.parametrize(("item_id", "raw", "typed"), ACCEPTED)
def test_an_answer_is_typed_by_its_item_kind(item_id: str, raw: object, typed: object) -> None:
    value = parse_answers(RUBRIC, {item_id: raw}).items[item_id]
    assert value == typed
    assert type(value) is type(typed)


def test_the_worked_example_answers_are_all_accepted() -> None:
    answers = parse_answers(RUBRIC, FULL_ANSWERS)
    assert len(answers.items) == len(FULL_ANSWERS) - 1
    assert answers.flags == {"obsolete_equipment_present": False}


def test_the_obsolete_equipment_flag_is_read_and_defaults_to_false() -> None:
    assert parse_answers(RUBRIC, {"obsolete_equipment_present": True}).flag(
        "obsolete_equipment_present"
    )
    assert not parse_answers(RUBRIC, {}).flag("obsolete_equipment_present")


REJECTED = [
    # (raw answers, JSON path, message)
    ({"XYZ-1": True}, "/answers/XYZ-1", "unknown item id for rubric T/CECA-G 0171-2022 (2022.1)"),
    ({"a/b~c": 1}, "/answers/a~1b~0c", "unknown item id for rubric T/CECA-G 0171-2022 (2022.1)"),
    (
        {"ERU-1": "0.5"},
        "/answers/ERU-1",
        "ERU-1 is computed from the inventory and cannot be answered",
    ),
    (
        {"OFS-1": "na"},
        "/answers/OFS-1",
        "OFS-1 is computed from the inventory and cannot be answered",
    ),
    ({"INF-2": "na"}, "/answers/INF-2", '"na" (not applicable) is not allowed for INF-2'),
    ({"ICT-2": "na"}, "/answers/ICT-2", '"na" (not applicable) is not allowed for ICT-2'),
    ({"ICT-2": 1}, "/answers/ICT-2", "expected true or false, got 1"),
    ({"ICT-2": "true"}, "/answers/ICT-2", 'expected true or false, got "true"'),
    ({"ICT-2": None}, "/answers/ICT-2", "expected true or false, got null"),
    ({"ICT-2": {"yes": True}}, "/answers/ICT-2", "expected true or false, got an object"),
    ({"INF-1": True}, "/answers/INF-1", "expected an integer 0..3, got true"),
    ({"INF-1": 4}, "/answers/INF-1", "expected an integer 0..3, got 4"),
    ({"INF-1": -1}, "/answers/INF-1", "expected an integer 0..3, got -1"),
    ({"INF-1": 2.5}, "/answers/INF-1", "expected an integer 0..3, got 2.5"),
    ({"INF-1": "2"}, "/answers/INF-1", 'expected an integer 0..3, got "2"'),
    ({"INF-1": math.nan}, "/answers/INF-1", "expected an integer 0..3, got NaN"),
    ({"ICT-3": 3}, "/answers/ICT-3", "expected an integer 0..2, got 3"),
    (
        {"INF-2": "1.5"},
        "/answers/INF-2",
        'expected a number from 0 to 1 such as 0.95, got "1.5"',
    ),
    (
        {"INF-2": -0.1},
        "/answers/INF-2",
        "expected a number from 0 to 1 such as 0.95, got -0.1",
    ),
    (
        {"INF-2": "abc"},
        "/answers/INF-2",
        'expected a number from 0 to 1 such as 0.95, got "abc"',
    ),
    (
        {"INF-2": "1e-1"},
        "/answers/INF-2",
        'expected a number from 0 to 1 such as 0.95, got "1e-1"',
    ),
    (
        {"INF-2": True},
        "/answers/INF-2",
        "expected a number from 0 to 1 such as 0.95, got true",
    ),
    (
        {"INF-2": [0.5]},
        "/answers/INF-2",
        "expected a number from 0 to 1 such as 0.95, got a list",
    ),
    (
        {"INF-2": math.inf},
        "/answers/INF-2",
        "expected a number from 0 to 1 such as 0.95, got Infinity",
    ),
    (
        {"INF-2": D("NaN")},
        "/answers/INF-2",
        "expected a number from 0 to 1 such as 0.95, got NaN",
    ),
    (
        {"ERU-2": "great"},
        "/answers/ERU-2",
        'expected one of "below_limit", "meets_limit", "advanced", "benchmark", "na", got "great"',
    ),
    (
        {"ERU-2": 1},
        "/answers/ERU-2",
        'expected one of "below_limit", "meets_limit", "advanced", "benchmark", "na", got 1',
    ),
    (
        {"PRD-2": "0.7"},
        "/answers/PRD-2",
        'expected an object {"share": 0..1, "third_party_verified": true/false}, got "0.7"',
    ),
    (
        {"PRD-2": {"share": "0.7", "verified": True}},
        "/answers/PRD-2/verified",
        "unknown key; expected share, third_party_verified",
    ),
    (
        {"PRD-2": {"third_party_verified": True}},
        "/answers/PRD-2/share",
        "required: share of main products with a footprint, 0..1",
    ),
    (
        {"PRD-2": {"share": 2}},
        "/answers/PRD-2/share",
        "expected a number from 0 to 1 such as 0.95, got 2",
    ),
    (
        {"PRD-2": {"share": "0.5", "third_party_verified": "yes"}},
        "/answers/PRD-2/third_party_verified",
        'expected true or false, got "yes"',
    ),
    ({"PRD-2": "na"}, "/answers/PRD-2", '"na" (not applicable) is not allowed for PRD-2'),
    (
        {"obsolete_equipment_present": 0},
        "/answers/obsolete_equipment_present",
        "expected true or false, got 0",
    ),
    (
        {"obsolete_equipment_present": "na"},
        "/answers/obsolete_equipment_present",
        'expected true or false, got "na"',
    ),
]


@pytest.mark.parametrize(("raw", "path", "message"), REJECTED)
def test_a_wrong_answer_is_an_error_naming_its_path_and_what_was_expected(
    raw: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(AnswerErrors) as raised:
        parse_answers(RUBRIC, raw)
    assert raised.value.errors == [(path, message)]


def test_every_answer_error_is_reported_at_once() -> None:
    raw = {
        "INF-1": 9,
        "ICT-2": "yes",
        "ERU-1": 1,
        "PRD-2": {"share": "x", "colour": "red"},
        "INF-2": "0.5",
    }
    with pytest.raises(AnswerErrors) as raised:
        parse_answers(RUBRIC, raw)
    assert [path for path, _ in raised.value.errors] == [
        "/answers/INF-1",
        "/answers/ICT-2",
        "/answers/ERU-1",
        "/answers/PRD-2/colour",
        "/answers/PRD-2/share",
    ]
    assert str(raised.value).startswith("5 answer error(s):\n  /answers/INF-1: expected an integer")


def test_answers_that_are_not_an_object_are_an_error() -> None:
    with pytest.raises(AnswerErrors) as raised:
        parse_answers(RUBRIC, ["INF-1", 2])
    assert raised.value.errors == [("/answers", "expected an object, got a list")]


def test_the_declared_gates_are_read_and_a_missing_one_is_false() -> None:
    assert parse_gates(RUBRIC, {"G1": True, "G2": True}) == {"G1": True, "G2": True}
    assert parse_gates(RUBRIC, {"G2": True}) == {"G1": False, "G2": True}
    assert parse_gates(RUBRIC, {}) == {"G1": False, "G2": False}


GATE_ERRORS = [
    (
        {"G3": True},
        "/gates/G3",
        "G3 (Complete inventory) is computed by the platform, not declared",
    ),
    (
        {"G4": False},
        "/gates/G4",
        "G4 (Residual fully neutralised) is computed by the platform, not declared",
    ),
    ({"G9": True}, "/gates/G9", "unknown gate; the declared gates are G1, G2"),
    ({"G1": "yes"}, "/gates/G1", 'expected true or false, got "yes"'),
    ({"G1": 1}, "/gates/G1", "expected true or false, got 1"),
]


@pytest.mark.parametrize(("raw", "path", "message"), GATE_ERRORS)
def test_a_computed_unknown_or_mistyped_gate_declaration_is_an_error(
    raw: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(AnswerErrors) as raised:
        parse_gates(RUBRIC, raw)
    assert raised.value.errors == [(path, message)]


@pytest.mark.parametrize(("raw", "given"), [(None, "null"), ([True], "a list"), ("G1", '"G1"')])
def test_gates_that_are_not_an_object_are_an_error(raw: object, given: str) -> None:
    with pytest.raises(AnswerErrors) as raised:
        parse_gates(RUBRIC, raw)
    assert raised.value.errors == [
        ("/gates", f"expected an object with the declared gates G1, G2, got {given}")
    ]


def test_parsed_answers_cannot_be_changed_afterwards() -> None:
    answers = parse_answers(RUBRIC, {"INF-1": 2})
    with pytest.raises(TypeError):
        answers.items["INF-1"] = 3  # type: ignore[index]
    assert isinstance(answers.items["INF-1"], int)
    assert not isinstance(answers.items.get("INF-2"), Decimal)
