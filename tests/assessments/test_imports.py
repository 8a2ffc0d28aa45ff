"""Re-importing a spreadsheet or dossier for an existing factory and year: upload, preview
(errors at their cells, or what would change), confirm, and who may see and do it."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment
from assessments.services import import_jobs, workflow
from assessments.services.dossier import export_dossier
from assessments.services.reimport import replace_dossier
from emissions.dossier.diff import diff
from emissions.ingest.spreadsheet_errors import ERROR_FILL
from emissions.ingest.spreadsheet_layout import LIST_SHEETS, column_letter
from emissions.models import ImportJob, SerialClaim
from emissions.services import records
from emissions.services.inventory import AlreadyClaimed
from emissions.services.records import InventoryLocked
from zerocarbon.errors import ValidationFailed

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


def _cell(sheet: str, key: str, index: int) -> str:
    keys = [column.key for column in LIST_SHEETS[sheet]]
    return f"{column_letter(keys.index(key))}{index + 2}"


def _edited(data: bytes, sheet: str, cell: str, value: Any) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    workbook[sheet][cell] = value
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _upload(
    capture: Capture, alice: User, assessment: Assessment, content: bytes, name: str = "a.xlsx"
) -> ImportJob:
    with capture(execute=True):
        job = import_jobs.start_import(alice, assessment.inventory, name=name, content=content)
    job.refresh_from_db()
    return job


@pytest.fixture
def suzhou(demo: dict[str, Any]) -> Assessment:
    assessment: Assessment = demo["suzhou"]
    return assessment


@pytest.fixture(autouse=True)
def _demo_before_logins(request: pytest.FixtureRequest) -> None:
    """load_demo sets the personas' passwords, which ends earlier sessions: log in after it."""
    if "suzhou" in request.fixturenames:
        request.getfixturevalue("suzhou")


@pytest.fixture
def template(suzhou: Assessment) -> bytes:
    return import_jobs.inventory_template(suzhou.inventory)


def test_the_template_uploaded_unchanged_gives_no_changes(
    alice: User, suzhou: Assessment, template: bytes, django_capture_on_commit_callbacks: Capture
) -> None:
    job = _upload(django_capture_on_commit_callbacks, alice, suzhou, template)
    assert job.status == ImportJob.Status.DONE
    assert job.errors == []
    assert job.changes == []
    assert job.progress_done == job.progress_total > 0


def test_one_bad_unit_is_one_error_at_its_sheet_row_and_column(
    alice: User, suzhou: Assessment, template: bytes, django_capture_on_commit_callbacks: Capture
) -> None:
    content = _edited(template, "energy", _cell("energy", "unit", 3), "furlong")
    job = _upload(django_capture_on_commit_callbacks, alice, suzhou, content)
    assert [(e["sheet"], e["row"], e["column"], e["value"]) for e in job.errors] == [
        ("energy", 5, "unit", "furlong")
    ]
    assert job.errors[0]["cell"] == _cell("energy", "unit", 3)
    assert job.document is None


def test_a_cell_that_is_no_number_is_one_error_at_that_cell(
    alice: User, suzhou: Assessment, template: bytes, django_capture_on_commit_callbacks: Capture
) -> None:
    content = _edited(template, "energy", _cell("energy", "quantity", 0), "12,5x")
    job = _upload(django_capture_on_commit_callbacks, alice, suzhou, content)
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("energy", 2, "quantity")]
    assert "12,5x" in job.errors[0]["message"]


def test_the_preview_lists_a_changed_quantity_with_old_and_new(
    alice: User, suzhou: Assessment, template: bytes, django_capture_on_commit_callbacks: Capture
) -> None:
    content = _edited(template, "energy", _cell("energy", "quantity", 3), "13.1")
    job = _upload(django_capture_on_commit_callbacks, alice, suzhou, content)
    assert job.changes == [
        {
            "path": "/energy/3/quantity",
            "kind": "changed",
            "old": "12.4",
            "new": "13.1",
            "sheet": "energy",
            "row": 5,
            "column": "quantity",
        }
    ]


def test_confirming_replaces_the_draft(
    alice: User, suzhou: Assessment, template: bytes, django_capture_on_commit_callbacks: Capture
) -> None:
    content = _edited(template, "energy", _cell("energy", "quantity", 3), "13.1")
    content = _edited(content, "gates", "C3", "FALSE")
    job = _upload(django_capture_on_commit_callbacks, alice, suzhou, content)
    import_jobs.confirm_import(alice, job)
    diesel = suzhou.inventory.energy.get(position=3)
    assert diesel.quantity == Decimal("13.1")
    suzhou.refresh_from_db()
    assert suzhou.declared_gates["G2"] is False
    assert SerialClaim.objects.filter(credit__inventory=suzhou.inventory).count() == 1
    with pytest.raises(Exception, match="confirmed already"):
        import_jobs.confirm_import(alice, job)


def test_a_replacement_claiming_taken_serials_changes_nothing(
    alice: User, demo: dict[str, Any]
) -> None:
    suzhou, wuxi = demo["suzhou"], demo["wuxi"]
    document = export_dossier(suzhou)
    taken = export_dossier(wuxi)["credits"][0]
    document["energy"][3]["quantity"] = "99"
    document["credits"][0] = taken
    with pytest.raises(AlreadyClaimed):
        replace_dossier(alice, suzhou, document)
    assert suzhou.inventory.energy.get(position=3).quantity == Decimal("12.4")
    assert SerialClaim.objects.filter(credit__inventory=suzhou.inventory).count() == 1


def test_a_locked_inventory_is_refused_with_a_clear_message(
    alice: User, suzhou: Assessment, template: bytes, django_capture_on_commit_callbacks: Capture
) -> None:
    content = _edited(template, "energy", _cell("energy", "quantity", 3), "13.1")
    job = _upload(django_capture_on_commit_callbacks, alice, suzhou, content)
    records.lock_inventory(suzhou.inventory_id)
    with pytest.raises(InventoryLocked, match="locked"):
        import_jobs.confirm_import(alice, job)
    assert suzhou.inventory.energy.get(position=3).quantity == Decimal("12.4")
    job.refresh_from_db()
    assert job.confirmed_at is None


def test_a_text_file_is_refused_with_the_accepted_types(
    alice_client: Client, suzhou: Assessment
) -> None:
    url = reverse("inventory-import", args=[suzhou.inventory_id])
    response = alice_client.post(url, {"file": SimpleUploadedFile("notes.txt", b"hello")})
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_upload_page_runs_the_import_and_the_confirm_page_replaces(
    alice_client: Client,
    suzhou: Assessment,
    template: bytes,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    content = _edited(template, "energy", _cell("energy", "quantity", 3), "13.1")
    url = reverse("inventory-import", args=[suzhou.inventory_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, {"file": SimpleUploadedFile("b.xlsx", content)})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import-detail", args=[job.pk])
    page = alice_client.get(response["Location"]).content.decode()
    assert "<td>13.1</td>" in page
    assert 'hx-trigger="every 1s"' not in page
    confirmed = alice_client.post(reverse("import-confirm", args=[job.pk]))
    assert confirmed.status_code == 302
    assert suzhou.inventory.energy.get(position=3).quantity == Decimal("13.1")


def test_the_preview_page_lists_each_changed_field_readably_in_chinese(
    alice_client: Client,
    suzhou: Assessment,
    template: bytes,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    content = _edited(template, "gates", "C3", "FALSE")
    content = _edited(content, "energy", _cell("energy", "quantity", 3), "1313.1")
    rows = len(suzhou.inventory.energy.all())
    for key, value in (("carrier", "diesel"), ("quantity", "2"), ("unit", "t")):
        content = _edited(content, "energy", _cell("energy", key, rows), value)
    url = reverse("inventory-import", args=[suzhou.inventory_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, {"file": SimpleUploadedFile("p.xlsx", content)})
    page = alice_client.get(response["Location"]).content.decode()
    changes = page.split('class="import-changes"')[1].split("</table>")[0]
    assert "gates · G2 · 值" in changes
    assert "<td>是</td><td>否</td>" in changes
    assert "<td>1,313.1</td>" in changes
    assert "能源品种 diesel; 年消费量 2; 单位 t" in changes
    for raw in ("True", "False", "{", "[", "carrier", "quantity"):
        assert raw not in changes


def test_a_queued_import_polls_itself_until_it_is_done(
    alice: User, alice_client: Client, suzhou: Assessment, template: bytes
) -> None:
    job = import_jobs.start_import(alice, suzhou.inventory, name="c.xlsx", content=template)
    partial = alice_client.get(reverse("import-detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert 'class="pill warn"' not in partial.content.decode()  # the "running" mark


def test_the_error_workbook_marks_the_bad_cell(
    alice_client: Client,
    alice: User,
    suzhou: Assessment,
    template: bytes,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    cell = _cell("energy", "unit", 3)
    job = _upload(
        django_capture_on_commit_callbacks,
        alice,
        suzhou,
        _edited(template, "energy", cell, "furlong"),
    )
    response = alice_client.get(reverse("import-errors", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    marked = workbook["energy"][cell]
    assert marked.fill.fgColor.rgb[-6:] == ERROR_FILL.fgColor.rgb[-6:]
    assert marked.comment is not None
    assert workbook["energy"]["A2"].fill.fgColor.rgb[-6:] != ERROR_FILL.fgColor.rgb[-6:]


def test_charlie_gets_404_for_alices_template_and_import(
    charlie_client: Client, alice: User, suzhou: Assessment, template: bytes
) -> None:
    job = import_jobs.start_import(alice, suzhou.inventory, name="d.xlsx", content=template)
    for url in (
        reverse("inventory-template", args=[suzhou.inventory_id]),
        reverse("inventory-import", args=[suzhou.inventory_id]),
        reverse("import-detail", args=[job.pk]),
        reverse("import-errors", args=[job.pk]),
    ):
        assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(reverse("import-confirm", args=[job.pk])).status_code == 404


def test_bob_may_download_the_template_but_not_upload(
    bob_client: Client, suzhou: Assessment, template: bytes
) -> None:
    assert (
        bob_client.get(reverse("inventory-template", args=[suzhou.inventory_id])).status_code == 200
    )
    url = reverse("inventory-import", args=[suzhou.inventory_id])
    assert b'type="file"' not in bob_client.get(url).content
    response = bob_client.post(url, {"file": SimpleUploadedFile("e.xlsx", template)})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_a_dossier_for_an_existing_factory_and_year_goes_to_the_preview(
    alice_client: Client, suzhou: Assessment, django_capture_on_commit_callbacks: Capture
) -> None:
    document = export_dossier(suzhou)
    document["energy"][3]["quantity"] = "13.1"
    content = json.dumps(document, ensure_ascii=False, default=str).encode()
    organisation = suzhou.inventory.factory.organisation_id
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("dossier-upload"),
            {"organisation": organisation, "file": SimpleUploadedFile("f.json", content)},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import-detail", args=[job.pk])
    assert job.kind == ImportJob.Kind.DOSSIER
    assert [c["path"] for c in job.changes] == ["/energy/3/quantity"]


def test_the_task_processes_a_job_by_its_id_once(
    alice: User, suzhou: Assessment, template: bytes
) -> None:
    from assessments.tasks import import_process_task

    job = import_jobs.start_import(alice, suzhou.inventory, name="g.xlsx", content=template)
    assert job.status == ImportJob.Status.QUEUED
    assert import_process_task.apply(args=(job.pk,)).get() == job.pk
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    updated = job.updated_at
    import_process_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.updated_at == updated


def test_a_file_that_is_no_workbook_fails_in_words_a_consultant_can_act_on(
    alice: User, suzhou: Assessment, django_capture_on_commit_callbacks: Capture
) -> None:
    job = _upload(django_capture_on_commit_callbacks, alice, suzhou, b"PK not really", "h.xlsx")
    assert job.status == ImportJob.Status.FAILED
    assert "cannot be opened as an Excel workbook" in job.failure


def test_an_unexpected_error_in_the_task_is_recorded_on_the_job(
    alice: User, suzhou: Assessment, template: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assessments.tasks import import_process_task

    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    job = import_jobs.start_import(alice, suzhou.inventory, name="i.xlsx", content=template)
    monkeypatch.setattr(import_jobs, "read_workbook", broken)
    import_process_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "RuntimeError" in job.failure
    assert "boom" not in job.failure


def test_replacing_with_an_earlier_snapshot_restores_the_draft(
    alice: User, suzhou: Assessment
) -> None:
    snapshot = export_dossier(suzhou)
    changed = export_dossier(suzhou)
    changed["energy"][3]["quantity"] = "99"
    del changed["answers"]["PRD-3"]
    replace_dossier(alice, suzhou, changed)
    assert suzhou.answers.filter(item_id="PRD-3").count() == 0
    replace_dossier(alice, suzhou, snapshot)
    assert export_dossier(suzhou)["energy"] == snapshot["energy"]
    assert export_dossier(suzhou)["answers"] == snapshot["answers"]


def test_a_dossier_of_another_year_is_refused_at_the_year(alice: User, suzhou: Assessment) -> None:
    document = export_dossier(suzhou)
    document["year"] = 2024
    document["baseline"]["year"] = 2020
    with pytest.raises(ValidationFailed) as refused:
        replace_dossier(alice, suzhou, document)
    assert [error.path for error in refused.value.errors] == ["/year"]


def test_a_workbook_of_another_year_is_an_error_at_the_year_cell(
    alice: User, suzhou: Assessment, template: bytes, django_capture_on_commit_callbacks: Capture
) -> None:
    workbook = load_workbook(io.BytesIO(template))
    fields = [cell.value for cell in workbook["inventory"]["A"]]
    row = fields.index("year") + 1
    content = _edited(template, "inventory", f"C{row}", 2024)
    job = _upload(django_capture_on_commit_callbacks, alice, suzhou, content)
    assert [(e["sheet"], e["row"], e["column"], e["path"]) for e in job.errors] == [
        ("inventory", row, "value", "/year")
    ]


def test_the_template_offers_the_answers_of_a_yes_no_item_and_the_gates_as_dropdowns(
    template: bytes,
) -> None:
    workbook = load_workbook(io.BytesIO(template))
    answers = workbook["answers"]
    row = [cell.value for cell in answers["A"]].index("ICT-2") + 1
    validations = answers.data_validations.dataValidation
    dropdown = next(v for v in validations if f"C{row}" in str(v.sqref))
    column = next(c for c in workbook["lists"][1] if c.value == "answers:ICT-2").column_letter
    assert [c.value for c in workbook["lists"][column][1:3]] == ["true", "false"]
    assert dropdown.formula1 == f"=lists!${column}$2:${column}$3"
    assert len(workbook["gates"].data_validations.dataValidation) == 2


def test_the_import_pages_keep_a_fixed_query_budget(
    alice: User,
    suzhou: Assessment,
    template: bytes,
    alice_client: Client,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    jobs = [
        import_jobs.start_import(alice, suzhou.inventory, name=f"{n}.xlsx", content=template)
        for n in range(8)
    ]
    with django_assert_max_num_queries(12):
        page = alice_client.get(reverse("inventory-import", args=[suzhou.inventory_id]))
    assert page.content.decode().count("/imports/") >= len(jobs)
    with django_assert_max_num_queries(10):
        assert alice_client.get(reverse("import-detail", args=[jobs[0].pk])).status_code == 200


def test_a_draft_is_discarded_back_to_the_last_evaluations_snapshot(
    alice: User, suzhou: Assessment, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_assessment(alice, suzhou, as_of=date(2025, 6, 30))
    evaluation = suzhou.evaluations.get()
    reopened = workflow.reopen_assessment(alice, suzhou)
    edited = export_dossier(reopened)
    edited["energy"][3]["quantity"] = "99"
    replace_dossier(alice, reopened, edited)
    snapshot = evaluation.inputs["dossier"]
    replace_dossier(alice, reopened, snapshot, as_of=evaluation.as_of)
    assert diff(snapshot, export_dossier(reopened)) == []


# The dossier download


def test_alice_downloads_the_dossier_exactly_as_the_api_exports_it(
    suzhou: Assessment, alice_client: Client
) -> None:
    response = alice_client.get(reverse("assessment-dossier", args=[suzhou.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment;" in response["Content-Disposition"]
    api = alice_client.get(f"/api/v1/assessments/{suzhou.pk}/dossier/")
    downloaded = json.loads(response.content, parse_float=Decimal)
    assert downloaded == json.loads(api.content, parse_float=Decimal)
    assert downloaded["schema"] == "zerocarbon.dossier/1"


def test_charlie_cannot_download_alices_dossier(suzhou: Assessment, charlie_client: Client) -> None:
    response = charlie_client.get(reverse("assessment-dossier", args=[suzhou.pk]))
    assert response.status_code == 404
