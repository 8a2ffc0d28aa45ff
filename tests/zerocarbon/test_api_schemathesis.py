"""schemathesis against our own OpenAPI schema: every operation, with generated parameters and
bodies (valid and invalid), never answers a server error, and every answer's status code is
one the schema documents. Bounded: SCHEMATHESIS_EXAMPLES examples per operation (a fixed
seed under CI=true, so that a run is reproducible)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from zerocarbon.accounts.keys import issue_key
from zerocarbon.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
IN_CI = os.environ.get("CI", "").lower() == "true"

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def bearer(demo: dict[str, Any]) -> Iterator[dict[str, str]]:
    """A writable key of org-a, whose data (two imported dossiers) the requests meet. The
    requests go to the WSGI application itself, so, as Django's test client does, the
    connection is kept open between them (the test's transaction lives on it)."""
    key = issue_key(demo["orgs"]["org-a"], name="schemathesis").plaintext
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {key}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=IN_CI,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer, checks=[not_a_server_error, status_code_conformance])
