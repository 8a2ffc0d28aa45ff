"""Replacing an evidence file under its reference: how a consultant corrects a file the
review rejected, in a draft only, with the claims still pointing to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.services.answers import save_answers
from emissions.models import EvidenceDocument
from emissions.services import records
from emissions.services.evidence import attach_evidence

pytestmark = pytest.mark.django_db
REFERENCE = "注销证明-2024-03.pdf"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def document(demo: dict[str, Any], alice: User) -> EvidenceDocument:
    assessment = demo["wuxi"]
    upload = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 the first scan")
    stored = attach_evidence(
        alice, assessment.inventory, upload=upload, kind="certificate", reference=REFERENCE
    )
    answers = {a.item_id: a.value for a in assessment.answers.all()}
    item = next(iter(answers))
    save_answers(alice, assessment, answers, evidence={item: [stored.pk]})
    return stored


def _replace(
    client: Client, document: EvidenceDocument, content: bytes, name: str = "new.pdf"
) -> Any:
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse("evidence-replace", args=[document.pk]), {"file": upload})


def test_alice_replaces_a_file_and_its_answers_and_claims_keep_it(
    document: EvidenceDocument, alice_client: Client
) -> None:
    before = document.sha256
    response = _replace(alice_client, document, b"%PDF-1.4 the legible scan")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.sha256 != before
    assert document.reference == REFERENCE
    assert document.answers.count() == 1  # the link is the row's, kept
    assert document.history.count() == 2  # the trail keeps the file before


def test_a_file_of_a_locked_inventory_is_not_replaced(
    document: EvidenceDocument, alice_client: Client
) -> None:
    records.lock_inventory(document.inventory_id)
    before = document.sha256
    alice_client.cookies["django_language"] = "en"
    response = _replace(alice_client, document, b"%PDF-1.4 too late")
    assert response.status_code == 302
    page = alice_client.get(response["Location"]).content.decode()
    assert "locked" in page.lower() or "under evaluation" in page.lower()
    document.refresh_from_db()
    assert document.sha256 == before


def test_a_file_of_a_refused_type_says_so_and_changes_nothing(
    document: EvidenceDocument, alice_client: Client
) -> None:
    before = document.sha256
    alice_client.cookies["django_language"] = "en"
    response = _replace(alice_client, document, b"MZ", name="tool.exe")
    page = alice_client.get(response["Location"]).content.decode()
    assert "tool.exe" in page
    assert "not an accepted type" in page
    document.refresh_from_db()
    assert document.sha256 == before


def test_bob_may_not_replace_and_charlie_does_not_find_the_file(
    document: EvidenceDocument, bob_client: Client, charlie_client: Client
) -> None:
    assert _replace(bob_client, document, b"%PDF-1.4 x").status_code == 403
    assert _replace(charlie_client, document, b"%PDF-1.4 x").status_code == 404
