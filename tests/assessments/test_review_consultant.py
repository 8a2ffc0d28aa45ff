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


def submit_by_api(client: Client, assessment_pk: int, body: object) -> Any:
    data: dict[str, Any] = {"as_of": "2025-06-30"}
    if body is not ...:
        data["certification_body"] = body
    url = f"/api/v1/assessments/{assessment_pk}/submit/"
    return client.post(url, data, content_type="application/json")


def test_the_api_submits_to_the_body_its_slug_names(
    demo: dict[str, Any], alice: User, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assessment = demo["wuxi"]
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        attach(alice, assessment, reference)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_by_api(alice_client, assessment.pk, "cert-body")
    assert response.status_code == 202, response.content
    review = Review.objects.get(assessment=assessment)
    assert (review.certification_body.slug, review.status) == ("cert-body", Review.Status.OPEN)


@pytest.mark.parametrize("body", [..., None])
def test_the_api_submits_without_review_when_no_body_is_named(
    body: object,
    demo: dict[str, Any],
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_by_api(alice_client, demo["suzhou"].pk, body)
    assert response.status_code == 202, response.content
    assert not Review.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-body", "org-b"])
def test_the_api_answers_400_at_certification_body_for_a_slug_of_no_certification_body(
    slug: str, demo: dict[str, Any], alice_client: Client
) -> None:
    response = submit_by_api(alice_client, demo["suzhou"].pk, slug)
    assert response.status_code == 400
    paths = [error["path"] for error in response.json()["error"]["errors"]]
    assert paths == ["/certification_body"]
    demo["suzhou"].refresh_from_db()
    assert demo["suzhou"].status == "draft"


def test_the_schema_documents_the_body_of_a_submission_and_the_rounds(
    alice_client: Client,
) -> None:
    schema = alice_client.get("/api/v1/schema/?format=json").json()
    submit = schema["components"]["schemas"]["SubmitRequest"]["properties"]
    assert "certification_body" in submit
    assert "/api/v1/assessments/{id}/reviews/" in schema["paths"]


def test_the_api_lists_the_rounds_with_decisions_and_comments_for_the_owner_only(
    review: Review, carol: User, alice_client: Client, charlie_client: Client
) -> None:
    reviews.decide(
        carol, review, subject="evidence", key=GEC_PROOF, verdict="accepted", note="Matches."
    )
    reviews.comment(carol, review, target="item:RED-1", text="Which verifier?")
    url = f"/api/v1/assessments/{review.assessment_id}/reviews/"
    rounds = alice_client.get(url).json()
    assert [(r["number"], r["certification_body"], r["status"]) for r in rounds] == [
        (1, "cert-body", "open")
    ]
    decision = rounds[0]["decisions"][0]
    assert (decision["key"], decision["verdict"], decision["decided_by"]) == (
        GEC_PROOF,
        "accepted",
        "carol",
    )
    comments = [e for e in rounds[0]["events"] if e["action"] == "commented"]
    assert [(c["target"], c["actor"], c["text"]) for c in comments] == [
        ("item:RED-1", "carol", "Which verifier?")
    ]
    assert charlie_client.get(url).status_code == 404


def test_the_chinese_page_shows_the_round_in_chinese(
    review: Review, carol: User, alice_client: Client
) -> None:
    reviews.decide(
        carol, review, subject="evidence", key=GEC_PROOF, verdict="rejected", note="看不清。"
    )
    reviews.comment(carol, review, target=f"evidence:{GEC_PROOF}", text="请重新扫描。")
    html = alice_client.get(reverse("assessment-detail", args=[review.assessment_id])).content
    text = html.decode()
    assert "认证机构审核" in text  # "Review by a certification body"
    assert "看不清。" in text
    assert "请重新扫描。" in text
    assert "Review by a certification body" not in text


def test_a_reopen_posted_while_the_round_is_open_is_refused_in_words(
    review: Review, alice_client: Client
) -> None:
    alice_client.cookies["django_language"] = "en"
    url = reverse("assessment-new-version", args=[review.assessment_id])
    response = alice_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "assessment-detail", args=[review.assessment_id]
    )
    assert "is reviewing this version" in response.content.decode()
    review.assessment.refresh_from_db()
    assert review.assessment.status == "evaluated"


def test_changes_requested_calls_for_a_new_version_with_the_reopen_button(
    review: Review, carol: User, alice_client: Client
) -> None:
    reviews.request_changes(carol, review, "Rescan the retirement proof.")
    html = page(alice_client, review)
    assert "Changes are requested: start a new version" in html
    assert "Rescan the retirement proof." in html
    assert reverse("assessment-new-version", args=[review.assessment_id]) in html


def test_a_reply_without_text_is_refused_with_a_message(
    review: Review, alice_client: Client
) -> None:
    alice_client.cookies["django_language"] = "en"
    url = reverse("assessment-review-reply", args=[review.assessment_id, review.pk])
    response = alice_client.post(url, {"text": ""}, follow=True)
    assert "Write your reply" in response.content.decode()
    assert not ReviewEvent.objects.filter(review=review, action="commented").exists()


def approved(review: Review, carol: User, on_commit: Any) -> Review:
    from reports.services import approve_review
    from tests.assessments.reviewing import decide_all

    decide_all(carol, review, rejected={RETIREMENT_PROOF})
    with on_commit(execute=False):
        approve_review(carol, review, "In order but for the retirement proof.")
    review.refresh_from_db()
    return review


def test_the_approved_result_names_its_round_and_body_and_the_submitted_one_links_to_it(
    review: Review, carol: User, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    review = approved(review, carol, django_capture_on_commit_callbacks)
    alice_client.cookies["django_language"] = "en"
    result = reverse("evaluation-detail", args=[review.approved_evaluation_id])
    html = alice_client.get(result).content.decode()
    assert "approved in review round 1 by" in html
    assert "Example Certification Centre" in html
    submitted = reverse("evaluation-detail", args=[review.evaluation_id])
    html = alice_client.get(submitted).content.decode()
    assert "Approved in review round 1 by" in html
    assert f'href="{result}"' in html
    assert "approved in review" in page(alice_client, review)  # the version's label


def test_carol_reads_the_approved_result_and_goes_back_to_her_review(
    review: Review,
    carol: User,
    carol_client: Client,
    charlie_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    review = approved(review, carol, django_capture_on_commit_callbacks)
    url = reverse("evaluation-detail", args=[review.approved_evaluation_id])
    carol_client.cookies["django_language"] = "en"
    response = carol_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("review-detail", args=[review.pk])}"' in html
    assert reverse("assessment-detail", args=[review.assessment_id]) not in html
    assert charlie_client.get(url).status_code == 404


def test_the_rounds_share_the_callers_assessment_and_read_no_evaluation_record(
    review: Review, alice: User
) -> None:
    """reviews_of joins neither the assessment again nor the evaluations' whole records; the
    rounds carry the very assessment the caller read, its inventory and factory loaded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments import review_selectors, selectors

    assessment = selectors.assessment_for(alice, review.assessment_id)
    with CaptureQueriesContext(connection) as queries:
        rounds = review_selectors.reviews_of(alice, assessment)
        assert [r.pk for r in rounds] == [review.pk]
        assert rounds[0].assessment is assessment
        assert rounds[0].assessment.inventory.factory.organisation.pk
        assert rounds[0].certification_body.name
        submitter = rounds[0].submitted_by
        assert submitter is not None
        assert submitter.username
    assert len(queries) == 3  # her organisations; may she see every round; the rounds
    assert not any('"assessments_evaluation"' in q["sql"] for q in queries.captured_queries)
    evaluation = rounds[0].evaluation  # read when asked
    assert evaluation is not None
    assert evaluation.pk == review.evaluation_id
