"""The evaluation pipeline on generated dossiers (no database): whatever the reader and the
rubric accept evaluates, at any magnitude, to the result of dossier.md, written as exact JSON
that reads back digit for digit; a dossier written back and read again has the same hash."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hypothesis import event, given

from assessments.evaluation.engine import (
    RESULT_KEYS,
    Evaluated,
    canonical,
    evaluate,
    result_json,
    sha256_of,
)
from assessments.scoring.answers import AnswerErrors, parse_answers, parse_gates
from emissions.accounting import exact_json
from emissions.dossier import DossierInvalid, ReadDossier, document_to_json, parse_dossier_text
from emissions.dossier import read_dossier as read_dossier_kernel
from tests.properties.budget import budget
from tests.properties.findings import LEVEL_AS_EXPONENT, run_first
from tests.properties.hostile import hostile_dossiers
from tests.properties.strategies import AS_OF, FACTORS, RUBRIC, valid_dossiers

CODE_VERSION = "properties"


def read_dossier(data: object) -> ReadDossier:
    return read_dossier_kernel(data, factors=FACTORS, as_of=AS_OF)


def evaluated(read: ReadDossier) -> Evaluated:
    return evaluate(
        read,
        factors=FACTORS,
        rubric=RUBRIC,
        answers=parse_answers(RUBRIC, read.answers_raw),
        gates=parse_gates(RUBRIC, read.gates_raw),
        as_of=AS_OF,
        code_version=CODE_VERSION,
    )


def assert_result_shape(result: dict[str, Any]) -> None:
    assert list(result) == list(RESULT_KEYS)
    assert result["star_level"] in (None, 3, 4, 5, 6)
    assert isinstance(result["zero_carbon"], bool)
    assert re.fullmatch("[0-9a-f]{64}", result["input_sha256"])
    total = result["total_score"]
    assert total is None or Decimal(0) <= Decimal(total) <= Decimal(100), total


def assert_evaluates_exactly(read: ReadDossier) -> None:
    first = evaluated(read)
    # `evaluate` hashes its inputs without copying them again: they must be canonical already.
    assert canonical(first.inputs) == first.inputs
    assert first.input_sha256 == sha256_of(first.inputs)
    text = result_json(first.result)
    parsed = exact_json.loads(text)
    assert_result_shape(parsed)
    assert result_json(parsed) == text  # every digit survives a round trip
    again = read_dossier(parse_dossier_text(document_to_json(read.document)))
    assert evaluated(again).input_sha256 == first.input_sha256


@given(data=valid_dossiers())
@run_first("data", LEVEL_AS_EXPONENT)
@budget(0.3)
def test_every_valid_dossier_evaluates_to_exact_json_of_any_magnitude(data: Any) -> None:
    assert_evaluates_exactly(read_dossier(data))


@given(hostile_dossiers())
@budget(0.5)
def test_every_hostile_dossier_the_reader_and_rubric_accept_evaluates(data: Any) -> None:
    try:
        read = read_dossier(data)
        parse_answers(RUBRIC, read.answers_raw)
        parse_gates(RUBRIC, read.gates_raw)
    except (DossierInvalid, AnswerErrors):
        event("refused")
        return
    event("accepted")
    assert_evaluates_exactly(read)
