from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import Client

from emissions.factor_library import default_document, store_document
from emissions.models import EvidenceDocument, FactorSet
from emissions.services.evidence import attach_evidence
from zerocarbon.accounts.demo import DEMO_PASSWORD
from zerocarbon.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_alice_attaches_a_pdf_with_its_hash(
    demo: dict[str, Any], alice: User, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(
        "注销证明-2024-03.pdf", b"%PDF-1.7 proof", content_type="application/pdf"
    )
    inventory = demo["suzhou"].inventory
    reference = "注销证明-2024-03.pdf"
    document = attach_evidence(
        alice, inventory, upload=upload, kind="retirement", reference=reference
    )
    assert document.size_bytes == 14
    assert len(document.sha256) == 64
    with pytest.raises(Conflict, match="already attached"):
        attach_evidence(
            alice,
            demo["suzhou"].inventory,
            upload=upload,
            kind="x",
            reference="注销证明-2024-03.pdf",
        )


def test_a_wrong_type_or_a_too_large_file_is_refused_with_the_reason(
    demo: dict[str, Any], alice: User, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 10
    upload = SimpleUploadedFile("run.exe", b"MZ" * 20)
    with pytest.raises(ValidationFailed) as raised:
        attach_evidence(alice, demo["suzhou"].inventory, upload=upload, kind="x", reference="r")
    messages = " ".join(e.message for e in raised.value.errors)
    assert "not an accepted type" in messages
    assert "the limit is 10" in messages
    assert not EvidenceDocument.objects.exists()


def test_a_viewer_cannot_attach_evidence(demo: dict[str, Any], bob: User) -> None:
    with pytest.raises(PermissionDenied):
        attach_evidence(
            bob,
            demo["suzhou"].inventory,
            upload=SimpleUploadedFile("a.pdf", b"x"),
            kind="x",
            reference="r",
        )


def _model(name: str) -> Any:
    from django.apps import apps

    return apps.get_model("emissions", name)


def test_an_admin_publishes_a_draft_factor_set_and_it_becomes_read_only(
    orgs: Any, client: Client
) -> None:
    draft = store_document(_model, default_document() | {"version": "CN-2026.1"}, publish=False)
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    response = client.post(
        "/admin/emissions/factorset/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FactorSet.Status.PUBLISHED
    page = client.get(f"/admin/emissions/factorset/{draft.pk}/change/")
    assert page.status_code == 200
    assert 'name="version"' not in page.text  # every field read-only


def test_an_admin_drafts_a_copy_of_the_published_set(orgs: Any, client: Client) -> None:
    published = FactorSet.objects.get(version="CN-2025.1")
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    client.post(
        "/admin/emissions/factorset/", {"action": "draft_copy", "_selected_action": [published.pk]}
    )
    draft = FactorSet.objects.get(status=FactorSet.Status.DRAFT)
    assert draft.version.startswith("CN-2025.1-draft-")
    assert draft.fuels.count() == published.fuels.count()
