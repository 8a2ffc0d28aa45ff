"""The change history on the assessment page: who changed what and when, before and after,
for answers, evidence, the status and the inventory's lines; 50 a page for a fixed number of
queries; seen by whoever sees the assessment and by no other tenant; read only everywhere,
the admin included."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.history import PAGE_SIZE, TrailEntry, change_history
from assessments.models import Answer, Assessment
from assessments.services.answers import save_answers, save_gates, upload_evidence
from assessments.services.workflow import reopen_assessment, submit_assessment
from emissions.history import acting
from emissions.models import EnergyRecord
from emissions.services import records
from zerocarbon.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def suzhou(demo: dict[str, Any]) -> Assessment:
    assessment: Assessment = demo["suzhou"]
    return assessment


def newest(assessment: Assessment, what: str) -> TrailEntry:
    return next(e for e in change_history(assessment).entries if e.what == what)


def changes(entry: TrailEntry) -> dict[str, tuple[str, str]]:
    return {change.label: (change.before, change.after) for change in entry.changes}


def _page(client: Client, assessment: Assessment, page: int = 1) -> Any:
    client.cookies["django_language"] = "en"
    return client.get(f"/assessments/{assessment.pk}/history/?page={page}")


def test_saved_answers_show_who_changed_which_value_from_what_to_what(
    suzhou: Assessment, alice: User
) -> None:
    values = {a.item_id: a.value for a in suzhou.answers.all()}
    before = values["INF-1"]
    with acting(alice):
        save_answers(alice, suzhou, {**values, "INF-1": 1}, notes={"INF-1": "设计文件"})
    entry = newest(suzhou, "Answer to INF-1")
    assert (entry.kind, entry.who) == ("changed", "alice")
    assert changes(entry)["value"] == (str(before), "1")
    assert changes(entry)["note"] == ("—", "设计文件")


def test_saving_the_same_answers_again_adds_nothing_to_the_history(
    suzhou: Assessment, alice: User
) -> None:
    values = {a.item_id: a.value for a in suzhou.answers.all()}
    history = Answer.history.filter(assessment_id=suzhou.pk)
    before = history.count()
    save_answers(alice, suzhou, values)
    assert history.count() == before
    save_answers(alice, suzhou, {**values, "INF-1": 1})
    assert history.count() == before + 1


def test_declared_gates_show_before_and_after(suzhou: Assessment, alice: User) -> None:
    with acting(alice):
        save_gates(alice, suzhou, {"G1": True})
    entry = newest(suzhou, "The assessment")
    assert (entry.kind, entry.who) == ("changed", "alice")
    assert changes(entry)["declared_gates"][1] == '{"G1":true}'


def test_an_uploaded_evidence_document_shows_as_created_with_its_digest(
    suzhou: Assessment, alice: User
) -> None:
    upload = SimpleUploadedFile("电费单.pdf", b"%PDF-1.7 bill", content_type="application/pdf")
    with acting(alice):
        document = upload_evidence(
            alice, suzhou.inventory, upload=upload, kind="bill", reference="电费单"
        )
    entry = newest(suzhou, "Evidence document 电费单")
    assert (entry.kind, entry.who) == ("created", "alice")
    assert changes(entry)["sha256"] == ("—", document.sha256)


def test_submit_and_reopen_show_the_status_and_the_inventory_lock(
    suzhou: Assessment, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with acting(alice), django_capture_on_commit_callbacks(execute=True):
        submit_assessment(alice, suzhou, as_of=AS_OF)
    with acting(alice):
        reopen_assessment(alice, Assessment.objects.get(pk=suzhou.pk))
    statuses = [
        changes(e)["status"]
        for e in change_history(suzhou).entries
        if e.what == "The assessment" and "status" in changes(e)
    ]
    # newest first: reopened, evaluated by the platform's task, submitted by alice
    assert statuses[:3] == [
        ("Evaluated", "Draft"),
        ("Submitted", "Evaluated"),
        ("Draft", "Submitted"),
    ]
    locks = [
        changes(e)["status"] for e in change_history(suzhou).entries if e.what.startswith("Inv")
    ]
    assert locks[:2] == [("Locked", "Draft"), ("Draft", "Locked")]


def test_a_deleted_line_shows_its_last_values_and_who_deleted_it(
    suzhou: Assessment, alice: User
) -> None:
    line = EnergyRecord.objects.get(inventory=suzhou.inventory, position=3)
    with acting(alice):
        records.delete_line(alice, line, "energy")
    entry = newest(suzhou, "Energy line 4")
    assert (entry.kind, entry.who) == ("deleted", "alice")
    assert changes(entry)["unit"] == (line.unit, "—")


def test_the_assessment_page_loads_the_history_and_the_partial_names_the_changes(
    suzhou: Assessment, alice: User, alice_client: Client
) -> None:
    page = alice_client.get(f"/assessments/{suzhou.pk}/").content.decode()
    assert f'hx-get="/assessments/{suzhou.pk}/history/"' in page
    line = EnergyRecord.objects.get(inventory=suzhou.inventory, position=0)
    url = f"/api/v1/energy-records/{line.pk}/"
    patched = alice_client.patch(url, '{"note": "抄表"}', content_type="application/json")
    assert patched.status_code == 200
    html = _page(alice_client, suzhou).content.decode()
    assert "Energy line 1" in html
    assert "<code>note</code>" in html
    assert "抄表" in html


def test_bob_sees_the_history_and_charlie_gets_a_404(
    suzhou: Assessment, bob_client: Client, charlie_client: Client
) -> None:
    assert _page(bob_client, suzhou).status_code == 200
    assert _page(charlie_client, suzhou).status_code == 404
    assert _page(bob_client, suzhou, 0).status_code == 404


def test_fifty_changes_a_page_newest_first_for_a_fixed_number_of_queries(
    suzhou: Assessment, alice: User, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    line = EnergyRecord.objects.get(inventory=suzhou.inventory, position=0)
    for number in range(PAGE_SIZE + 10):
        line.note = f"reading {number}"
        line.save()
    first = change_history(suzhou, 1)
    assert len(first.entries) == PAGE_SIZE
    assert first.has_next
    assert not first.has_previous
    assert changes(first.entries[0])["note"] == (
        f"reading {PAGE_SIZE + 8}",
        f"reading {PAGE_SIZE + 9}",
    )
    second = change_history(suzhou, 2)
    assert second.has_previous
    assert changes(second.entries[0])["note"] == ("reading 8", "reading 9")
    # One query picks the page, two per table on it, plus the request's own (session, user,
    # assessment): at most 12 tables, whatever the page holds.
    with django_assert_max_num_queries(30):
        html = _page(alice_client, suzhou, 2).content.decode()
    assert "Newer changes" in html
    with CaptureQueriesContext(connection) as few:
        assert "Older changes" in _page(alice_client, suzhou, 1).content.decode()
    for number in range(PAGE_SIZE):
        line.note = f"more {number}"
        line.save()
    with CaptureQueriesContext(connection) as more:
        _page(alice_client, suzhou, 1)
    assert len(more) == len(few)


def test_the_admin_shows_the_history_but_refuses_a_revert(
    suzhou: Assessment, client: Client
) -> None:
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    factory = suzhou.inventory.factory
    listing = client.get(f"/admin/emissions/factory/{factory.pk}/history/")
    assert listing.status_code == 200
    version = factory.history.order_by("history_id").first()
    url = f"/admin/emissions/factory/{factory.pk}/history/{version.history_id}/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"name": "改名", "credit_code": factory.credit_code})
    assert refused.status_code == 403
    factory.refresh_from_db()
    assert factory.name != "改名"
