from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from celery.exceptions import Retry
from django.contrib.auth.models import User
from django.db import OperationalError

from assessments.evaluation.engine import record_sha256, sha256_of
from assessments.evaluation.whatif import Changes
from assessments.models import Assessment, Evaluation
from assessments.services import evaluation as evaluation_service
from assessments.services.evaluation import evaluate_assessment, what_if
from assessments.services.workflow import InvalidTransition, submit_assessment
from assessments.tasks import MAX_RETRIES, assessment_evaluate_task
from zerocarbon.errors import NotFound, PermissionDenied, ValidationFailed

AS_OF = date(2025, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(django_capture_on_commit_callbacks: Any) -> Any:
    """submit_assessment with its on-commit enqueue run, as after a real commit (eager Celery)."""

    def run(user: User, assessment: Assessment, as_of: date = AS_OF) -> Assessment:
        with django_capture_on_commit_callbacks(execute=True):
            return submit_assessment(user, assessment, as_of=as_of)

    return run


def test_submitting_evaluates_on_commit_and_records_one_evaluation(
    demo: dict[str, Any], alice: User, submit: Any
) -> None:
    assessment = submit(alice, demo["wuxi"], AS_OF)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.EVALUATED
    evaluation = assessment.evaluations.get()
    assert (evaluation.total_score, evaluation.star_level, evaluation.zero_carbon) == (
        Decimal("77.32"),
        4,
        True,
    )
    assert (evaluation.rubric_code, evaluation.rubric_edition) == ("T/CECA-G 0171-2022", "2022.1")
    assert evaluation.factor_set_version == "CN-2025.1"
    assert evaluation.code_version.startswith("zerocarbon ")
    assert evaluation.as_of == AS_OF


def test_the_evaluation_hash_covers_inputs_and_result(
    demo: dict[str, Any], alice: User, submit: Any
) -> None:
    submit(alice, demo["suzhou"], AS_OF)
    evaluation = demo["suzhou"].evaluations.get()
    assert evaluation.input_sha256 == sha256_of(evaluation.inputs)
    assert evaluation.sha256 == record_sha256(
        evaluation.inputs, evaluation.result, evaluation.factor_values
    )
    assert "389.31" in evaluation.factor_values.values()  # NCV of natural gas, as used
    assert evaluation.result["input_sha256"] == evaluation.input_sha256
    assert evaluation.inputs["as_of"] == "2025-06-30"


def test_identical_inputs_reuse_the_existing_evaluation(
    demo: dict[str, Any], alice: User, submit: Any
) -> None:
    submit(alice, demo["suzhou"], AS_OF)
    first = demo["suzhou"].evaluations.get()
    again = evaluate_assessment(demo["suzhou"].pk)
    assert again == first
    assert Evaluation.objects.filter(assessment=demo["suzhou"]).count() == 1


def test_a_re_evaluation_with_other_inputs_adds_a_row_and_never_modifies_the_first(
    demo: dict[str, Any], alice: User, submit: Any
) -> None:
    submit(alice, demo["suzhou"], AS_OF)
    first = demo["suzhou"].evaluations.get()
    Assessment.objects.filter(pk=demo["suzhou"].pk).update(as_of=date(2025, 7, 1))
    second = evaluate_assessment(demo["suzhou"].pk)
    assert second is not None
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.as_of == AS_OF
    with pytest.raises(ValueError, match="never modified"):
        first.save()


def test_submitting_twice_is_an_invalid_transition_with_a_reason(
    demo: dict[str, Any], alice: User, submit: Any
) -> None:
    submit(alice, demo["suzhou"], AS_OF)
    with pytest.raises(InvalidTransition, match="Cannot submit an assessment that is evaluated"):
        submit(alice, demo["suzhou"], AS_OF)


def test_a_viewer_may_not_submit(demo: dict[str, Any], bob: User, submit: Any) -> None:
    with pytest.raises(PermissionDenied, match="viewer"):
        submit(bob, demo["suzhou"], AS_OF)


def test_another_organisation_may_not_submit(
    demo: dict[str, Any], charlie: User, submit: Any
) -> None:
    with pytest.raises(NotFound):
        submit(charlie, demo["suzhou"], AS_OF)


def test_a_dossier_that_can_no_longer_be_read_records_a_failure_a_user_can_act_on(
    demo: dict[str, Any], alice: User, submit: Any
) -> None:
    # The evaluation date lies before the inventory year: the reading rules refuse it.
    submit(alice, demo["suzhou"], date(2022, 12, 31))
    assessment = Assessment.objects.get(pk=demo["suzhou"].pk)
    assert assessment.status == Assessment.Status.FAILED
    assert "/year" in assessment.evaluation_error
    assert not assessment.evaluations.exists()


def test_the_task_retries_a_transient_database_error(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    Assessment.objects.filter(pk=demo["suzhou"].pk).update(status="submitted", as_of=AS_OF)

    def flaky(assessment_id: int) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(evaluation_service, "evaluate_assessment", flaky)
    with pytest.raises(Retry):
        assessment_evaluate_task.apply(args=(demo["suzhou"].pk,), throw=True)


def test_the_task_records_the_final_failure_after_its_retries(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    Assessment.objects.filter(pk=demo["suzhou"].pk).update(status="submitted", as_of=AS_OF)

    def down(assessment_id: int) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(evaluation_service, "evaluate_assessment", down)
    task = assessment_evaluate_task
    task.push_request(retries=MAX_RETRIES, id="t1")  # type: ignore[call-arg]
    try:
        with pytest.raises(OperationalError):
            task.run(demo["suzhou"].pk)
    finally:
        task.pop_request()
    assessment = Assessment.objects.get(pk=demo["suzhou"].pk)
    assert assessment.status == Assessment.Status.FAILED
    assert "could not reach the database" in assessment.evaluation_error


def test_the_task_called_with_an_id_evaluates_and_returns_the_evaluation_id(
    demo: dict[str, Any],
) -> None:
    Assessment.objects.filter(pk=demo["wuxi"].pk).update(status="submitted", as_of=AS_OF)
    evaluation_id = assessment_evaluate_task.run(demo["wuxi"].pk)
    assert evaluation_id is not None
    assert Evaluation.objects.get(pk=evaluation_id).star_level == 4
    assert assessment_evaluate_task.run(demo["wuxi"].pk) == evaluation_id  # idempotent


def test_what_if_more_credits_reaches_a_rating_without_saving(demo: dict[str, Any]) -> None:
    result = what_if(demo["suzhou"], Changes(extra_credits_tco2e=Decimal("3209.94")), as_of=AS_OF)
    assert result["star_level"] == 4
    assert result["zero_carbon"] is True
    assert result["next_level"]["level"] == 5
    assert not Evaluation.objects.exists()
    assert demo["suzhou"].inventory.credits.count() == 1


def test_what_if_one_tonne_short_is_still_not_rated(demo: dict[str, Any]) -> None:
    result = what_if(demo["suzhou"], Changes(extra_credits_tco2e=Decimal("3208.94")), as_of=AS_OF)
    assert result["star_level"] is None
    assert result["next_level"]["unmet"][0]["requirement"] == "gate:G4"


def test_what_if_more_green_electricity_raises_the_re_share(demo: dict[str, Any]) -> None:
    result = what_if(demo["wuxi"], Changes(extra_green_mwh=Decimal("2000")), as_of=AS_OF)
    assert result["metrics"]["renewable_electricity_mwh"] == Decimal("12100.000")


def test_what_if_removals_count_for_the_removal_ratio(demo: dict[str, Any]) -> None:
    result = what_if(demo["wuxi"], Changes(extra_removals_tco2e=Decimal("100")), as_of=AS_OF)
    assert result["metrics"]["removal_tco2e"] == Decimal("100.000")


def test_what_if_changed_answers_change_the_score(demo: dict[str, Any]) -> None:
    base = what_if(demo["wuxi"], Changes(), as_of=AS_OF)
    better = what_if(demo["wuxi"], Changes(answers={"PRD-3": True}), as_of=AS_OF)
    assert better["total_score"] - base["total_score"] == Decimal("3.00")


def test_what_if_rejects_an_invalid_answer_with_its_path(demo: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as raised:
        what_if(demo["wuxi"], Changes(answers={"INF-1": 9}), as_of=AS_OF)
    assert raised.value.errors[0].path == "/answers/INF-1"
