"""Which evidence files were linked to which answer, in the audit trail: every write that
links or unlinks them (the answers editor and its uploads, either side of the link, a bulk
record, a re-import, a discarded draft, a dossier import) records who did it and when; a
write that changes no link records nothing; the assessment page shows the files added and
removed, before and after, in Chinese and English, for a fixed number of queries; nobody
edits or deletes those records in the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessments.history import PAGE_SIZE, FieldChange, TrailEntry, change_history
from assessments.models import Answer, Assessment
from assessments.services import evaluation, workflow
from assessments.services.answers import save_answers
from assessments.services.dossier import export_dossier, import_dossier
from assessments.services.reimport import replace_dossier
from emissions.history import acting, update_recorded
from emissions.models import EvidenceDocument
from emissions.services.evidence import attach_evidence
from tests.conftest import example
from zerocarbon.accounts.actors import KeyActor
from zerocarbon.accounts.demo import DEMO_PASSWORD
from zerocarbon.accounts.keys import issue_key
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db
EVIDENCE = "Evidence files"
LinkHistory = Answer.history.model.evidence.model


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def suzhou(demo: dict[str, Any]) -> Assessment:
    assessment: Assessment = demo["suzhou"]
    return assessment


@pytest.fixture
def green(suzhou: Assessment, alice: User) -> EvidenceDocument:
    return _file(alice, suzhou, "绿证.pdf")


@pytest.fixture
def bill(suzhou: Assessment, alice: User) -> EvidenceDocument:
    return _file(alice, suzhou, "bill.pdf")


def _file(alice: User, assessment: Assessment, name: str) -> EvidenceDocument:
    upload = SimpleUploadedFile(name, b"%PDF-1.7 " + name.encode(), content_type="application/pdf")
    return attach_evidence(
        alice, assessment.inventory, upload=upload, kind="rubric", reference=name
    )


def values(assessment: Assessment) -> dict[str, Any]:
    return {a.item_id: a.value for a in Answer.objects.filter(assessment=assessment)}


def answer(assessment: Assessment, item_id: str) -> Answer:
    return Answer.objects.get(assessment=assessment, item_id=item_id)


def entries(assessment: Assessment, item_id: str) -> list[TrailEntry]:
    with translation.override("en"):  # a page request before activated its own language
        trail = change_history(assessment).entries
    return [e for e in trail if e.what == f"Answer to {item_id}"]


def evidence_change(entry: TrailEntry) -> FieldChange | None:
    return next((c for c in entry.changes if c.label == EVIDENCE), None)


def newest_link_change(assessment: Assessment, item_id: str) -> tuple[TrailEntry, FieldChange]:
    for entry in entries(assessment, item_id):
        change = evidence_change(entry)
        if change is not None:
            return entry, change
    raise AssertionError(f"no change of the evidence of {item_id}")


def shown(change: FieldChange) -> tuple[tuple[str, ...], tuple[str, ...], str, str]:
    return change.added, change.removed, change.before, change.after


def versions(assessment: Assessment) -> int:
    return int(Answer.history.filter(assessment_id=assessment.pk).count())


# --- Each write path --------------------------------------------------------------------


def test_alice_linking_and_unlinking_files_in_the_answers_editor_is_recorded_with_her_name(
    suzhou: Assessment, alice: User, green: EvidenceDocument, bill: EvidenceDocument
) -> None:
    with acting(alice):
        save_answers(alice, suzhou, values(suzhou), evidence={"INF-1": [green.pk, bill.pk]})
    entry, change = newest_link_change(suzhou, "INF-1")
    assert (entry.kind, entry.who) == ("changed", "alice")
    assert shown(change) == (("bill.pdf", "绿证.pdf"), (), "—", "bill.pdf, 绿证.pdf")
    with acting(alice):
        save_answers(alice, suzhou, values(suzhou), evidence={"INF-1": [green.pk]})
    entry, change = newest_link_change(suzhou, "INF-1")
    assert (entry.kind, entry.who) == ("changed", "alice")
    assert shown(change) == ((), ("bill.pdf",), "bill.pdf, 绿证.pdf", "绿证.pdf")
    row = answer(suzhou, "INF-1").history.first()
    assert [link.evidencedocument_id for link in row.evidence.all()] == [green.pk]


def test_a_file_uploaded_with_its_answer_is_recorded_as_linked_by_alice(
    suzhou: Assessment, alice: User
) -> None:
    upload = SimpleUploadedFile("计量方案.pdf", b"%PDF-1.7 plan", content_type="application/pdf")
    with acting(alice):
        save_answers(alice, suzhou, values(suzhou), uploads={"INF-4": upload})
    entry, change = newest_link_change(suzhou, "INF-4")
    assert (entry.kind, entry.who) == ("changed", "alice")
    assert shown(change) == (("计量方案.pdf",), (), "—", "计量方案.pdf")


def test_saving_the_same_links_again_records_nothing(
    suzhou: Assessment, alice: User, green: EvidenceDocument, bill: EvidenceDocument
) -> None:
    save_answers(alice, suzhou, values(suzhou), evidence={"INF-1": [green.pk]})
    before = versions(suzhou)
    save_answers(alice, suzhou, values(suzhou), evidence={"INF-1": [green.pk]})
    linked = answer(suzhou, "INF-1")
    linked.evidence.add(green)  # linked already
    linked.evidence.remove(bill)  # never linked
    answer(suzhou, "INF-2").evidence.clear()  # has none
    bill.answers.remove(linked)
    assert versions(suzhou) == before
    linked.evidence.remove(green)
    assert versions(suzhou) == before + 1


def test_links_made_from_the_files_side_are_recorded_on_each_answer(
    suzhou: Assessment, alice: User, green: EvidenceDocument
) -> None:
    first, second = answer(suzhou, "INF-1"), answer(suzhou, "INF-2")
    files_before = green.history.count()
    with acting(alice):
        green.answers.add(first, second)
    for item_id in ("INF-1", "INF-2"):
        entry, change = newest_link_change(suzhou, item_id)
        assert (entry.who, change.added) == ("alice", ("绿证.pdf",))
    with acting(alice):
        green.answers.clear()
    for item_id in ("INF-1", "INF-2"):
        assert newest_link_change(suzhou, item_id)[1].removed == ("绿证.pdf",)
    assert green.history.count() == files_before


def test_a_link_made_with_an_api_key_names_the_key_and_no_user(
    suzhou: Assessment, green: EvidenceDocument
) -> None:
    organisation = suzhou.inventory.factory.organisation
    key = issue_key(organisation, name="ERP").api_key
    actor = KeyActor(key=key, organisation_id=organisation.pk, factory_ids=None, read_only=False)
    with acting(actor):
        answer(suzhou, "INF-1").evidence.add(green)
    row = answer(suzhou, "INF-1").history.first()
    assert (row.history_user, row.history_api_key) == (None, key)
    assert newest_link_change(suzhou, "INF-1")[0].who == "API key ERP"


def test_a_bulk_record_keeps_the_links_so_the_next_change_shows_only_itself(
    suzhou: Assessment, alice: User, green: EvidenceDocument
) -> None:
    answer(suzhou, "INF-1").evidence.add(green)
    with acting(alice):
        update_recorded(Answer.objects.filter(assessment=suzhou, item_id="INF-1"), note="批量")
    newest = entries(suzhou, "INF-1")[0]
    assert [c.label for c in newest.changes] == ["note"]
    row = answer(suzhou, "INF-1").history.first()
    assert [link.evidencedocument_id for link in row.evidence.all()] == [green.pk]


def test_a_re_import_keeps_the_links_it_keeps_and_records_those_of_the_answers_it_drops(
    suzhou: Assessment, alice: User, green: EvidenceDocument, bill: EvidenceDocument
) -> None:
    links = {"INF-1": [green.pk], "PRD-3": [bill.pk]}
    save_answers(alice, suzhou, values(suzhou), evidence=links)
    dossier = export_dossier(suzhou)
    dossier["answers"] = {**dossier["answers"], "INF-1": 1}
    del dossier["answers"]["PRD-3"]
    with acting(alice):
        replace_dossier(alice, suzhou, dossier)
    dropped = entries(suzhou, "PRD-3")[0]
    assert (dropped.kind, dropped.who) == ("deleted", "alice")
    assert shown(evidence_change(dropped)) == ((), ("bill.pdf",), "bill.pdf", "—")  # type: ignore[arg-type]
    kept = entries(suzhou, "INF-1")[0]
    assert [c.label for c in kept.changes] == ["value"]
    assert list(answer(suzhou, "INF-1").evidence.all()) == [green]


def test_discarding_a_draft_records_the_files_of_the_answer_it_drops_with_who_discarded(
    suzhou: Assessment, alice: User, alice_client: Client, green: EvidenceDocument
) -> None:
    answered = values(suzhou)
    save_answers(alice, suzhou, {k: v for k, v in answered.items() if k != "RED-5"})
    workflow.submit_assessment(alice, suzhou)
    assert evaluation.evaluate_assessment(suzhou.pk) is not None
    reopened = workflow.reopen_assessment(alice, Assessment.objects.get(pk=suzhou.pk))
    save_answers(alice, reopened, answered, evidence={"RED-5": [green.pk]})
    response = alice_client.post(reverse("assessment-discard", args=[suzhou.pk]))
    assert response.status_code == 302, response.content
    dropped = entries(suzhou, "RED-5")[0]
    assert (dropped.kind, dropped.who) == ("deleted", "alice")
    assert evidence_change(dropped).removed == ("绿证.pdf",)  # type: ignore[union-attr]


def test_a_dossier_import_records_its_answers_with_no_links(
    orgs: dict[str, Organisation], alice: User
) -> None:
    imported = import_dossier(orgs["org-a"], example("demo-dossier"), as_of=timezone.localdate())
    created = Answer.history.filter(assessment_id=imported.pk)
    assert created.count() == Answer.objects.filter(assessment=imported).count()
    assert not LinkHistory.objects.filter(history__in=created).exists()
    assert all(evidence_change(e) is None for e in change_history(imported).entries)
    with acting(alice):
        answer(imported, "INF-1").evidence.add(_file(alice, imported, "绿证.pdf"))
    assert shown(newest_link_change(imported, "INF-1")[1]) == (("绿证.pdf",), (), "—", "绿证.pdf")


# --- The page ---------------------------------------------------------------------------


def _page(client: Client, assessment: Assessment, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(f"/assessments/{assessment.pk}/history/")
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_trail_names_the_files_added_and_removed_in_chinese_and_english(
    suzhou: Assessment, alice: User, alice_client: Client, green: EvidenceDocument, bill: Any
) -> None:
    save_answers(alice, suzhou, values(suzhou), evidence={"INF-1": [bill.pk]})
    with acting(alice):
        save_answers(alice, suzhou, values(suzhou), evidence={"INF-1": [green.pk]})
    chinese = _page(alice_client, suzhou, "zh-hans")
    assert "证据文件" in chinese
    assert "已添加 绿证.pdf" in chinese
    assert "已移除 bill.pdf" in chinese
    english = _page(alice_client, suzhou, "en")
    assert '<span class="history-added">绿证.pdf added</span>' in english
    assert '<span class="history-removed">bill.pdf removed</span>' in english
    assert "Evidence files" in english


def test_the_trail_page_costs_the_same_queries_however_many_links_changed(
    suzhou: Assessment, alice: User, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    files = [_file(alice, suzhou, f"f{number}.pdf") for number in range(PAGE_SIZE)]
    first, second = answer(suzhou, "INF-1"), answer(suzhou, "INF-2")
    first.evidence.add(files[0])
    second.evidence.add(files[0])
    with CaptureQueriesContext(connection) as few:  # 2 answers' rows, 48 files' on the page
        _page(alice_client, suzhou, "en")
    for document in files[1:21]:
        first.evidence.add(document)
        second.evidence.add(document)
    with CaptureQueriesContext(connection) as more:  # 42 answers' rows, 8 files'
        html = _page(alice_client, suzhou, "en")
    assert "f20.pdf added" in html
    assert len(more) == len(few)
    with django_assert_max_num_queries(30):
        _page(alice_client, suzhou, "en")


def test_nobody_edits_or_deletes_the_link_history_in_the_admin(
    suzhou: Assessment, client: Client, green: EvidenceDocument
) -> None:
    answer(suzhou, "INF-1").evidence.add(green)
    assert LinkHistory.objects.exists()
    assert not admin.site.is_registered(LinkHistory)
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    assert client.get("/admin/assessments/historicalanswer_evidence/").status_code == 404
