"""The permission matrix of issue 8, over every operation the OpenAPI schema lists (so a new
endpoint cannot be left out): anonymous gets 401; charlie gets 404 for org A's objects; a key
limited to one factory cannot reach another factory's objects; a read-only key and bob (a
viewer) cannot write.

Each `{id}` is filled with an object of org A that belongs to the *other* factory (wuxi),
so the factory-limited key (suzhou only) must get 404 wherever an id is in the address."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from assessments.models import Assessment
from emissions.models import Meter
from tests.conftest import DERIVED_TABLES, logged_in
from zerocarbon.accounts.keys import issue_key

pytestmark = pytest.mark.django_db
PUBLIC = {"/api/v1/schema/", "/api/v1/docs/"}
WRITES = {"post", "put", "patch", "delete"}
# POSTs that compute an answer and save nothing: a viewer may ask them.
COMPUTES = {"/api/v1/assessments/{id}/what-if/"}
RECORD_RELATIONS = {
    "energy-records": "energy",
    "process-emissions": "process_emissions",
    "refrigerants": "refrigerants",
    "scope3-entries": "scope3",
    "reduction-measures": "reduction_measures",
    "green-instruments": "green_electricity",
    "credits": "credits",
}


def operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/schema/?format=json").json()
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if path not in PUBLIC and method in {"get", *WRITES}
    )


def object_ids(assessment: Assessment) -> dict[str, int]:
    """An org-A object of the wuxi factory for every kind of address."""
    inventory = assessment.inventory
    meter = Meter.objects.create(
        factory=inventory.factory, carrier="grid_electricity", unit="kWh", external_id="W-1"
    )
    ids = {
        "factories": inventory.factory_id,
        "inventories": inventory.pk,
        "assessments": assessment.pk,
        "meters": meter.pk,
    }
    evaluation = assessment.evaluations.first()
    if evaluation is not None:
        ids["evaluations"] = evaluation.pk
    for route, relation in RECORD_RELATIONS.items():
        line = getattr(inventory, relation).first()
        if line is not None:
            ids[route] = line.pk
    return ids


def address(path: str, ids: dict[str, int]) -> str | None:
    if "{id}" not in path:
        return path
    kind = path.split("/")[3]
    return path.replace("{id}", str(ids[kind])) if kind in ids else None


def call(client: Client, method: str, url: str, **headers: str) -> Any:
    send: Callable[..., Any] = getattr(client, method)
    if method == "get":
        return send(url, HTTP_ACCEPT="application/json", **headers)
    return send(url, json.dumps({}), content_type="application/json", **headers)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"emissions", "assessments", "accounts"}
        and model._meta.label not in DERIVED_TABLES
    }


@pytest.fixture
def matrix(demo: dict[str, Any], client: Client) -> dict[str, Any]:
    org_a = demo["orgs"]["org-a"]
    suzhou = demo["suzhou"].inventory.factory
    return {
        "operations": operations(client),
        "ids": object_ids(demo["wuxi"]),
        "read_only": issue_key(org_a, name="read-only", read_only=True).plaintext,
        "suzhou_only": issue_key(org_a, name="suzhou", factory_ids=[suzhou.pk]).plaintext,
    }


def test_every_operation_answers_401_to_anonymous(matrix: dict[str, Any], client: Client) -> None:
    for method, path in matrix["operations"]:
        url = address(path, matrix["ids"]) or path.replace("{id}", "1")
        answer = call(client, method, url)
        assert answer.status_code == 401, (method, path, answer.content[:200])
        assert answer.json()["error"]["code"] == "not_authenticated"


def test_a_bad_key_answers_401_everywhere(matrix: dict[str, Any], client: Client) -> None:
    for method, path in matrix["operations"]:
        url = address(path, matrix["ids"]) or path.replace("{id}", "1")
        answer = call(client, method, url, HTTP_AUTHORIZATION="Bearer abcdefgh.wrong")
        assert answer.status_code == 401, (method, path)


def test_charlie_gets_404_for_every_object_of_org_a(matrix: dict[str, Any], charlie: Any) -> None:
    client = logged_in(charlie)
    for method, path in matrix["operations"]:
        url = address(path, matrix["ids"])
        if url is None or "{id}" not in path:
            continue
        assert call(client, method, url).status_code == 404, (method, url)


def test_a_key_limited_to_one_factory_cannot_reach_another(
    matrix: dict[str, Any], client: Client
) -> None:
    bearer = f"Bearer {matrix['suzhou_only']}"
    checked = 0
    for method, path in matrix["operations"]:
        url = address(path, matrix["ids"])
        if url is None or "{id}" not in path:
            continue
        answer = call(client, method, url, HTTP_AUTHORIZATION=bearer)
        assert answer.status_code == 404, (method, url, answer.content[:200])
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("who", ["bob", "read-only key"])
def test_bob_and_a_read_only_key_cannot_write(
    matrix: dict[str, Any], bob: Any, client: Client, who: str
) -> None:
    session = logged_in(bob) if who == "bob" else client
    headers = {} if who == "bob" else {"HTTP_AUTHORIZATION": f"Bearer {matrix['read_only']}"}
    refused, before = 0, row_counts()
    for method, path in matrix["operations"]:
        url = address(path, matrix["ids"])
        if url is None or method not in WRITES:
            continue
        answer = call(session, method, url, **headers)
        if path in COMPUTES:
            assert answer.status_code == 200, (who, method, url)
            continue
        # 403 when the request is readable; 400 when the body or a query parameter it needs
        # is wrong or missing is checked before who may write, never anything that writes.
        assert answer.status_code in (400, 403), (who, method, url, answer.content[:200])
        refused += answer.status_code == 403
    assert refused > 10
    assert row_counts() == before  # nothing was written, whatever the answer


def test_reads_by_bob_and_the_keys_succeed(
    matrix: dict[str, Any], bob: Any, client: Client
) -> None:
    for session, headers in (
        (logged_in(bob), {}),
        (client, {"HTTP_AUTHORIZATION": f"Bearer {matrix['read_only']}"}),
    ):
        for method, path in matrix["operations"]:
            url = address(path, matrix["ids"])
            if url is None or method != "get" or path.endswith(("/quality/",)):
                continue
            answer = call(session, method, url, **headers)
            assert answer.status_code == 200, (method, url, answer.content[:200])
