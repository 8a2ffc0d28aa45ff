"""The consultant's side of a review: the body chosen at submission, the rounds on the
assessment page with the auditors' decisions and comments, replies, and a version under
review that cannot be reopened."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Review, ReviewEvent
from assessments.services import review as reviews
from tests.assessments.reviewing import GEC_PROOF, RETIREMENT_PROOF, attach, submitted_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def review(demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any) -> Review:
    return submitted_review(demo, alice, django_capture_on_commit_callbacks)


def page(client: Client, review: Review) -> str:
    client.cookies["django_language"] = "en"
    response = client.get(reverse("assessment-detail", args=[review.assessment_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_alice_submits_to_a_certification_body_from_the_assessment_page(
    demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    assessment = demo["wuxi"]
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        attach(alice, assessment, reference)
    client = Client()
    client.force_login(alice)
    url = reverse("assessment-submit", args=[assessment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"as_of": "2025-06-30", "certification_body": "cert-body"})
    assert response.status_code == 302
    review = Review.objects.get(assessment=assessment)
    assert (review.certification_body.slug, review.status) == ("cert-body", Review.Status.OPEN)


def test_a_submission_without_a_body_opens_no_review(
    demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(alice)
    url = reverse("assessment-submit", args=[demo["suzhou"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"as_of": "2025-06-30", "certification_body": ""})
    assert not Review.objects.exists()


def test_the_page_shows_the_round_its_decisions_and_comments_and_blocks_reopening(
    review: Review, carol: User, alice_client: Client
) -> None:
    reviews.decide(
        carol,
        review,
        subject="evidence",
        key=RETIREMENT_PROOF,
        verdict="rejected",
        note="Illegible scan.",
    )
    reviews.comment(carol, review, target=f"evidence:{RETIREMENT_PROOF}", text="Please rescan.")
    html = page(alice_client, review)
    assert 'id="review"' in html
    assert "Illegible scan." in html
    assert "Please rescan." in html
    assert "is reviewing this version" in html
    assert reverse("assessment-new-version", args=[review.assessment_id]) not in html


def test_alice_replies_and_bob_may_not(
    review: Review, alice_client: Client, bob_client: Client
) -> None:
    url = reverse("assessment-review-reply", args=[review.assessment_id, review.pk])
    assert alice_client.post(url, {"text": "Rescanned, uploading today."}).status_code == 302
    assert ReviewEvent.objects.filter(
        review=review, action="commented", text__startswith="Rescanned"
    ).exists()
    assert bob_client.post(url, {"text": "Me too."}).status_code == 403


def test_charlie_finds_neither_the_page_nor_the_reply(
    review: Review, charlie_client: Client
) -> None:
    url = reverse("assessment-review-reply", args=[review.assessment_id, review.pk])
    assert charlie_client.post(url, {"text": "Hello."}).status_code == 404
    detail = reverse("assessment-detail", args=[review.assessment_id])
    assert charlie_client.get(detail).status_code == 404


def test_carol_opens_the_evaluation_under_her_review_and_charlie_does_not(
    review: Review, carol_client: Client, charlie_client: Client
) -> None:
    url = reverse("evaluation-detail", args=[review.evaluation_id])
    assert carol_client.get(url).status_code == 200
    assert charlie_client.get(url).status_code == 404


def test_the_approved_result_says_what_it_left_out_and_is_no_new_version(
    review: Review, carol: User, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from reports.services import approve_review
    from tests.assessments.reviewing import decide_all

    decide_all(carol, review, rejected={RETIREMENT_PROOF})
    with django_capture_on_commit_callbacks(execute=False):
        approve_review(carol, review, "In order but for the retirement proof.")
    review.refresh_from_db()
    approved = review.approved_evaluation
    assert approved is not None
    assert approved.adjusts == review.evaluation
    alice_client.cookies["django_language"] = "en"
    html = alice_client.get(reverse("evaluation-detail", args=[approved.pk])).content.decode()
    assert "the result as approved in review" in html.lower()
    assert RETIREMENT_PROOF in html
    assert reverse("evaluation-detail", args=[review.evaluation_id]) in html
    assessment_page = page(alice_client, review)
    assert "v2" not in assessment_page  # the approved result is no new version
