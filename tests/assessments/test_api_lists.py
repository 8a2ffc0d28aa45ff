"""The API's lists carry what a list shows: an evaluation's summary (its record is its own
page) and an assessment without its rubric's document, whatever the size of either."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.api.serializers import EvaluationSummarySerializer
from assessments.models import Evaluation
from tests.assessments.test_api import evaluated  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

RECORD = {"result", "inputs", "factor_values"}


def selected_sql(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return [query["sql"] for query in captured.captured_queries]


def test_an_evaluations_list_item_is_the_summary_and_its_detail_the_whole_record(
    evaluated: dict[str, Any],  # noqa: F811
    alice_client: Client,
) -> None:
    items = alice_client.get("/api/v1/evaluations/").json()["results"]
    assert len(items) == 2
    for item in items:
        evaluation = Evaluation.objects.get(pk=item["id"])
        assert set(item) == set(EvaluationSummarySerializer.Meta.fields)
        assert (
            item
            == alice_client.get(
                f"/api/v1/assessments/{evaluation.assessment_id}/evaluations/"
            ).json()[0]
        )
        detail = alice_client.get(f"/api/v1/evaluations/{item['id']}/").json()
        assert set(detail) >= RECORD
        assert {key: detail[key] for key in item} == item


def test_the_evaluations_list_reads_no_record_column(
    evaluated: dict[str, Any],  # noqa: F811
    alice_client: Client,
) -> None:
    queries = selected_sql(alice_client, "/api/v1/evaluations/")
    listed = [sql for sql in queries if 'FROM "assessments_evaluation"' in sql]
    assert listed
    for sql in listed:
        for column in RECORD:
            assert f'"assessments_evaluation"."{column}"' not in sql


def test_the_assessments_list_reads_no_rubric_document(
    evaluated: dict[str, Any],  # noqa: F811
    alice_client: Client,
) -> None:
    queries = selected_sql(alice_client, "/api/v1/assessments/")
    assert any('FROM "assessments_assessment"' in sql for sql in queries)
    assert not [sql for sql in queries if '"assessments_rubric"."document"' in sql]
    item = alice_client.get("/api/v1/assessments/").json()["results"][0]
    assert set(item["rubric"]) == {"code", "edition"}


def test_the_schema_documents_the_evaluations_list_as_summaries(alice_client: Client) -> None:
    schema = alice_client.get("/api/v1/schema/?format=json").json()
    listed = schema["paths"]["/api/v1/evaluations/"]["get"]["responses"]["200"]
    detail = schema["paths"]["/api/v1/evaluations/{id}/"]["get"]["responses"]["200"]
    page = listed["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    item = schema["components"]["schemas"][page]["properties"]["results"]["items"]["$ref"]
    assert item.endswith("/EvaluationSummary")
    assert detail["content"]["application/json"]["schema"]["$ref"].endswith("/Evaluation")
