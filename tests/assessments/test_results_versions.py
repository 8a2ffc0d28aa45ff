"""Versions and corrections: a new version after an evaluation, discarding a draft back to the
last rating, deleting a draft inventory (assessments/services/versions.py and its views)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Assessment, Evaluation
from assessments.services import evaluation, reimport, versions, workflow
from assessments.services.dossier import import_dossier
from emissions.models import EnergyRecord, Inventory
from emissions.services import records
from tests.conftest import example
from zerocarbon.accounts.models import Organisation
from zerocarbon.errors import Conflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(orgs: dict[str, Organisation]) -> Assessment:
    return import_dossier(orgs["org-a"], example("demo-dossier"), as_of=timezone.localdate())


@pytest.fixture
def rated(alice: Any, draft: Assessment) -> Assessment:
    """The draft submitted and evaluated once (the worker's function, in-process)."""
    workflow.submit_assessment(alice, draft)
    assert evaluation.evaluate_assessment(draft.pk) is not None
    return Assessment.objects.get(pk=draft.pk)


def first_line(assessment: Assessment) -> EnergyRecord:
    return EnergyRecord.objects.filter(inventory=assessment.inventory_id).order_by("pk")[0]


def edit(alice: Any, assessment: Assessment) -> None:
    """Change the grid electricity and an answer, as the editor would."""
    records.update_line(
        alice, first_line(assessment), "energy", {"quantity": "13000"}, partial=True
    )
    Answer.objects.filter(assessment=assessment, item_id="PRD-3").update(value=True)


def status_of(assessment: Assessment) -> tuple[str, str]:
    inventory = Inventory.objects.get(pk=assessment.inventory_id)
    return Assessment.objects.get(pk=assessment.pk).status, inventory.status


def test_a_new_version_edited_and_submitted_adds_an_evaluation_and_keeps_the_first(
    alice: Any, alice_client: Client, rated: Assessment
) -> None:
    first = Evaluation.objects.get(assessment=rated)
    kept = (first.sha256, first.result, first.inputs)
    response = alice_client.post(reverse("assessment-new-version", args=[rated.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("inventory-edit", args=[rated.inventory_id])
    assert status_of(rated) == ("draft", "draft")
    edit(alice, rated)
    workflow.submit_assessment(alice, rated)
    second = evaluation.evaluate_assessment(rated.pk)
    assert second is not None
    assert second.pk != first.pk
    assert Evaluation.objects.filter(assessment=rated).count() == 2
    first.refresh_from_db()
    assert (first.sha256, first.result, first.inputs) == kept
    assert second.result["emissions"] != first.result["emissions"]


@pytest.fixture(autouse=True)
def _english_pages(alice_client: Client) -> None:
    """These tests read the English sentences of the pages (Chinese is the default)."""
    alice_client.cookies["django_language"] = "en"


def test_discarding_a_draft_restores_the_rated_inventory_and_answers(
    alice: Any, alice_client: Client, rated: Assessment
) -> None:
    before = first_line(rated).quantity
    workflow.reopen_assessment(alice, rated)
    edit(alice, rated)
    assert first_line(rated).quantity == Decimal(13000)
    response = alice_client.post(reverse("assessment-discard", args=[rated.pk]))
    assert response.status_code == 302
    assert first_line(rated).quantity == before
    assert Answer.objects.get(assessment=rated, item_id="PRD-3").value is False
    assert status_of(rated) == ("evaluated", "locked")
    assert Evaluation.objects.filter(assessment=rated).count() == 1
    # What the panel now computes is what the evaluation recorded.
    reopened = workflow.reopen_assessment(alice, rated)
    latest = Evaluation.objects.get(assessment=rated)
    assert evaluation.preview(alice, reopened, as_of=latest.as_of).input_sha256 == (
        latest.input_sha256
    )


def test_a_draft_never_evaluated_cannot_be_discarded(alice: Any, draft: Assessment) -> None:
    with pytest.raises(workflow.InvalidTransition, match="never evaluated"):
        versions.discard_draft(alice, draft)
    assert status_of(draft) == ("draft", "draft")


def test_an_evaluated_assessment_has_no_draft_to_discard(
    alice: Any, alice_client: Client, rated: Assessment
) -> None:
    with pytest.raises(workflow.InvalidTransition, match="only a reopened draft"):
        versions.discard_draft(alice, rated)
    response = alice_client.post(reverse("assessment-discard", args=[rated.pk]), follow=True)
    assert "only a reopened draft" in response.content.decode()


def test_bob_may_not_start_a_version_discard_or_delete_and_charlie_sees_none_of_it(
    bob_client: Client, charlie_client: Client, rated: Assessment
) -> None:
    for name, pk in (
        ("assessment-new-version", rated.pk),
        ("assessment-discard", rated.pk),
        ("inventory-delete", rated.inventory_id),
    ):
        assert bob_client.post(reverse(name, args=[pk])).status_code == 403
        assert charlie_client.post(reverse(name, args=[pk])).status_code == 404
    assert bob_client.get(reverse("inventory-delete", args=[rated.inventory_id])).status_code == 403
    assert status_of(rated) == ("evaluated", "locked")


def test_a_never_submitted_inventory_is_deleted_with_its_draft_after_confirmation(
    alice_client: Client, draft: Assessment
) -> None:
    url = reverse("inventory-delete", args=[draft.inventory_id])
    page = alice_client.get(url)
    assert page.status_code == 200
    assert f'action="{url}"' in page.content.decode()
    response = alice_client.post(url)
    assert response.status_code == 302
    assert not Inventory.objects.filter(pk=draft.inventory_id).exists()
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert not Answer.objects.filter(assessment_id=draft.pk).exists()


def test_an_inventory_once_submitted_is_not_deleted_even_after_reopening(
    alice: Any, alice_client: Client, rated: Assessment
) -> None:
    workflow.reopen_assessment(alice, rated)
    url = reverse("inventory-delete", args=[rated.inventory_id])
    assert f'action="{url}"' not in alice_client.get(url).content.decode()
    response = alice_client.post(url, follow=True)
    assert "was submitted for evaluation" in response.content.decode()
    with pytest.raises(Conflict, match="was submitted for evaluation"):
        versions.delete_draft_inventory(alice, rated.inventory)
    assert Inventory.objects.filter(pk=rated.inventory_id).exists()
    assert Evaluation.objects.filter(assessment=rated).count() == 1


def test_a_draft_that_cannot_be_restored_exactly_is_left_as_it_was(
    alice: Any, rated: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow.reopen_assessment(alice, rated)
    edit(alice, rated)
    monkeypatch.setattr(reimport, "replace_dossier", lambda *args, **kwargs: None)
    with pytest.raises(versions.NotRestorable, match="could not be restored exactly"):
        versions.discard_draft(alice, rated)
    assert status_of(rated) == ("draft", "draft")
    assert first_line(rated).quantity == Decimal(13000)


def test_a_draft_has_no_new_version_to_start(alice_client: Client, draft: Assessment) -> None:
    url = reverse("assessment-new-version", args=[draft.pk])
    response = alice_client.post(url)
    assert response["Location"] == reverse("assessment-detail", args=[draft.pk])
    assert status_of(draft) == ("draft", "draft")
