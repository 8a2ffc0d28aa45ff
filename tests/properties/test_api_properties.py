"""POST /api/v1/dossiers/ with generated bodies (PostgreSQL): 201, or a 4xx in the one error
shape, never a server error. The client answers a server error as a 500 response instead of
raising it, so that the property sees what a client would see."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import event, given

from tests.properties.budget import budget
from tests.properties.checks import is_json_pointer, rolled_back
from tests.properties.findings import SERVER_ERROR_BODIES, SURROGATE_BODIES, run_first
from tests.properties.hostile import raw_bodies
from tests.properties.strategies import AS_OF

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
URL = f"/api/v1/dossiers/?organisation=org-a&as_of={AS_OF.isoformat()}"


def assert_error_shape(response: Any) -> None:
    assert response["Content-Type"] == "application/json", response.content[:300]
    body = json.loads(response.content)
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message", "errors"} <= set(error), error
    for key in ("code", "message"):
        assert isinstance(error[key], str), error
        assert error[key], error
    assert isinstance(error["errors"], list), error
    for entry in error["errors"]:
        assert is_json_pointer(entry["path"]), entry
        assert isinstance(entry["message"], str), entry
        assert entry["message"], entry
    if response.status_code == 400:  # a dossier (or body) refused: it says where
        assert error["errors"], error


@given(body=raw_bodies())
@run_first("body", *SERVER_ERROR_BODIES, *SURROGATE_BODIES)
@budget(0.5, django_fixtures=True)
def test_the_import_endpoint_answers_201_or_a_4xx_error_never_a_server_error(
    alice_client: Client, body: bytes
) -> None:
    alice_client.raise_request_exception = False
    with rolled_back():
        response = alice_client.post(URL, body, content_type="application/json")
    status = response.status_code
    event(f"status {status}")
    assert status == 201 or 400 <= status < 500, (status, body[:300], response.content[:300])
    if status != 201:
        assert_error_shape(response)
