"""What needs attention, read in three queries (the years, their newest assessments, those
assessments' newest evaluations) however many factories there are: most urgent first, then
by factory name and newest year, the count of all of them beside the first few."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Evaluation
from assessments.selectors import AttentionKind, attention_for
from emissions.models import Inventory
from emissions.selectors import default_factor_set
from tests.assessments.test_dashboard import evaluation, make_factories
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def test_attention_orders_every_kind_by_urgency_then_factory_name_then_newest_year(
    orgs: dict[str, Organisation], alice: User
) -> None:
    f0, f1, f2, f3 = make_factories(orgs["org-a"], 4, years=(2023, 2024))
    Assessment.objects.filter(inventory__factory=f2, inventory__year=2023).update(status="failed")
    Assessment.objects.filter(inventory__factory=f0, inventory__year=2024).update(status="failed")
    Assessment.objects.filter(inventory__factory=f1).update(status="draft")
    Inventory.objects.create(factory=f3, year=2025, boundary="I", factor_set=default_factor_set())
    rated = Assessment.objects.get(inventory__factory=f2, inventory__year=2024)
    # A newer evaluation without a shortfall wins over the older one with it.
    Evaluation.objects.bulk_create([evaluation(rated, total=Decimal(1), next_level=None, sha="b")])

    found, total = attention_for(alice, limit=100)

    assert [(item.kind, item.factory_pk, item.year) for item in found] == [
        (AttentionKind.FAILED, f0.pk, 2024),
        (AttentionKind.FAILED, f2.pk, 2023),
        (AttentionKind.DRAFT, f1.pk, 2024),
        (AttentionKind.DRAFT, f1.pk, 2023),
        (AttentionKind.UNASSESSED, f3.pk, 2025),
    ]
    assert total == 5
    assert (
        found[0].assessment_pk
        == Assessment.objects.get(inventory__factory=f0, inventory__year=2024).pk
    )
    assert found[-1].assessment_pk is None
    assert (found[0].name, found[0].name_en) == ("工厂 0000", "Factory 0000")


def test_attention_names_the_level_a_latest_year_falls_short_of(
    orgs: dict[str, Organisation], alice: User
) -> None:
    make_factories(orgs["org-a"], 1, years=(2023, 2024))

    found, total = attention_for(alice, limit=10)

    assert [(item.kind, item.year, item.next_level) for item in found] == [
        (AttentionKind.SHORTFALL, 2024, 5)
    ]
    assert total == 1
    assert found[0].organisation_pk == orgs["org-a"].pk


def test_attention_reads_in_three_queries_for_3_and_for_60_factories(
    orgs: dict[str, Organisation], alice: User, django_assert_num_queries: Any
) -> None:
    make_factories(orgs["org-a"], 3)
    with django_assert_num_queries(4):  # + the actor's organisations
        assert attention_for(alice, limit=10)[1] == 3
    make_factories(orgs["org-a"], 57, start=3)
    with django_assert_num_queries(4):
        found, total = attention_for(alice, limit=10)
    assert (len(found), total) == (10, 60)
    assert [item.name for item in found] == [f"工厂 {n:04d}" for n in range(10)]


def test_charlie_needs_to_attend_to_nothing_of_org_a(
    orgs: dict[str, Organisation], charlie: User
) -> None:
    make_factories(orgs["org-a"], 2)

    assert attention_for(charlie, limit=10) == ([], 0)


@pytest.mark.postgres  # the SQL of a JSON key differs on SQLite
def test_attention_reads_one_key_of_the_evaluations_result(
    orgs: dict[str, Organisation], alice: User
) -> None:
    make_factories(orgs["org-a"], 2)

    with CaptureQueriesContext(connection) as captured:
        attention_for(alice, limit=10)

    read = [
        q["sql"] for q in captured.captured_queries if 'FROM "assessments_evaluation"' in q["sql"]
    ]
    assert len(read) == 1
    assert "next_level" in read[0]
    assert "boundary_total" not in read[0]
    assert '"assessments_evaluation"."star_level"' not in read[0]
