"""The evaluation page shows the stored record item by item, with its charts, in one language,
to the tenant's users only, with as many queries however large the inventory."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Evaluation, Rubric
from assessments.rubric_editions import load_rubric_document
from assessments.services.dossier import import_dossier
from assessments.services.evaluation import evaluate_assessment
from assessments.services.workflow import reopen_assessment, submit_assessment
from emissions.models import EnergyRecord
from emissions.services import records
from tests.conftest import example, logged_in

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)
WUXI_EN = "Total score 77.32 is below the 80 points required for 5★: 2.68 points short."
WUXI_ZH = "总分 77.32 低于 5★ 要求的 80 分，还差 2.68 分。"


def _evaluate(actor: User, assessment: Assessment, captured: Any) -> Evaluation:
    with captured(execute=True):
        submit_assessment(actor, assessment, as_of=AS_OF)
    evaluation = Evaluation.objects.filter(assessment=assessment).order_by("-pk").first()
    assert evaluation is not None
    return evaluation


def _page(client: Client, evaluation: Evaluation, status: int = 200) -> str:
    response = client.get(f"/evaluations/{evaluation.pk}/")
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def wuxi(demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any) -> Evaluation:
    return _evaluate(alice, demo["wuxi"], django_capture_on_commit_callbacks)


def test_alice_sees_the_record_item_by_item_with_its_four_charts(
    wuxi: Evaluation, alice_client: Client
) -> None:
    page = _page(alice_client, wuxi)
    assert '<html lang="zh-Hans">' in page
    assert "示例精密制造（无锡）有限公司" in page
    assert wuxi.sha256 in page
    assert "77.32" in page
    assert "零碳工厂评价规范" in page  # the rubric edition's own name
    assert "照明" in page  # an item name, with its rule
    assert "高效照明占比" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    assert page.count('role="img"') >= 4
    assert f'href="/assessments/{wuxi.assessment_id}/"' in page


def test_the_chinese_page_says_limited_by_in_chinese_only(
    wuxi: Evaluation, alice_client: Client
) -> None:
    assert wuxi.result["limited_by"] == [WUXI_EN]  # the record holds the worker's English
    page = _page(alice_client, wuxi)
    assert WUXI_ZH in page
    assert WUXI_EN not in page


def test_the_english_page_says_limited_by_in_english_only(
    wuxi: Evaluation, alice_client: Client
) -> None:
    alice_client.cookies["django_language"] = "en"
    page = _page(alice_client, wuxi)
    assert WUXI_EN in page
    assert WUXI_ZH not in page
    assert "Lighting" in page
    assert "照明" not in page


def test_charlie_gets_404_for_alices_evaluation(wuxi: Evaluation, charlie_client: Client) -> None:
    _page(charlie_client, wuxi, status=404)


def test_bob_the_viewer_reads_the_evaluation(wuxi: Evaluation, bob: User) -> None:
    assert "77.32" in _page(logged_in(bob), wuxi)


def test_an_anonymous_visitor_is_sent_to_log_in(wuxi: Evaluation) -> None:
    response = Client().get(f"/evaluations/{wuxi.pk}/")
    assert response.status_code == 302


def test_the_page_after_the_inventory_was_edited_still_shows_the_rated_figures(
    demo: dict[str, Any],
    alice: User,
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    evaluation = _evaluate(alice, demo["suzhou"], django_capture_on_commit_callbacks)
    rated_total = evaluation.result["emissions"]["boundary_total"]
    reopened = reopen_assessment(alice, Assessment.objects.get(pk=demo["suzhou"].pk))
    grid = EnergyRecord.objects.get(inventory=reopened.inventory, carrier="grid_electricity")
    records.update_line(alice, grid, "energy", {"quantity": "99999"}, partial=True)
    alice_client.cookies["django_language"] = "en"
    page = _page(alice_client, evaluation)
    assert f"{Decimal(str(rated_total)):,f}" in page  # 8,922.74 tCO2e, as rated
    assert "10,100 / 14,600 MWh" in page  # the rated electricity, not the grid line typed since
    assert "99,999" not in page
    assert "71.92" in page


def test_names_and_rules_come_from_the_recorded_edition_not_a_newer_one(
    wuxi: Evaluation, alice_client: Client
) -> None:
    newer = copy.deepcopy(
        Rubric.objects.get(code=wuxi.rubric_code, edition=wuxi.rubric_edition).document
    )
    newer["edition"] = "2099.1"
    for item in newer["items"]:
        if item["id"] == "INF-2":
            item["name"] = {"zh": "新版照明", "en": "Lighting, new edition"}
    load_rubric_document(newer)
    page = _page(alice_client, wuxi)
    assert "照明" in page
    assert "新版照明" not in page


def _dossier_with_lines(count: int) -> dict[str, Any]:
    """The demo dossier with `count` energy lines (diesel in equal parts of 0.25 t), without
    instruments (their serials can be claimed once on the platform)."""
    data = example("demo-dossier")
    others = [line for line in data["energy"] if line["carrier"] != "diesel"]
    diesel = {"carrier": "diesel", "quantity": "0.25", "unit": "t"}
    data["energy"] = others + [dict(diesel) for _ in range(count - len(others))]
    data["green_electricity"], data["credits"] = [], []
    return data


def _evaluated_import(orgs: dict[str, Any], count: int, code: str) -> Evaluation:
    data = _dossier_with_lines(count)
    data["factory"]["credit_code"] = code
    assessment = import_dossier(orgs["org-a"], data, as_of=AS_OF)
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted", as_of=AS_OF)
    evaluation = evaluate_assessment(assessment.pk)
    assert evaluation is not None
    return evaluation


def test_the_page_needs_as_many_queries_for_300_lines_as_for_5(
    orgs: dict[str, Any], alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    small = _evaluated_import(orgs, 5, "91320594MA1EXAMPL2")
    large = _evaluated_import(orgs, 300, "91110000100000000R")
    assert EnergyRecord.objects.filter(inventory=large.assessment.inventory).count() == 300
    _page(alice_client, small)  # warms the per-process caches (factor set, rubric)
    with CaptureQueriesContext(connection) as queries:
        _page(alice_client, small)
    with django_assert_max_num_queries(len(queries.captured_queries)):
        page = _page(alice_client, large)
    assert "<svg" in page
