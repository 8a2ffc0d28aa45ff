"""PDFs of a stored evaluation: requested on the page, rendered by the task with its stages,
stored with their SHA-256, downloadable only by those who may see the assessment."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Evaluation
from assessments.services.workflow import submit_assessment
from reports import rendering
from reports.models import RenderedPdf
from reports.services import issue_certificate
from tests.reports import pdfcheck
from zerocarbon.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)


@pytest.fixture
def wuxi(demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any) -> Evaluation:
    with django_capture_on_commit_callbacks(execute=True):
        submit_assessment(alice, demo["wuxi"], as_of=AS_OF)
    evaluation = Evaluation.objects.filter(assessment=demo["wuxi"]).order_by("-pk").first()
    assert evaluation is not None
    return evaluation


def _rendered(actor: User, evaluation: Evaluation, captured: Any, **wanted: str) -> RenderedPdf:
    with captured(execute=True):
        row = rendering.request_render(actor, evaluation.pk, **wanted)
    row.refresh_from_db()
    return row


def _post(client: Client, evaluation: Evaluation, kind: str, *, htmx: bool = False) -> Any:
    client.cookies["django_language"] = "en"  # the tests read the English sentences
    data = {"kind": kind, "language": "en"}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/evaluations/{evaluation.pk}/pdfs/", data, headers=headers)


def test_a_requested_report_is_queued_until_the_transaction_commits(
    wuxi: Evaluation, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = rendering.request_render(alice, wuxi.pk, kind="report", language="en")
    assert (row.status, row.draft, row.requested_by) == ("queued", True, alice)
    assert len(callbacks) == 1


def test_asking_again_while_one_is_queued_returns_the_same_render(
    wuxi: Evaluation, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        first = rendering.request_render(alice, wuxi.pk, kind="report", language="en")
        second = rendering.request_render(alice, wuxi.pk, kind="report", language="en")
    assert first.pk == second.pk
    assert RenderedPdf.objects.count() == 1


def test_the_task_stores_the_draft_report_with_its_hash_and_size(
    wuxi: Evaluation, alice: User, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    row = _rendered(
        alice, wuxi, django_capture_on_commit_callbacks, kind="report", language="zh-hans"
    )
    assert (row.status, row.progress, row.stage, row.error) == ("done", 100, "", "")
    data = row.file.read()
    assert data.startswith(b"%PDF-")
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert row.size_bytes == len(data)
    assert row.finished_at is not None
    text = pdfcheck.text(pdfcheck.write(data, tmp_path / "report.pdf"))
    assert "示例精密制造（无锡）有限公司" in text
    assert "★★★★" in text


def test_an_issued_certificate_renders_final_with_its_number_and_qr_on_one_page(
    wuxi: Evaluation,
    alice: User,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.ZEROCARBON_PUBLIC_BASE_URL = "https://zc.example.cn"
    certificate = issue_certificate(wuxi, issued_on=date(2025, 7, 1))
    row = _rendered(
        alice, wuxi, django_capture_on_commit_callbacks, kind="certificate", language="en"
    )
    assert (row.status, row.draft, row.certificate_id) == ("done", False, certificate.pk)
    path = pdfcheck.write(row.file.read(), tmp_path / "certificate.pdf")
    text = pdfcheck.text(path)
    assert certificate.number in text
    assert "https://zc.example.cn/verify/" in text
    assert "Draft" not in text
    assert pdfcheck.pages(path) == 1
    assert row.size_bytes is not None
    assert row.size_bytes <= 300 * 1024


def test_a_render_that_fails_is_recorded_as_failed_with_a_reference(
    wuxi: Evaluation, alice: User, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "pdf_bytes", broken)
    row = _rendered(alice, wuxi, django_capture_on_commit_callbacks, kind="report", language="en")
    assert row.status == "failed"
    assert f"pdf-{row.pk}-" in row.error
    assert not row.file


def test_charlie_cannot_request_a_pdf_of_alices_evaluation(wuxi: Evaluation, charlie: User) -> None:
    with pytest.raises(NotFound):
        rendering.request_render(charlie, wuxi.pk, kind="report", language="en")
    assert not RenderedPdf.objects.exists()


def test_an_unknown_kind_or_language_is_refused_at_its_field(wuxi: Evaluation, alice: User) -> None:
    with pytest.raises(ValidationFailed) as failed:
        rendering.request_render(alice, wuxi.pk, kind="poster", language="fr")
    assert [error.path for error in failed.value.errors] == ["kind", "language"]


def test_alice_downloads_the_pdf_and_charlie_gets_404(
    wuxi: Evaluation,
    alice: User,
    alice_client: Client,
    charlie_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    row = _rendered(
        alice, wuxi, django_capture_on_commit_callbacks, kind="certificate", language="en"
    )
    response = alice_client.get(f"/pdfs/{row.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF-")
    assert charlie_client.get(f"/pdfs/{row.pk}/download/").status_code == 404
    assert Client().get(f"/pdfs/{row.pk}/download/").status_code == 302


def test_bob_the_viewer_may_download_what_he_may_see(
    wuxi: Evaluation, alice: User, bob_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    row = _rendered(alice, wuxi, django_capture_on_commit_callbacks, kind="report", language="en")
    assert bob_client.get(f"/pdfs/{row.pk}/download/").status_code == 200


def test_the_status_fragment_polls_while_queued_and_stops_with_a_download_link(
    wuxi: Evaluation, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = _post(alice_client, wuxi, "report", htmx=True).content.decode()
    assert 'hx-trigger="every 2s"' in queued
    assert "Queued" in queued
    for callback in callbacks:
        callback()
    done = alice_client.get(f"/evaluations/{wuxi.pk}/pdfs/status/").content.decode()
    assert 'hx-trigger="every 2s"' not in done
    row = RenderedPdf.objects.get()
    assert f"/pdfs/{row.pk}/download/" in done
    assert "Draft full report" in done


def test_a_running_render_shows_its_stage_and_progress(
    wuxi: Evaluation, alice: User, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        row = rendering.request_render(alice, wuxi.pk, kind="report", language="en")
    RenderedPdf.objects.filter(pk=row.pk).update(status="running", stage="layout", progress=40)
    alice_client.cookies["django_language"] = "en"
    page = alice_client.get(f"/evaluations/{wuxi.pk}/pdfs/status/").content.decode()
    assert "laying out the pages" in page
    assert 'value="40"' in page
    assert 'hx-trigger="every 2s"' in page


def test_a_bad_request_answers_400_with_the_reason(wuxi: Evaluation, alice_client: Client) -> None:
    response = _post(alice_client, wuxi, "poster", htmx=True)
    assert response.status_code == 400
    assert "Choose a certificate or a full report." in response.content.decode()


def test_the_fragment_is_404_for_charlie(wuxi: Evaluation, charlie_client: Client) -> None:
    assert charlie_client.get(f"/evaluations/{wuxi.pk}/pdfs/status/").status_code == 404
    assert _post(charlie_client, wuxi, "report").status_code == 404


def test_the_evaluation_page_loads_the_pdf_panel(wuxi: Evaluation, alice_client: Client) -> None:
    page = alice_client.get(f"/evaluations/{wuxi.pk}/").content.decode()
    assert f'hx-get="/evaluations/{wuxi.pk}/pdfs/status/"' in page


def test_the_panel_offers_both_documents_in_the_page_language(
    wuxi: Evaluation, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        panel = alice_client.get(f"/evaluations/{wuxi.pk}/pdfs/status/").content.decode()
    assert 'name="language" value="zh-hans"' in panel  # Chinese: the default page language
    assert "Certificate (PDF)" not in panel
    alice_client.cookies["django_language"] = "en"
    panel = alice_client.get(f"/evaluations/{wuxi.pk}/pdfs/status/").content.decode()
    assert "Certificate (PDF)" in panel
    assert "Full report (PDF)" in panel
    assert 'name="language" value="en"' in panel
