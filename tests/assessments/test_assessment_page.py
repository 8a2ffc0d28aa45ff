"""The assessment page shows what the stored evaluation recorded, never live rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.explain import recorded_lines
from assessments.models import Assessment, Evaluation
from assessments.services.dossier import import_dossier
from assessments.services.workflow import reopen_assessment, submit_assessment
from emissions.models import EnergyRecord
from emissions.services import records
from tests.conftest import example

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)
GAS_LINE = "85 10^4 Nm3 x 389.31 GJ/10^4 Nm3"


def _evaluate(actor: User, assessment: Assessment, captured: Any) -> Evaluation:
    with captured(execute=True):
        submit_assessment(actor, assessment, as_of=AS_OF)
    evaluation = Evaluation.objects.filter(assessment=assessment).order_by("-pk").first()
    assert evaluation is not None
    return evaluation


def _page(client: Client, assessment: Assessment) -> str:
    """The English page (Chinese is the default): the tests read its English sentences."""
    client.cookies["django_language"] = "en"
    response = client.get(f"/assessments/{assessment.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_rated_figures_versions_and_calculation_lines(
    demo: dict[str, Any],
    alice: User,
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    evaluation = _evaluate(alice, demo["suzhou"], django_capture_on_commit_callbacks)
    page = _page(alice_client, demo["suzhou"])
    assert "71.92" in page
    assert GAS_LINE in page
    assert "threshold set by platform edition" in page
    assert "<td>v1</td>" in page
    assert f'href="/evaluations/{evaluation.pk}/"' in page
    assert f'href="/inventories/{demo["suzhou"].inventory_id}/edit/"' in page


def test_an_assessment_without_an_evaluation_says_so_and_shows_nothing_rated(
    demo: dict[str, Any], alice_client: Client
) -> None:
    page = _page(alice_client, demo["suzhou"])
    assert "Not evaluated yet" in page
    assert "No evaluation recorded yet." in page
    assert "Latest result" not in page
    assert GAS_LINE not in page


def test_the_calculation_lines_reproduce_the_stored_result_exactly(
    demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = _evaluate(alice, demo["wuxi"], django_capture_on_commit_callbacks)
    recorded = recorded_lines(evaluation)
    assert recorded.problem == ""
    total = sum((line.tco2e for line in recorded.lines if line.category in "12"), Decimal(0))
    stored = evaluation.result["emissions"]
    assert round(total, 3) == Decimal(str(stored["category_1"])) + Decimal(
        str(stored["category_2_location"])
    )


def test_a_record_that_its_lines_do_not_reproduce_shows_no_lines_but_says_why(
    demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = _evaluate(alice, demo["suzhou"], django_capture_on_commit_callbacks)
    evaluation.factor_values = {**evaluation.factor_values, "fuel:natural_gas:ncv_gj_per_unit": "1"}
    recorded = recorded_lines(evaluation)
    assert recorded.lines == ()
    assert "cannot be rebuilt exactly" in recorded.problem


def test_an_evaluation_shown_after_its_inventory_was_edited_still_shows_the_rated_figures(
    demo: dict[str, Any],
    alice: User,
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assessment = demo["suzhou"]
    _evaluate(alice, assessment, django_capture_on_commit_callbacks)
    reopened = reopen_assessment(alice, Assessment.objects.get(pk=assessment.pk))
    diesel = EnergyRecord.objects.get(inventory=reopened.inventory, carrier="diesel")
    records.update_line(alice, diesel, "energy", {"quantity": "24.8"}, partial=True)
    page = _page(alice_client, reopened)
    assert "71.92" in page
    assert "12.4 t x" in page  # the diesel that was rated, not the 24.8 t typed since
    assert "24.8 t" not in page


def _dossier_with_lines(count: int) -> dict[str, Any]:
    """The demo dossier with `count` energy lines: its grid electricity and 1 t diesel lines."""
    data = example("demo-dossier")
    grid = next(line for line in data["energy"] if line["carrier"] == "grid_electricity")
    diesel = {"carrier": "diesel", "quantity": "1", "unit": "t"}
    data["energy"] = [grid] + [dict(diesel) for _ in range(count - 1)]
    data["green_electricity"], data["credits"] = [], []  # no serials claimed twice
    return data


def _evaluated_import(alice: User, count: int, code: str, captured: Any) -> Assessment:
    data = _dossier_with_lines(count)
    data["factory"]["credit_code"] = code
    assessment = import_dossier(alice.memberships.get().organisation, data, as_of=AS_OF)
    _evaluate(alice, assessment, captured)
    return assessment


def test_the_page_needs_as_many_queries_for_300_lines_as_for_3(
    alice: User,
    alice_client: Client,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    captured = django_capture_on_commit_callbacks
    small = _evaluated_import(alice, 3, "91320594MA1EXAMPL2", captured)
    large = _evaluated_import(alice, 300, "91320214MA1WXJM00Y", captured)
    assert EnergyRecord.objects.filter(inventory=large.inventory).count() == 300
    _page(alice_client, small)  # warms the per-process caches (factor set, rubric)
    with CaptureQueriesContext(connection) as queries:
        _page(alice_client, small)
    with django_assert_num_queries(len(queries.captured_queries)):
        page = _page(alice_client, large)
    assert "Latest result" in page
