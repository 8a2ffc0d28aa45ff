"""The full report of a reviewed evaluation shows its review history, in the document's
language, rendered for real; an evaluation never reviewed says so."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from assessments.models import Evaluation, Review
from reports import rendering
from reports.models import RenderedPdf
from reports.services import approve_review
from tests.assessments.reviewing import RETIREMENT_PROOF, decide_all, submitted_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _report(user: User, evaluation: Evaluation, language: str, on_commit: Any, tmp: Path) -> str:
    with on_commit(execute=True):
        row = rendering.request_render(user, evaluation.pk, kind="report", language=language)
    row = RenderedPdf.objects.get(pk=row.pk)
    assert row.status == RenderedPdf.Status.DONE, row.error
    path = tmp / f"report-{language}.pdf"
    path.write_bytes(row.file.read())
    # In reading order (not -layout): a wrapped table cell stays one phrase.
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    return " ".join(done.stdout.decode().split())


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Review history", "Submitted for review", "Approved", "Rejected", "Round 1"]),
        ("zh-hans", ["审核记录", "已提交审核", "已批准", "第 1 轮"]),
    ],
)
def test_the_report_of_an_approved_result_tells_its_review(
    demo: dict[str, Any],
    alice: User,
    carol: User,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
    language: str,
    words: list[str],
) -> None:
    review = submitted_review(demo, alice, django_capture_on_commit_callbacks)
    decide_all(carol, review, rejected={RETIREMENT_PROOF})
    with django_capture_on_commit_callbacks(execute=False):
        approve_review(carol, review, "证据基本齐全，注销证明不予采信。")
    review = Review.objects.get(pk=review.pk)
    assert review.approved_evaluation is not None
    text = _report(
        carol, review.approved_evaluation, language, django_capture_on_commit_callbacks, tmp_path
    )
    solid = text.replace(" ", "")  # a Chinese phrase wraps in its cell without a space
    for word in [*words, "证据基本齐全，注销证明不予采信。", "carol"]:
        assert word.replace(" ", "") in solid, word


def test_the_report_of_an_evaluation_never_reviewed_says_so(
    demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    from assessments.services.workflow import submit_assessment
    from tests.assessments.reviewing import AS_OF

    assessment = demo["wuxi"]
    with django_capture_on_commit_callbacks(execute=True):
        submit_assessment(alice, assessment, as_of=AS_OF)
    evaluation = assessment.evaluations.get()
    text = _report(alice, evaluation, "en", django_capture_on_commit_callbacks, tmp_path)
    assert "has not been reviewed by a certification body" in text
