"""The answers service: rubric answers, declared gates and their evidence, checked by the
dossier reader (one validation path) and written all or nothing."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Answer, Assessment
from assessments.services.answers import AnswersRejected, save_answers, save_gates
from assessments.services.dossier import export_dossier
from emissions.models import EvidenceDocument
from emissions.services import records
from emissions.services.evidence import attach_evidence
from emissions.services.records import InventoryLocked
from zerocarbon.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db

VALID = {
    "INF-1": 3,
    "INF-2": Decimal("0.95"),
    "obsolete_equipment_present": True,
    "ERU-2": "na",
    "PRD-2": {"share": Decimal("0.7"), "third_party_verified": False},
    "RED-1": True,
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _stored(assessment: Assessment) -> dict[str, Any]:
    return {a.item_id: (a.value, a.note) for a in Answer.objects.filter(assessment=assessment)}


def _pdf(name: str = "节能设计.pdf", body: bytes = b"%PDF-1.7 design") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_alice_saves_a_valid_answer_set_and_it_replaces_the_stored_one(
    demo: dict[str, Any], alice: User
) -> None:
    assessment = demo["suzhou"]
    save_answers(alice, assessment, VALID, notes={"INF-1": "设计文件 2023"})
    stored = _stored(assessment)
    assert set(stored) == set(VALID)  # the items left out have no answer any more
    assert stored["INF-1"] == (3, "设计文件 2023")
    assert stored["INF-2"][0] == Decimal("0.95")
    assert stored["PRD-2"][0] == {"share": Decimal("0.7"), "third_party_verified": False}
    assert export_dossier(assessment)["answers"]["obsolete_equipment_present"] is True


@pytest.mark.parametrize("level", ["3", 7, True])
def test_a_level_that_is_not_a_whole_number_in_range_is_refused_at_its_item(
    demo: dict[str, Any], alice: User, level: object
) -> None:
    assessment = demo["suzhou"]
    before = _stored(assessment)
    with pytest.raises(AnswersRejected) as refused:
        save_answers(alice, assessment, {**VALID, "INF-1": level})
    paths = {error.path for error in refused.value.errors}
    assert paths == {"/answers/INF-1"}
    assert "expected an integer 0..3" in refused.value.errors[0].message
    assert _stored(assessment) == before


def test_every_wrong_answer_is_reported_at_once_with_its_path(
    demo: dict[str, Any], alice: User
) -> None:
    wrong = {"INF-2": Decimal("1.5"), "PRD-2": {"third_party_verified": True}, "ERU-1": 1}
    with pytest.raises(AnswersRejected) as refused:
        save_answers(alice, demo["suzhou"], wrong)
    assert [error.path for error in refused.value.errors] == [
        "/answers/ERU-1",
        "/answers/INF-2",
        "/answers/PRD-2/share",
    ]


def test_declared_gates_are_saved_and_a_computed_gate_cannot_be_declared(
    demo: dict[str, Any], alice: User
) -> None:
    assessment = save_gates(alice, demo["suzhou"], {"G1": True, "G2": False})
    assessment.refresh_from_db()
    assert assessment.declared_gates == {"G1": True, "G2": False}
    with pytest.raises(AnswersRejected) as refused:
        save_gates(alice, assessment, {"G1": True, "G4": True})
    assert [error.path for error in refused.value.errors] == ["/gates/G4"]
    assessment.refresh_from_db()
    assert assessment.declared_gates == {"G1": True, "G2": False}


def test_an_answer_keeps_the_evidence_files_linked_to_it(demo: dict[str, Any], alice: User) -> None:
    assessment = demo["suzhou"]
    document = attach_evidence(
        alice, assessment.inventory, upload=_pdf(), kind="rubric", reference="节能设计.pdf"
    )
    save_answers(alice, assessment, VALID, evidence={"INF-1": [document.pk]})
    answer = Answer.objects.get(assessment=assessment, item_id="INF-1")
    assert list(answer.evidence.all()) == [document]
    save_answers(alice, assessment, VALID)  # evidence not given: kept
    assert list(answer.evidence.all()) == [document]
    save_answers(alice, assessment, VALID, evidence={})
    assert not answer.evidence.exists()


def test_evidence_of_another_inventory_or_a_note_without_an_answer_is_refused(
    demo: dict[str, Any], alice: User
) -> None:
    other = attach_evidence(
        alice, demo["wuxi"].inventory, upload=_pdf(), kind="rubric", reference="wuxi.pdf"
    )
    with pytest.raises(AnswersRejected) as refused:
        save_answers(
            alice,
            demo["suzhou"],
            VALID,
            notes={"ICT-2": "系统上线"},
            evidence={"INF-1": [other.pk]},
        )
    assert [error.path for error in refused.value.errors] == [
        "/answers/ICT-2",
        "/answers/INF-1/evidence",
    ]


def test_a_new_file_sent_with_the_answers_is_stored_hashed_and_linked(
    demo: dict[str, Any], alice: User
) -> None:
    body = b"%PDF-1.7 metering plan"
    save_answers(alice, demo["suzhou"], VALID, uploads={"INF-1": _pdf("计量.pdf", body)})
    document = EvidenceDocument.objects.get(reference="计量.pdf")
    assert document.sha256 == hashlib.sha256(body).hexdigest()
    answer = Answer.objects.get(assessment=demo["suzhou"], item_id="INF-1")
    assert list(answer.evidence.all()) == [document]


def test_a_refused_file_or_refused_answers_store_no_file_and_no_answer(
    demo: dict[str, Any], alice: User
) -> None:
    assessment = demo["suzhou"]
    before = _stored(assessment)
    uploads = {"INF-1": _pdf(), "INF-2": SimpleUploadedFile("run.exe", b"MZ")}
    with pytest.raises(AnswersRejected) as refused:
        save_answers(alice, assessment, VALID, uploads=uploads)
    assert [error.path for error in refused.value.errors] == ["/answers/INF-2/upload"]
    assert "not an accepted type" in refused.value.errors[0].message
    with pytest.raises(AnswersRejected) as refused:
        save_answers(alice, assessment, {**VALID, "INF-1": 9}, uploads={"INF-1": _pdf()})
    assert [error.path for error in refused.value.errors] == [
        "/answers/INF-1",
        "/answers/INF-1/upload",
    ]
    assert not EvidenceDocument.objects.exists()
    assert _stored(assessment) == before


def test_a_viewer_may_not_save_and_another_organisation_sees_nothing(
    demo: dict[str, Any], bob: User, charlie: User
) -> None:
    with pytest.raises(PermissionDenied):
        save_answers(bob, demo["suzhou"], VALID)
    with pytest.raises(PermissionDenied):
        save_gates(bob, demo["suzhou"], {"G1": True})
    with pytest.raises(NotFound):
        save_answers(charlie, demo["suzhou"], VALID)


def test_a_locked_inventory_refuses_answers_and_gates(demo: dict[str, Any], alice: User) -> None:
    assessment = demo["suzhou"]
    before = (_stored(assessment), dict(assessment.declared_gates))
    records.lock_inventory(assessment.inventory_id)
    with pytest.raises(InventoryLocked, match="locked"):
        save_answers(alice, assessment, VALID)
    with pytest.raises(InventoryLocked):
        save_gates(alice, assessment, {"G1": False})
    assessment.refresh_from_db()
    assert (_stored(assessment), dict(assessment.declared_gates)) == before
