"""Assessments created through the REST API (the inventory's dossier with the gates and
answers given, read as an import reads it), the lock their submission puts on the inventory,
filters of assessments and evaluations, and required query parameters answered 400."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Answer, Assessment, Evaluation, Rubric
from assessments.services import workflow
from emissions.models import Inventory
from tests.conftest import DEMO_DATA

pytestmark = pytest.mark.django_db
AS_OF = "2025-06-30"


def send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def errors(response: Any) -> dict[str, str]:
    return {e["path"]: e["message"] for e in response.json()["error"]["errors"]}


@pytest.fixture
def inventory(demo: dict[str, Any], alice_client: Client) -> Inventory:
    """A new inventory, without an assessment, of the Suzhou factory (2022)."""
    factory_id = demo["suzhou"].inventory.factory_id
    body = {"factory": factory_id, "year": 2022, "boundary": "I"}
    response = send(alice_client, "post", "/api/v1/inventories/", body)
    assert response.status_code == 201, response.content
    return Inventory.objects.get(pk=response.json()["id"])


def test_alice_creates_an_assessment_with_its_gates_and_answers(
    inventory: Inventory, alice_client: Client
) -> None:
    body = {
        "inventory": inventory.pk,
        "gates": {"G1": True, "G2": False},
        "answers": {"INF-1": 2, "INF-2": "0.95", "obsolete_equipment_present": False},
    }
    response = send(alice_client, "post", "/api/v1/assessments/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft"
    assert (created["inventory"], created["year"]) == (inventory.pk, 2022)
    assert created["rubric"]["code"] == "T/CECA-G 0171-2022"
    assessment = Assessment.objects.get(pk=created["id"])
    assert assessment.declared_gates == {"G1": True, "G2": False}
    stored = dict(Answer.objects.filter(assessment=assessment).values_list("item_id", "value"))
    assert stored == {"INF-1": 2, "INF-2": "0.95", "obsolete_equipment_present": False}
    dossier = alice_client.get(f"/api/v1/assessments/{assessment.pk}/dossier/").json()
    assert dossier["gates"] == {"G1": True, "G2": False}
    assert dossier["year"] == 2022


def test_gates_answers_and_rubric_are_checked_at_their_paths(
    inventory: Inventory, alice_client: Client
) -> None:
    body = {
        "inventory": inventory.pk,
        "gates": {"G1": "yes", "G9": True},
        "answers": {"INF-1": 7, "NOPE-1": 1},
    }
    response = send(alice_client, "post", "/api/v1/assessments/", body)
    assert response.status_code == 400
    assert set(errors(response)) == {"/gates/G1", "/gates/G9", "/answers/INF-1", "/answers/NOPE-1"}
    unknown = send(alice_client, "post", "/api/v1/assessments/", {**body, "rubric": "X/1"})
    assert set(errors(unknown)) == {"/rubric"}
    no_gates = send(alice_client, "post", "/api/v1/assessments/", {"inventory": inventory.pk})
    assert errors(no_gates) == {"/gates": "missing required field 'gates'"}
    extra = send(alice_client, "post", "/api/v1/assessments/", {**body, "as_of": AS_OF})
    assert set(errors(extra)) == {"/as_of"}
    assert not Assessment.objects.filter(inventory=inventory).exists()


def test_an_inventory_has_one_assessment_per_rubric(
    demo: dict[str, Any], alice_client: Client
) -> None:
    body = {"inventory": demo["suzhou"].inventory_id, "gates": {"G1": True}}
    response = send(alice_client, "post", "/api/v1/assessments/", body)
    assert response.status_code == 409
    assert set(errors(response)) == {"/rubric"}


def test_bob_may_not_create_an_assessment_and_charlie_sees_no_inventory(
    inventory: Inventory, bob_client: Client, charlie_client: Client
) -> None:
    body = {"inventory": inventory.pk, "gates": {"G1": True, "G2": True}}
    assert send(bob_client, "post", "/api/v1/assessments/", body).status_code == 403
    assert send(charlie_client, "post", "/api/v1/assessments/", body).status_code == 404
    assert not Assessment.objects.filter(inventory=inventory).exists()


def test_submitting_locks_the_inventory_until_the_last_assessment_is_reopened(
    demo: dict[str, Any], alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assessment: Assessment = demo["suzhou"]
    inventory = assessment.inventory
    with django_capture_on_commit_callbacks(execute=True):
        submitted = send(
            alice_client, "post", f"/api/v1/assessments/{assessment.pk}/submit/", {"as_of": AS_OF}
        )
    assert submitted.status_code == 202
    assert Assessment.objects.get(pk=assessment.pk).status == "evaluated"
    inventory.refresh_from_db()
    assert inventory.status == "locked"
    listed = alice_client.get("/api/v1/inventories/?status=locked").json()
    assert [row["id"] for row in listed["results"]] == [inventory.pk]
    reopened = send(alice_client, "post", f"/api/v1/assessments/{assessment.pk}/reopen/", {})
    assert reopened.status_code == 200
    inventory.refresh_from_db()
    assert inventory.status == "draft"


def test_an_inventory_stays_locked_while_another_assessment_evaluates_it(
    demo: dict[str, Any], alice: User
) -> None:
    first: Assessment = demo["suzhou"]
    rubric = Rubric.objects.create(
        code="other", edition="1", name="x", document={}, document_sha256="0"
    )
    second = Assessment.objects.create(inventory=first.inventory, rubric=rubric, status="failed")
    Assessment.objects.filter(pk=first.pk).update(status="evaluated")
    Inventory.objects.filter(pk=first.inventory_id).update(status="locked")
    workflow.reopen_assessment(alice, Assessment.objects.get(pk=first.pk))
    assert Inventory.objects.get(pk=first.inventory_id).status == "locked"
    workflow.reopen_assessment(alice, second)
    assert Inventory.objects.get(pk=first.inventory_id).status == "draft"


def test_assessments_and_evaluations_are_filtered(
    demo: dict[str, Any], alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    wuxi: Assessment = demo["wuxi"]
    with django_capture_on_commit_callbacks(execute=True):
        send(alice_client, "post", f"/api/v1/assessments/{wuxi.pk}/submit/", {"as_of": AS_OF})

    def ids(url: str) -> set[int]:
        response = alice_client.get(url)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("/api/v1/assessments/?status=evaluated") == {wuxi.pk}
    assert ids("/api/v1/assessments/?status=draft") == {demo["suzhou"].pk}
    assert ids(f"/api/v1/assessments/?inventory={wuxi.inventory_id}") == {wuxi.pk}
    evaluation = Evaluation.objects.get()
    assert ids(f"/api/v1/evaluations/?assessment={wuxi.pk}") == {evaluation.pk}
    assert ids(f"/api/v1/evaluations/?assessment={demo['suzhou'].pk}") == set()
    for url, parameter in (
        ("/api/v1/assessments/?status=done", "status"),
        ("/api/v1/assessments/?inventory=x", "inventory"),
        ("/api/v1/evaluations/?assessment=-3", "assessment"),
    ):
        response = alice_client.get(url)
        assert response.status_code == 400, url
        assert set(errors(response)) == {parameter}


@pytest.mark.parametrize("query", ["", "?organisation=", "?as_of=2025-06-30"])
def test_a_dossier_import_without_its_organisation_is_a_400_naming_it(
    orgs: Any, alice_client: Client, query: str
) -> None:
    body = (DEMO_DATA / "demo-dossier.json").read_text(encoding="utf-8")
    response = alice_client.post(f"/api/v1/dossiers/{query}", body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "required"
    assert [e["path"] for e in error["errors"]] == ["organisation"]
    assert "organisation" in error["message"]
    assert not Inventory.objects.exists()


def test_a_dossier_import_naming_no_slug_is_a_400(orgs: Any, alice_client: Client) -> None:
    body = (DEMO_DATA / "demo-dossier.json").read_text(encoding="utf-8")
    response = alice_client.post(
        "/api/v1/dossiers/?organisation=org%00a", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(errors(response)) == {"organisation"}


def test_lists_of_assessments_and_evaluations_stay_within_a_query_budget(
    demo: dict[str, Any], alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    inventory = demo["suzhou"].inventory
    rubrics = Rubric.objects.bulk_create(
        Rubric(code=f"r{n}", edition="1", name="x", document={}, document_sha256="0")
        for n in range(30)
    )
    Assessment.objects.bulk_create(Assessment(inventory=inventory, rubric=r) for r in rubrics)
    with django_assert_max_num_queries(8):
        response = alice_client.get("/api/v1/assessments/?limit=100")
    assert response.json()["count"] == 32


def test_the_migration_locks_the_inventories_submitted_before_the_lock_existed(
    demo: dict[str, Any],
) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("assessments.migrations.0006_lock_inventories_under_assessment")
    Assessment.objects.filter(pk=demo["wuxi"].pk).update(status="evaluated")
    migration.lock(apps, None)
    assert Inventory.objects.get(pk=demo["wuxi"].inventory_id).status == "locked"
    assert Inventory.objects.get(pk=demo["suzhou"].inventory_id).status == "draft"
