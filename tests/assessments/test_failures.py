"""A failed evaluation is recorded in every language of the platform at the moment it fails,
whatever language the worker speaks, and each page and API answer shows it in its own
(assessments/services/workflow.py, services/evaluation.py, selectors.evaluation_failure)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assessments import selectors
from assessments.models import Assessment
from assessments.services import evaluation as evaluation_service
from assessments.services import workflow
from assessments.services.workflow import MAX_ENQUEUE_ATTEMPTS, submit_assessment
from assessments.tasks import MAX_RETRIES, assessment_evaluate_task

CODES = {code for code, _name in settings.LANGUAGES}
# An evaluation date before the inventory year (2023): the dossier reader refuses it.
BEFORE_THE_YEAR = date(2022, 12, 31)
ENGLISH_REFUSAL = "year 2023 is after the evaluation date's year 2022"
CHINESE_REFUSAL = "year 2023 晚于评价日期所在年份 2022"


def submitted(
    user: User, assessment: Assessment, as_of: date, on_commit: Any, language: str
) -> Assessment:
    """Submitted and evaluated in-process, as a worker would, speaking `language`."""
    with translation.override(language), on_commit(execute=True):
        submit_assessment(user, assessment, as_of=as_of)
    return Assessment.objects.get(pk=assessment.pk)


@pytest.fixture
def refused(
    demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any
) -> Assessment:
    """Suzhou submitted with a date the reader refuses, by a worker speaking Chinese (none)."""
    return submitted(
        alice, demo["suzhou"], BEFORE_THE_YEAR, django_capture_on_commit_callbacks, "zh-hans"
    )


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("worker_language", ["zh-hans", "en"])
def test_a_dossier_refused_at_evaluation_is_recorded_in_the_readers_words_in_each_language(
    demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any, worker_language: str
) -> None:
    failed = submitted(
        alice, demo["suzhou"], BEFORE_THE_YEAR, django_capture_on_commit_callbacks, worker_language
    )
    assert failed.status == "failed"
    texts = failed.evaluation_error_texts
    assert set(texts) == CODES
    assert texts["en"].startswith("The dossier is invalid (2 errors)")
    assert f"/year: {ENGLISH_REFUSAL}" in texts["en"]
    assert texts["zh-hans"].startswith("档案无效（2 个错误）")
    assert f"/year: {CHINESE_REFUSAL}" in texts["zh-hans"]
    assert failed.evaluation_error == texts["en"]  # the text field keeps English


def test_the_chinese_pages_say_why_in_chinese_and_the_english_pages_in_english(
    refused: Assessment, alice_client: Client
) -> None:
    urls = [
        reverse("assessment-detail", args=[refused.pk]),
        reverse("assessment-status", args=[refused.pk]),
    ]
    for url in urls:
        chinese = alice_client.get(url).content.decode()
        assert CHINESE_REFUSAL in chinese
        assert "档案无效" in chinese
        assert "The dossier is invalid" not in chinese
    for url in urls:
        page = english(alice_client).get(url).content.decode()
        assert ENGLISH_REFUSAL.replace("'", "&#x27;") in page
        assert "档案无效" not in page


def test_the_failure_still_links_the_paths_it_names_on_either_page(
    refused: Assessment, alice_client: Client
) -> None:
    url = reverse("assessment-status", args=[refused.pk])
    edit = reverse("inventory-edit", args=[refused.inventory_id])
    chinese = alice_client.get(url).content.decode()
    for html in (chinese, english(alice_client).get(url).content.decode()):
        assert f'href="{edit}?section=header#f-year"' in html


def test_the_api_says_why_in_the_language_of_its_answer(
    refused: Assessment, alice_client: Client
) -> None:
    url = f"/api/v1/assessments/{refused.pk}/"
    default = alice_client.get(url).json()["evaluation_error"]
    assert ENGLISH_REFUSAL in default
    chinese = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").json()["evaluation_error"]
    assert CHINESE_REFUSAL in chinese
    assert "The dossier is invalid" not in chinese


def test_a_failure_is_built_once_under_each_language_of_the_platform() -> None:
    assert workflow.in_every_language(translation.get_language) == {c: c for c in CODES}


def test_a_database_that_stays_unreachable_is_recorded_in_each_language(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    Assessment.objects.filter(pk=demo["suzhou"].pk).update(status="submitted")

    def down(assessment_id: int) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(evaluation_service, "evaluate_assessment", down)
    task = assessment_evaluate_task
    task.push_request(retries=MAX_RETRIES, id="t1")  # type: ignore[call-arg]
    try:
        with translation.override("zh-hans"), pytest.raises(OperationalError):
            task.run(demo["suzhou"].pk)
    finally:
        task.pop_request()
    texts = Assessment.objects.get(pk=demo["suzhou"].pk).evaluation_error_texts
    assert texts["en"].startswith("The evaluation could not reach the database")
    assert texts["zh-hans"].startswith("评价无法连接数据库")
    assert all("task t1 at " in text for text in texts.values())  # one reference for support


def test_the_sweep_gives_up_in_each_language(demo: dict[str, Any]) -> None:
    Assessment.objects.filter(pk=demo["wuxi"].pk).update(
        status="submitted",
        submitted_at=timezone.now() - timedelta(hours=2),
        evaluation_enqueued_at=timezone.now() - timedelta(hours=1),
        evaluation_enqueue_attempts=MAX_ENQUEUE_ATTEMPTS,
    )
    assert workflow.sweep_submissions().gave_up == [demo["wuxi"].pk]
    failed = Assessment.objects.get(pk=demo["wuxi"].pk)
    assert failed.evaluation_error_texts["en"].startswith("The evaluation never ran")
    assert failed.evaluation_error_texts["zh-hans"].startswith("评价未能启动")
    assert failed.evaluation_error == failed.evaluation_error_texts["en"]


def test_an_unexpected_error_and_a_time_out_are_recorded_in_each_language(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(*args: Any, **kwargs: Any) -> None:
        raise SoftTimeLimitExceeded()

    Assessment.objects.filter(pk__in=[demo["wuxi"].pk, demo["suzhou"].pk]).update(
        status="submitted"
    )
    monkeypatch.setattr(evaluation_service, "compute", lambda *args, **kwargs: 1 / 0)
    assert assessment_evaluate_task.run(demo["wuxi"].pk) is None
    monkeypatch.setattr(evaluation_service, "compute", slow)
    assert assessment_evaluate_task.run(demo["suzhou"].pk) is None
    broken = Assessment.objects.get(pk=demo["wuxi"].pk)
    texts = broken.evaluation_error_texts
    assert set(texts) == CODES
    assert texts["zh-hans"].startswith("评价因意外错误（ZeroDivisionError）")
    assert broken.evaluation_error.startswith("The evaluation stopped on an unexpected error")
    slowed = Assessment.objects.get(pk=demo["suzhou"].pk)
    assert set(slowed.evaluation_error_texts) == CODES
    assert slowed.evaluation_error_texts["zh-hans"].startswith("评价耗时超过")
    assert slowed.evaluation_error.startswith("The evaluation took longer than its limit")


def test_a_failure_recorded_before_there_were_languages_is_shown_as_it_was(
    refused: Assessment, alice_client: Client
) -> None:
    Assessment.objects.filter(pk=refused.pk).update(
        evaluation_error="/year: an old message", evaluation_error_texts={}
    )
    html = alice_client.get(reverse("assessment-status", args=[refused.pk])).content.decode()
    assert "/year: an old message" in html
    old = Assessment.objects.get(pk=refused.pk)
    with translation.override("en"):
        assert selectors.evaluation_failure(old) == "/year: an old message"


def test_a_new_submission_forgets_the_failure_in_every_language(
    refused: Assessment, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    evaluated = submitted(
        alice, refused, date(2025, 6, 30), django_capture_on_commit_callbacks, "en"
    )
    assert (evaluated.status, evaluated.evaluation_error) == ("evaluated", "")
    assert evaluated.evaluation_error_texts == {}
