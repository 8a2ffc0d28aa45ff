"""The evidence files page of the editor: the list, uploads through attach_evidence (type and
size limits, hashed) and downloads served only to the file's organisation."""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from emissions.models import EvidenceDocument, Inventory
from emissions.services import records

pytestmark = pytest.mark.django_db
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.7\n% retirement proof\n" + b"0" * 2000


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def inventory(demo: dict[str, Any]) -> Inventory:
    inventory: Inventory = demo["suzhou"].inventory
    return inventory


def _url(inventory: Inventory) -> str:
    return reverse("inventory-evidence", args=[inventory.pk])


def _upload(client: Client, inventory: Inventory, name: str, body: bytes, **extra: Any) -> Any:
    data = {"kind": "retirement", "reference": "", "file": SimpleUploadedFile(name, body)}
    return client.post(_url(inventory), data, **EN, **extra)


def test_an_exe_is_refused_at_the_file_field_and_nothing_is_stored(
    inventory: Inventory, alice_client: Client
) -> None:
    response = _upload(alice_client, inventory, "setup.exe", b"MZ\x90\x00")
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    errors = re.search(r'id="id_file-errors">(.*?)</ul>', page, re.S)
    assert errors is not None
    assert "'setup.exe' is not an accepted type" in errors.group(1)
    assert not EvidenceDocument.objects.exists()


def test_a_pdf_is_stored_with_its_sha256_and_listed_with_a_download_link(
    inventory: Inventory, alice_client: Client
) -> None:
    response = _upload(alice_client, inventory, "注销证明-2024-03.pdf", PDF)
    assert response.status_code == 302
    document = EvidenceDocument.objects.get()
    assert document.reference == "注销证明-2024-03.pdf"  # the file's name when none is given
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (document.size_bytes, document.kind, document.uploaded_by.username) == (
        len(PDF),
        "retirement",
        "alice",
    )
    page = alice_client.get(_url(inventory), **EN).content.decode()
    assert document.sha256 in page
    assert reverse("evidence-download", args=[document.pk]) in page
    assert "Credit retirement proof" in page


def test_a_reference_used_already_is_refused_at_the_reference_field(
    inventory: Inventory, alice_client: Client
) -> None:
    _upload(alice_client, inventory, "a.pdf", PDF)
    response = alice_client.post(
        _url(inventory),
        {"kind": "rubric", "reference": "a.pdf", "file": SimpleUploadedFile("b.pdf", PDF)},
        **EN,
    )
    assert response.status_code == 409
    errors = re.search(r'id="id_reference-errors">(.*?)</ul>', response.content.decode(), re.S)
    assert errors is not None
    assert "already used in this inventory" in errors.group(1)
    assert EvidenceDocument.objects.count() == 1


def test_an_upload_larger_than_the_general_body_limit_passes_up_to_the_evidence_limit(
    inventory: Inventory, alice_client: Client, settings: Any
) -> None:
    settings.MAX_BODY_BYTES = 1000  # far below the PDF
    settings.EVIDENCE_MAX_BYTES = len(PDF)
    assert _upload(alice_client, inventory, "proof.pdf", PDF).status_code == 302
    settings.EVIDENCE_MAX_BYTES = 100
    too_large = _upload(alice_client, inventory, "big.pdf", PDF + b"0" * 70_000)
    assert too_large.status_code == 413
    assert EvidenceDocument.objects.count() == 1


def test_downloads_are_served_to_the_organisation_only(
    inventory: Inventory, alice_client: Client, bob_client: Client, charlie_client: Client
) -> None:
    _upload(alice_client, inventory, "proof.pdf", PDF)
    url = reverse("evidence-download", args=[EvidenceDocument.objects.get().pk])
    response: Any = alice_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert bob_client.get(url).status_code == 200  # a viewer reads
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.get(_url(inventory)).status_code == 404


def test_bob_sees_the_files_without_the_upload_form_and_may_not_upload(
    inventory: Inventory, alice_client: Client, bob_client: Client
) -> None:
    _upload(alice_client, inventory, "proof.pdf", PDF)
    page = bob_client.get(_url(inventory), **EN).content.decode()
    assert "proof.pdf" in page
    assert 'type="file"' not in page
    assert _upload(bob_client, inventory, "x.pdf", PDF).status_code == 403
    assert EvidenceDocument.objects.count() == 1


def test_a_locked_inventory_refuses_uploads(inventory: Inventory, alice_client: Client) -> None:
    records.lock_inventory(inventory.pk)
    response = _upload(alice_client, inventory, "proof.pdf", PDF)
    assert response.status_code == 409
    assert "is locked" in response.content.decode()
    assert not EvidenceDocument.objects.exists()
