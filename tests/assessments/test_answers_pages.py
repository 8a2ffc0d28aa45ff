"""The gates and rubric answers pages of the inventory editor."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, Assessment
from emissions.services import records

pytestmark = pytest.mark.django_db
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _answers_url(assessment: Assessment) -> str:
    return reverse("assessment-answers", args=[assessment.pk])


def _gates_url(assessment: Assessment) -> str:
    return reverse("assessment-gates", args=[assessment.pk])


def _form(**changes: str) -> dict[str, str]:
    data = {
        "INF-1": "2",
        "INF-1.note": "节能设计文件",
        "INF-2": "0.95",
        "INF-3": "0.8",
        "obsolete_equipment_present": "false",
        "ERU-2": "advanced",
        "PRD-2.share": "0.7",
        "PRD-2.third_party_verified": "on",
    }
    return data | changes


def _stored(assessment: Assessment) -> dict[str, object]:
    return {a.item_id: a.value for a in Answer.objects.filter(assessment=assessment)}


def test_the_answers_page_shows_every_item_with_its_rule_provenance_and_input(
    demo: dict[str, Any], alice_client: Client
) -> None:
    response = alice_client.get(_answers_url(demo["suzhou"]), **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "GB 17167 metering at 1 factory / 2 workshop / 3 key-equipment level" in page
    assert "threshold set by the platform edition" in page
    assert 'id="f-answers-INF-1"' in page  # the anchor an error links to
    assert 'id="f-answers-PRD-2-share"' in page
    assert 'id="f-answers-obsolete_equipment_present"' in page
    assert re.search(r'id="f-answers-ERU-1-item".*?computed from the inventory', page, re.S)
    assert '<option value="advanced" selected>advanced value</option>' in page


def test_the_answers_page_speaks_chinese_by_default(
    demo: dict[str, Any], alice_client: Client
) -> None:
    page = alice_client.get(_answers_url(demo["suzhou"])).content.decode()
    assert "按 GB 17167 配备能源计量器具" in page
    assert "GB 17167 metering at 1 factory" not in page


def test_an_invalid_level_is_shown_at_its_item_and_nothing_typed_is_lost(
    demo: dict[str, Any], alice_client: Client
) -> None:
    assessment = demo["suzhou"]
    before = _stored(assessment)
    response = alice_client.post(
        _answers_url(assessment), _form(**{"INF-1": "7", "INF-2": "0.5"}), **EN, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 400
    errors = re.search(r'id="f-answers-INF-1-errors">(.*?)</ul>', page, re.S)
    assert errors is not None
    assert "expected an integer 0..3, got 7" in errors.group(1)
    assert "节能设计文件</textarea>" in page  # the note typed is still there
    assert 'value="0.5"' in page
    assert _stored(assessment) == before


def test_a_valid_save_refreshes_the_live_panel_and_stores_exact_values(
    demo: dict[str, Any], alice_client: Client
) -> None:
    assessment = demo["suzhou"]
    response = alice_client.post(_answers_url(assessment), _form(), **EN, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "inventory-changed"
    assert 'class="notice ok"' in response.content.decode()  # the "saved" note
    stored = _stored(assessment)
    assert stored["INF-1"] == 2
    assert str(stored["INF-2"]) == "0.95"
    assert stored["PRD-2"] == {"share": Decimal("0.7"), "third_party_verified": True}
    assert stored["obsolete_equipment_present"] is False
    assert "ICT-1" not in stored  # left empty: no answer
    note = Answer.objects.get(assessment=assessment, item_id="INF-1").note
    assert note == "节能设计文件"


def test_without_javascript_a_save_redirects_back(
    demo: dict[str, Any], alice_client: Client
) -> None:
    response = alice_client.post(_answers_url(demo["suzhou"]), _form())
    assert response.status_code == 302
    assert response["Location"] == _answers_url(demo["suzhou"])


def test_a_file_attached_on_the_answers_page_is_stored_and_linked(
    demo: dict[str, Any], alice_client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("计量方案.pdf", b"%PDF-1.7 plan", content_type="application/pdf")
    data: dict[str, Any] = _form() | {"INF-4": "3", "INF-4.upload": upload}
    response = alice_client.post(_answers_url(demo["suzhou"]), data, **HTMX)
    assert response.status_code == 200
    answer = Answer.objects.get(assessment=demo["suzhou"], item_id="INF-4")
    assert [d.reference for d in answer.evidence.all()] == ["计量方案.pdf"]
    assert "计量方案.pdf" in response.content.decode()  # now one of the files to choose


def test_bob_reads_the_answers_without_inputs_and_may_not_post(
    demo: dict[str, Any], bob_client: Client
) -> None:
    response = bob_client.get(_answers_url(demo["suzhou"]), **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "advanced value" in page  # the stored answer, in words
    assert "<select" not in page
    assert "Save answers" not in page
    assert bob_client.post(_answers_url(demo["suzhou"]), _form()).status_code == 403
    assert bob_client.post(_gates_url(demo["suzhou"]), {"G1": "on"}).status_code == 403


def test_charlie_gets_404_for_alices_answers_and_gates(
    demo: dict[str, Any], charlie_client: Client
) -> None:
    assert charlie_client.get(_answers_url(demo["suzhou"])).status_code == 404
    assert charlie_client.get(_gates_url(demo["suzhou"])).status_code == 404
    assert charlie_client.post(_answers_url(demo["suzhou"]), _form()).status_code == 404


def test_a_locked_inventory_shows_its_answers_read_only_and_refuses_a_save(
    demo: dict[str, Any], alice_client: Client
) -> None:
    assessment = demo["suzhou"]
    records.lock_inventory(assessment.inventory_id)
    page = alice_client.get(_answers_url(assessment), **EN).content.decode()
    assert "<select" not in page
    before = _stored(assessment)
    response = alice_client.post(_answers_url(assessment), _form(**{"INF-1": "1"}), **EN)
    assert response.status_code == 409
    assert "is locked" in response.content.decode()
    assert _stored(assessment) == before


def test_the_answers_page_query_count_does_not_grow_with_evidence_files(
    demo: dict[str, Any], alice: Any, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.services.answers import save_answers
    from emissions.services.evidence import attach_evidence

    assessment = demo["suzhou"]
    documents = [
        attach_evidence(
            alice,
            assessment.inventory,
            upload=SimpleUploadedFile(f"f{number}.pdf", b"%PDF-1.7"),
            kind="rubric",
            reference=f"f{number}.pdf",
        )
        for number in range(12)
    ]
    answers = {"INF-1": 2, "INF-4": 3, "ICT-1": 1, "ICT-2": True, "PRD-1": True}
    linked = {item_id: [d.pk for d in documents] for item_id in answers}
    save_answers(alice, assessment, answers, evidence=linked)
    with django_assert_max_num_queries(12):  # 9 today, with 0 files or 12 on 5 answers
        assert alice_client.get(_answers_url(assessment)).status_code == 200


def test_the_gates_page_lists_every_gate_and_saves_the_declared_ones(
    demo: dict[str, Any], alice_client: Client
) -> None:
    assessment = demo["suzhou"]
    page = alice_client.get(_gates_url(assessment), **EN).content.decode()
    for gate in ("G1", "G2", "G3", "G4"):
        assert f"<code>{gate}</code>" in page
    assert 'id="f-gates-G1"' in page
    assert 'id="f-gates-G2"' in page
    assert 'id="f-gates-G3"' not in page  # computed: no checkbox
    assert "no major safety, quality or environmental accident" in page
    response = alice_client.post(_gates_url(assessment), {"G1": "on"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "inventory-changed"
    assessment.refresh_from_db()
    assert assessment.declared_gates == {"G1": True, "G2": False}
