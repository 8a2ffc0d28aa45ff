"""The auditor's pages: the queue of her body's reviews and a review page with its writes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Review, ReviewDecision
from reports.services import approve_review
from tests.assessments.reviewing import (
    GEC_PROOF,
    RETIREMENT_PROOF,
    WUXI,
    decide_all,
    submitted_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any) -> Review:
    return submitted_review(demo, alice, django_capture_on_commit_callbacks)


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def page_of(client: Client, review: Review) -> str:
    response = client.get(reverse("review-detail", args=[review.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def decide(client: Client, review: Review, key: str, verdict: str, note: str) -> Any:
    subject = "gate" if key in ("G1", "G2") else "evidence"
    data = {"subject": subject, "key": key, "verdict": verdict, "note": note}
    return client.post(reverse("review-decide", args=[review.pk]), data)


def copies(review: Review, n: int) -> None:
    """Earlier rounds of the same assessment, closed, to fill the queue."""
    for number in range(review.assessment.reviews.count() + 1, n + 1):
        copy = Review.objects.get(pk=review.pk)
        copy.pk, copy.number, copy.status = None, number, Review.Status.REJECTED
        copy.save()


def test_carol_sees_the_open_review_in_her_queue_with_the_counts(
    review: Review, carol_client: Client
) -> None:
    page = english(carol_client).get(reverse("review-queue")).content.decode()

    assert WUXI in page
    assert reverse("review-detail", args=[review.pk]) in page
    assert re.search(r"In review</span>\s*<strong>1</strong>", page)
    assert "The oldest open review has waited 0 days." in page


def test_the_queue_filters_by_status_search_boundary_and_age(
    review: Review, carol_client: Client
) -> None:
    link = reverse("review-detail", args=[review.pk])
    url = reverse("review-queue")
    boundary = review.assessment.inventory.boundary
    other = "II" if boundary == "I" else "I"

    assert link not in carol_client.get(url, {"status": "approved"}).content.decode()
    assert link in carol_client.get(url, {"status": ""}).content.decode()
    assert link in carol_client.get(url, {"search": "无锡"}).content.decode()
    assert link not in carol_client.get(url, {"search": "nowhere"}).content.decode()
    assert link in carol_client.get(url, {"boundary": boundary}).content.decode()
    assert link not in carol_client.get(url, {"boundary": other}).content.decode()
    assert link not in carol_client.get(url, {"older_than_days": 3}).content.decode()
    empty = english(carol_client).get(url, {"search": "nowhere"}).content.decode()
    assert "No review matches these filters." in empty


def test_the_queue_costs_the_same_queries_for_2_and_10_reviews(
    review: Review, carol_client: Client
) -> None:
    url = reverse("review-queue") + "?status="
    copies(review, 2)
    with CaptureQueriesContext(connection) as two:
        assert carol_client.get(url).status_code == 200
    copies(review, 10)
    with CaptureQueriesContext(connection) as ten:
        page = carol_client.get(url).content.decode()
    assert page.count(WUXI) == 10
    assert len(two) == len(ten)


def test_charlie_and_alice_get_404_on_the_review_page(
    review: Review, charlie_client: Client, alice_client: Client
) -> None:
    for client in (charlie_client, alice_client):
        assert client.get(reverse("review-detail", args=[review.pk])).status_code == 404


def test_the_review_page_shows_evidence_gates_items_and_the_full_evaluation_link(
    review: Review, carol_client: Client
) -> None:
    page = page_of(english(carol_client), review)

    assert RETIREMENT_PROOF in page
    assert GEC_PROOF in page
    assert 'name="key" value="G1"' in page
    assert 'name="key" value="G2"' in page
    assert "OFS-2" in page
    assert "ICT-2" in page
    assert reverse("evaluation-detail", args=[review.evaluation_id]) in page
    assert 'name="outcome" value="request_changes"' in page


def test_carol_accepts_and_rejects_with_a_note_and_sees_the_preview(
    review: Review, carol_client: Client
) -> None:
    accepted = decide(carol_client, review, GEC_PROOF, "accepted", "Matches the registry.")
    rejected = decide(carol_client, review, RETIREMENT_PROOF, "rejected", "Not our serials.")

    assert accepted.status_code == rejected.status_code == 302
    verdicts = dict(review.decisions.values_list("key", "verdict"))
    assert verdicts == {GEC_PROOF: "accepted", RETIREMENT_PROOF: ReviewDecision.Verdict.REJECTED}
    page = page_of(english(carol_client), review)
    assert "Not our serials." in page
    assert "Approved result with your decisions" in page
    assert RETIREMENT_PROOF in page.split("Left out", 1)[1]


def test_a_decision_without_a_note_is_refused_with_the_message(
    review: Review, carol_client: Client
) -> None:
    response = decide(english(carol_client), review, "G1", "accepted", "")

    assert response.status_code == 400
    assert 'class="error refusal"' in response.content.decode()
    assert not review.decisions.exists()


def test_alice_may_not_end_the_round_she_submitted(review: Review, alice_client: Client) -> None:
    url = reverse("review-outcome", args=[review.pk])
    response = alice_client.post(url, {"outcome": "approve", "reason": "fine"})

    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == Review.Status.OPEN


def test_evidence_opens_inline_for_carol_and_is_404_for_charlie(
    review: Review, carol_client: Client, charlie_client: Client
) -> None:
    document = review.assessment.inventory.evidence.get(reference=GEC_PROOF)
    url = reverse("review-evidence", args=[review.pk, document.pk])

    response = carol_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert charlie_client.get(url).status_code == 404


def _texts(value: Any) -> list[str]:
    """Every text of a dossier, longest first (so that no shorter one splits a longer)."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    found = [text for item in items for text in _texts(item)]
    return sorted(found, key=len, reverse=True)


def test_the_english_pages_have_no_chinese_only_leftovers(
    review: Review, carol_client: Client
) -> None:
    client = english(carol_client)
    pages = [client.get(reverse("review-queue")).content.decode(), page_of(client, review)]
    factory = review.assessment.inventory.factory
    assert review.evaluation is not None
    allowed = [
        "简体中文",
        factory.name,
        RETIREMENT_PROOF,
        GEC_PROOF,
        review.certification_body.name,
        *_texts(review.evaluation.inputs["dossier"]),  # the dossier's own words (inputs)
    ]
    for html in pages:
        text = html
        for name in allowed:
            text = text.replace(name, "")
        leftovers = re.findall(r"[\u4e00-\u9fff]+", re.sub(r"<[^>]+>", " ", text))
        assert not leftovers, leftovers[:20]


def test_an_approved_round_shows_its_certificate_and_a_revoke_form_and_no_decision_forms(
    review: Review, carol: User, carol_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    decide_all(carol, review)
    with django_capture_on_commit_callbacks(execute=False):
        certificate = approve_review(carol, review, "All in order.")
    review.refresh_from_db()

    page = page_of(english(carol_client), review)

    assert certificate.number in page
    assert reverse("certificate-revoke", args=[certificate.pk]) in page
    assert reverse("review-decide", args=[review.pk]) not in page
