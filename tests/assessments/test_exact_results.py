"""Result numbers of any magnitude are written without loss: the CLI, the stored evaluation
and the API answers carry exactly the Decimals the kernel computed, from 1E-12 to 1E+36."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from assessments.evaluation.engine import Evaluated, record_sha256, sha256_of
from assessments.evaluation.whatif import Changes
from assessments.models import Assessment, Evaluation
from assessments.services import evaluation as evaluation_service
from assessments.services.dossier import evaluate_full, import_dossier, read_full_dossier
from assessments.services.evaluation import what_if
from tests.conftest import DEMO_DATA
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)
# 18 digits before the point (the most the reader accepts) and a factor at the limit of 18
# integer and 12 decimal digits: category 4 comes to about 1E+36 tCO2e, where a float keeps
# 17 of its 34 significant digits.
HUGE = "999999999999999999.123456"
HUGE_FACTOR = "999999999999999999.999999999999"
TINY = "0.000000000001"
MAGNITUDES = {"huge": (HUGE, HUGE_FACTOR), "tiny": (TINY, TINY)}


def dossier(quantity: str, factor: str) -> dict[str, Any]:
    """The rated worked example with every energy and scope-3 quantity replaced."""
    data: dict[str, Any] = json.loads(
        (DEMO_DATA / "demo-rated-dossier.json").read_text(encoding="utf-8")
    )
    data["boundary"] = "II"  # scope 3 counts in the boundary total
    for carrier in data["energy"]:
        carrier.pop("monthly", None)
        carrier["quantity"] = quantity
    data["scope3"][0]["tco2e"] = quantity
    data["scope3"][1]["quantity"] = quantity
    data["scope3"][1]["factor_tco2e_per_unit"] = factor
    return data


@pytest.fixture(params=list(MAGNITUDES))
def data(request: pytest.FixtureRequest) -> dict[str, Any]:
    return dossier(*MAGNITUDES[request.param])


# Storing the huge dossier's quantities exactly needs PostgreSQL: Django keeps a DecimalField
# in SQLite (the quickstart) as REAL. The evaluation's own JSON is exact on both (see below).
@pytest.fixture(params=[pytest.param("huge", marks=pytest.mark.postgres), "tiny"])
def stored_data(request: pytest.FixtureRequest) -> dict[str, Any]:
    return dossier(*MAGNITUDES[request.param])


def kernel(data: dict[str, Any]) -> Evaluated:
    """The evaluation exactly as the kernel computes it (Decimals), before any writer."""
    return evaluate_full(read_full_dossier(data, as_of=AS_OF), as_of=AS_OF)


def assert_same_numbers(actual: Any, expected: Any, path: str = "") -> None:
    """`actual` (read with parse_float=Decimal) is the kernel's `expected`, every Decimal
    equal by value, so digit for digit, and never a float."""
    assert not isinstance(actual, float), f"{path}: a float ({actual!r})"
    if isinstance(expected, dict):
        assert set(actual) == set(expected), path  # jsonb keeps keys, not their order
        for key, value in expected.items():
            assert_same_numbers(actual[key], value, f"{path}/{key}")
    elif isinstance(expected, list | tuple):
        assert len(actual) == len(expected), path
        for index, (item, value) in enumerate(zip(actual, expected, strict=True)):
            assert_same_numbers(item, value, f"{path}/{index}")
    elif isinstance(expected, Decimal):
        assert isinstance(actual, Decimal | int), f"{path}: {actual!r}"
        assert not isinstance(actual, bool), path
        assert Decimal(actual) == expected, f"{path}: {actual} != {expected}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def submitted(data: dict[str, Any], organisation: Organisation) -> Assessment:
    assessment = import_dossier(organisation, data, as_of=AS_OF)
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted", as_of=AS_OF)
    return assessment


def read_exactly(content: bytes | str) -> Any:
    return json.loads(content, parse_float=Decimal)


def test_the_huge_dossier_holds_numbers_a_float_cannot() -> None:
    emissions = kernel(dossier(HUGE, HUGE_FACTOR)).result["emissions"]
    assert emissions["category_4"] > Decimal("1E+35")
    assert Decimal(repr(float(emissions["category_4"]))) != emissions["category_4"]
    assert Decimal(repr(float(emissions["category_1"]))) != emissions["category_1"]


def test_evaluate_dossier_writes_every_number_exactly(data: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("evaluate_dossier", str(path), "--as-of", AS_OF.isoformat(), stdout=out)
    assert_same_numbers(read_exactly(out.getvalue()), kernel(data).result)
    assert "e+" not in out.getvalue().lower()  # plain notation, whatever the magnitude
    assert "e-" not in out.getvalue().lower()


def test_a_stored_evaluation_keeps_every_number_exactly(
    stored_data: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    assessment = submitted(stored_data, orgs["org-a"])
    evaluation = evaluation_service.evaluate_assessment(assessment.pk)  # the worker's entry point
    assert evaluation is not None
    expected = kernel(stored_data)
    evaluation.refresh_from_db()
    assert_same_numbers(evaluation.result, expected.result)
    assert evaluation.inputs == expected.inputs
    assert evaluation.factor_values == expected.factor_values
    assert evaluation.sha256 == record_sha256(
        evaluation.inputs, evaluation.result, evaluation.factor_values
    )
    with connection.cursor() as cursor:  # the column itself, not only the field's reading
        cursor.execute("SELECT result FROM assessments_evaluation WHERE id = %s", [evaluation.pk])
        (stored,) = cursor.fetchone()
    assert_same_numbers(read_exactly(stored), expected.result)


def test_the_api_serves_the_stored_evaluation_exactly(
    stored_data: dict[str, Any], orgs: dict[str, Organisation], alice_client: Client
) -> None:
    assessment = submitted(stored_data, orgs["org-a"])
    evaluation = evaluation_service.evaluate_assessment(assessment.pk)
    assert evaluation is not None
    response = alice_client.get(f"/api/v1/evaluations/{evaluation.pk}/")
    assert response.status_code == 200
    body = read_exactly(response.content)
    expected = kernel(stored_data)
    assert_same_numbers(body["result"], expected.result)
    assert body["inputs"] == expected.inputs
    assert body["factor_values"] == expected.factor_values


def test_what_if_over_the_api_answers_exactly(
    stored_data: dict[str, Any], orgs: dict[str, Organisation], alice_client: Client
) -> None:
    assessment = import_dossier(orgs["org-a"], stored_data, as_of=AS_OF)
    changes = {"extra_credits_tco2e": "12345678901234.123456", "as_of": AS_OF.isoformat()}
    response = alice_client.post(
        f"/api/v1/assessments/{assessment.pk}/what-if/", changes, content_type="application/json"
    )
    assert response.status_code == 200, response.content[:300]
    expected = what_if(
        assessment, Changes(extra_credits_tco2e=Decimal("12345678901234.123456")), as_of=AS_OF
    )
    assert_same_numbers(read_exactly(response.content), expected)


def test_the_evaluation_field_keeps_any_number_exactly_in_the_database(
    demo: dict[str, Any],
) -> None:
    numbers: dict[str, Decimal | int] = {
        "huge": Decimal("999999999999999999999999999999999999.123"),
        "long": Decimal("1234567890123456789.123456789012"),
        "tiny": Decimal("1E-12"),
        "negative": Decimal("-4876.800"),
        "whole": 10**21,
    }
    evaluation = evaluation_service.evaluate_assessment(submitted_demo(demo["wuxi"]).pk)
    assert evaluation is not None
    Evaluation.objects.filter(pk=evaluation.pk).update(result=numbers)
    evaluation.refresh_from_db()
    assert_same_numbers(evaluation.result, {k: Decimal(v) for k, v in numbers.items()})
    with connection.cursor() as cursor:
        cursor.execute("SELECT result FROM assessments_evaluation WHERE id = %s", [evaluation.pk])
        (stored,) = cursor.fetchone()
    assert "999999999999999999999999999999999999.123" in stored
    assert "0.000000000001" in stored


def submitted_demo(assessment: Assessment) -> Assessment:
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted", as_of=AS_OF)
    return assessment


@pytest.mark.parametrize("name", ["demo-dossier", "demo-rated-dossier"])
def test_the_hash_of_a_normal_result_is_what_the_float_era_stored(name: str) -> None:
    evaluated = kernel(json.loads((DEMO_DATA / f"{name}.json").read_text(encoding="utf-8")))

    def through_float(value: object) -> int | float:  # how results were stored before
        assert isinstance(value, Decimal)
        return int(value) if value == value.to_integral_value() else float(value)

    stored_before = json.loads(json.dumps(evaluated.result, default=through_float))
    record = {
        "inputs": evaluated.inputs,
        "result": stored_before,
        "factor_values": evaluated.factor_values,
    }
    assert record_sha256(evaluated.inputs, evaluated.result, evaluated.factor_values) == (
        sha256_of(record)
    )
