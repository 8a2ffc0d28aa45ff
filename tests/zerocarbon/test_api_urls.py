"""The REST API lives at /api/v1/: one root lists every resource, the old unversioned
addresses answer the API's JSON 404, and the schema and its docs are served from here."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db
RECORDS = {
    "energy-records",
    "process-emissions",
    "refrigerants",
    "scope3-entries",
    "reduction-measures",
    "green-instruments",
    "credits",
}
RESOURCES = {
    "factories",
    "inventories",
    "assessments",
    "evaluations",
    "dossiers",
    "meters",
    "schema",
    "docs",
    *RECORDS,
}
API_PATHS = {
    "/api/v1/factories/",
    "/api/v1/factories/{id}/",
    "/api/v1/inventories/",
    "/api/v1/inventories/{id}/",
    "/api/v1/inventories/{id}/dossier/",
    "/api/v1/assessments/",
    "/api/v1/assessments/{id}/",
    "/api/v1/assessments/{id}/submit/",
    "/api/v1/assessments/{id}/reopen/",
    "/api/v1/assessments/{id}/what-if/",
    "/api/v1/assessments/{id}/evaluations/",
    "/api/v1/assessments/{id}/reviews/",
    "/api/v1/assessments/{id}/dossier/",
    "/api/v1/evaluations/",
    "/api/v1/evaluations/{id}/",
    "/api/v1/dossiers/",
    "/api/v1/meters/",
    "/api/v1/meters/{id}/",
    "/api/v1/meters/{id}/readings/",
    "/api/v1/meters/{id}/months/",
    "/api/v1/meters/{id}/quality/",
    "/api/v1/inventories/{id}/metering/",
    *(f"/api/v1/{name}/" for name in RECORDS),
    *(f"/api/v1/{name}/{{id}}/" for name in RECORDS),
}
ERROR_CODES = {"400", "401", "403", "404", "413", "429"}
WRITE_ERROR_CODES = {"409", "503"}


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/"),
        ("get", "/api/factories/"),
        ("get", "/api/inventories/1/"),
        ("get", "/api/assessments/"),
        ("get", "/api/assessments/1/dossier/"),
        ("post", "/api/assessments/1/submit/"),
        ("get", "/api/evaluations/"),
        ("post", "/api/dossiers/?organisation=org-a"),
    ],
)
def test_the_old_unversioned_addresses_answer_the_json_404(
    demo: dict[str, Any], alice_client: Client, method: str, url: str
) -> None:
    response = getattr(alice_client, method)(url, {}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_root_lists_every_resource(alice_client: Client) -> None:
    response = alice_client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == RESOURCES
    assert body["dossiers"].endswith("/api/v1/dossiers/")
    assert body["docs"].endswith("/api/v1/docs/")


def test_the_api_root_answers_the_json_401_to_a_stranger(client: Client) -> None:
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_schema_is_valid_openapi_3_with_every_path_of_the_api(client: Client) -> None:
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # type: ignore[no-untyped-call]
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == API_PATHS


def test_the_schema_documents_the_one_error_shape_on_every_operation(client: Client) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert components["Error"]["properties"]["error"]["$ref"].endswith("/ErrorDetail")
    assert set(components["ErrorDetail"]["required"]) == {"code", "message", "errors", "total"}
    assert set(components["ErrorItem"]["properties"]) == {"path", "message"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = ERROR_CODES | (WRITE_ERROR_CODES if method != "get" else set())
            errors = {
                code: answer
                for code, answer in operation["responses"].items()
                if code.startswith(("4", "5"))
            }
            assert set(errors) == expected, (method, path)
            for answer in errors.values():
                reference = answer["content"]["application/json"]["schema"]["$ref"]
                assert reference == "#/components/schemas/Error", (method, path)


def test_the_docs_render_with_only_our_own_static_assets(client: Client) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)
    assert len(sources) >= 3, sources
    assert not re.search(r"https?://", page)
    # Swagger's start-up script is a file of ours too (the split view, for the CSP).
    start = [source for source in sources if source.startswith("/api/v1/docs/?script")]
    assert start == ["/api/v1/docs/?script="]
    assert "/api/v1/schema/" in client.get(start[0]).content.decode()
    for source in set(sources) - set(start):
        assert source.startswith("/static/"), source
        assert finders.find(source.removeprefix("/static/")), source
