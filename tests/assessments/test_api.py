from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from assessments.models import Assessment, Evaluation
from emissions.models import Inventory
from tests.conftest import DEMO_DATA, submit_through_api

pytestmark = pytest.mark.django_db
AS_OF = "2025-06-30"


@pytest.fixture
def evaluated(
    demo: dict[str, Any], alice_client: Client, django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    for key in ("suzhou", "wuxi"):
        submit_through_api(alice_client, demo[key], django_capture_on_commit_callbacks, AS_OF)
    return demo


def org_a_urls(demo: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    assessment: Assessment = demo["suzhou"]
    inventory: Inventory = assessment.inventory
    evaluation = Evaluation.objects.filter(assessment=assessment).first()
    urls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("get", f"/api/v1/factories/{inventory.factory_id}/", None),
        ("get", f"/api/v1/inventories/{inventory.pk}/", None),
        ("get", f"/api/v1/inventories/{inventory.pk}/dossier/", None),
        ("get", f"/api/v1/assessments/{assessment.pk}/", None),
        ("get", f"/api/v1/assessments/{assessment.pk}/dossier/", None),
        ("get", f"/api/v1/assessments/{assessment.pk}/evaluations/", None),
        ("post", f"/api/v1/assessments/{assessment.pk}/submit/", {}),
        ("post", f"/api/v1/assessments/{assessment.pk}/reopen/", {}),
        ("post", f"/api/v1/assessments/{assessment.pk}/what-if/", {"extra_credits_tco2e": "10"}),
        (
            "post",
            "/api/v1/dossiers/?organisation=org-a",
            json.loads((DEMO_DATA / "demo-dossier.json").read_text()),
        ),
        ("get", f"/assessments/{assessment.pk}/", None),
        ("post", f"/assessments/{assessment.pk}/submit/", {}),
    ]
    if evaluation is not None:
        urls.append(("get", f"/api/v1/evaluations/{evaluation.pk}/", None))
    return urls


def test_charlie_gets_404_for_every_object_of_org_a(
    evaluated: dict[str, Any], charlie_client: Client
) -> None:
    urls = org_a_urls(evaluated)
    assert any("/api/v1/evaluations/" in url for _, url, _ in urls)
    for method, url, body in urls:
        if method == "get":
            response = charlie_client.get(url)
        elif url.startswith("/api/v1/"):
            response = charlie_client.post(url, body, content_type="application/json")
        else:
            response = charlie_client.post(url, body or {})
        assert response.status_code == 404, (url, response.status_code, response.content[:200])
        assert b"91320594MA1EXAMPL2" not in response.content


def test_charlies_lists_contain_nothing_of_org_a(
    evaluated: dict[str, Any], charlie_client: Client
) -> None:
    for url in (
        "/api/v1/factories/",
        "/api/v1/inventories/",
        "/api/v1/assessments/",
        "/api/v1/evaluations/",
    ):
        body = charlie_client.get(url).json()
        assert body["count"] == 0, url
    assert "示例精密制造" not in charlie_client.get("/").text


def test_alice_sees_her_assessments_within_a_query_budget(
    evaluated: dict[str, Any], alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    for url in (
        "/api/v1/factories/",
        "/api/v1/inventories/",
        "/api/v1/assessments/",
        "/api/v1/evaluations/",
    ):
        with django_assert_max_num_queries(8):
            response = alice_client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] == 2, url


def test_an_evaluation_is_served_with_the_complete_result(
    evaluated: dict[str, Any], alice_client: Client
) -> None:
    evaluation = evaluated["wuxi"].evaluations.get()
    body = alice_client.get(f"/api/v1/evaluations/{evaluation.pk}/").json()
    assert body["result"]["total_score"] == 77.32
    assert body["result"]["star_level"] == 4
    assert body["star_level"] == 4
    assert body["inputs"]["factor_set_version"] == "CN-2025.1"


def test_an_invalid_transition_answers_409_with_a_reason(
    evaluated: dict[str, Any], alice_client: Client
) -> None:
    response = alice_client.post(
        f"/api/v1/assessments/{evaluated['wuxi'].pk}/submit/", {}, content_type="application/json"
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert "Cannot submit an assessment that is evaluated" in error["message"]


def test_bob_the_viewer_reads_but_cannot_submit(demo: dict[str, Any], bob_client: Client) -> None:
    assert bob_client.get(f"/api/v1/assessments/{demo['suzhou'].pk}/").status_code == 200
    response = bob_client.post(
        f"/api/v1/assessments/{demo['suzhou'].pk}/submit/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "viewer" in response.json()["error"]["message"]


def test_what_if_over_the_api_returns_the_result_it_would_get(
    demo: dict[str, Any], alice_client: Client
) -> None:
    response = alice_client.post(
        f"/api/v1/assessments/{demo['suzhou'].pk}/what-if/",
        {"extra_credits_tco2e": "3209.94", "as_of": AS_OF},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["star_level"] == 4
    assert not Evaluation.objects.exists()


def test_importing_a_dossier_over_the_api(orgs: Any, charlie_client: Client) -> None:
    body = (DEMO_DATA / "demo-dossier.json").read_text(encoding="utf-8")
    response = charlie_client.post(
        "/api/v1/dossiers/?organisation=org-b&as_of=2025-06-30",
        body,
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["factory"] == "示例精密制造（苏州）有限公司"


def test_an_invalid_dossier_over_the_api_is_400_with_every_path(
    orgs: Any, charlie_client: Client
) -> None:
    data = json.loads((DEMO_DATA / "demo-dossier.json").read_text(encoding="utf-8"))
    data["energy"][0]["unit"] = "t"
    data["factory"]["credit_code"] = "91320594MA1EXAMPL3"
    response = charlie_client.post(
        "/api/v1/dossiers/?organisation=org-b", data, content_type="application/json"
    )
    assert response.status_code == 400
    paths = [e["path"] for e in response.json()["error"]["errors"]]
    assert "/energy/0/unit" in paths
    assert "/factory/credit_code" in paths
    assert Inventory.objects.count() == 0


def test_the_api_needs_a_login(client: Client) -> None:
    response = client.get("/api/v1/assessments/")
    assert response.status_code in {401, 403}
    assert "error" in response.json()


def test_uploading_a_dossier_in_the_browser(orgs: Any, alice_client: Client) -> None:
    with (DEMO_DATA / "demo-dossier.json").open("rb") as handle:
        response = alice_client.post(
            "/dossiers/upload/", {"organisation": orgs["org-a"].pk, "file": handle}
        )
    assert response.status_code == 302
    assert Inventory.objects.filter(factory__organisation=orgs["org-a"]).count() == 1


def test_a_bad_upload_lists_the_errors_and_saves_nothing(
    orgs: Any, alice_client: Client, tmp_path: Any
) -> None:
    data = json.loads((DEMO_DATA / "demo-dossier.json").read_text(encoding="utf-8"))
    data["year"] = 2031
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with path.open("rb") as handle:
        response = alice_client.post(
            "/dossiers/upload/", {"organisation": orgs["org-a"].pk, "file": handle}
        )
    assert response.status_code == 200
    assert "/year" in response.text
    assert Inventory.objects.count() == 0


def test_alice_exports_an_inventorys_dossier(demo: dict[str, Any], alice_client: Client) -> None:
    assessment: Assessment = demo["suzhou"]
    response = alice_client.get(f"/api/v1/inventories/{assessment.inventory_id}/dossier/")
    assert response.status_code == 200
    same = alice_client.get(f"/api/v1/assessments/{assessment.pk}/dossier/")
    assert response.json() == same.json()
    assert response.json()["schema"] == "zerocarbon.dossier/1"


def test_charlie_gets_404_for_alices_inventory_dossier(
    demo: dict[str, Any], charlie_client: Client
) -> None:
    inventory_id = demo["suzhou"].inventory_id
    response = charlie_client.get(f"/api/v1/inventories/{inventory_id}/dossier/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "91320594MA1EXAMPL2" not in response.text


def test_an_inventory_without_an_assessment_has_no_dossier(
    demo: dict[str, Any], alice_client: Client
) -> None:
    assessment: Assessment = demo["suzhou"]
    inventory_id = assessment.inventory_id
    assessment.evaluations.all().delete()
    assessment.delete()
    response = alice_client.get(f"/api/v1/inventories/{inventory_id}/dossier/")
    assert response.status_code == 404
    assert "no assessment" in response.json()["error"]["message"]
