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

from assessments import review_selectors
from assessments.models import Review, ReviewDecision, ReviewEvent
from assessments.services import review as reviews
from assessments.services.workflow import reopen_assessment
from reports.models import Certificate
from reports.review_pages import anchor
from reports.services import approve_review
from tests.assessments.reviewing import (
    GEC_PROOF,
    RETIREMENT_PROOF,
    WUXI,
    decide_all,
    submit,
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


def comment(client: Client, review: Review, target: str, text: str) -> Any:
    return client.post(
        reverse("review-comment", args=[review.pk]), {"target": target, "text": text}
    )


def element(html: str, element_id: str) -> str:
    """The markup of the element with this id, to its own closing tag (nesting counted)."""
    start = re.search(rf'<(\w+)[^>]* id="{re.escape(element_id)}"', html)
    assert start, element_id
    tag, depth = start.group(1), 0
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start.start() :]):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return html[start.start() : start.start() + found.end()]
    raise AssertionError(f"{element_id} is not closed")


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
    assert re.search(r"Approved</span>\s*<strong>0</strong>", page)
    assert re.search(r'aria-current="true">\s*<span class="pill info">In review', page)
    assert "The oldest open review has waited 0 days." in page
    assert ">0 days<" in page  # the row's age, in words


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
    assert link in carol_client.get(url, {"search": "91320214MA1WXJM00Y"}).content.decode()
    assert link not in carol_client.get(url, {"search": "nowhere"}).content.decode()
    assert link in carol_client.get(url, {"boundary": boundary}).content.decode()
    assert link not in carol_client.get(url, {"boundary": other}).content.decode()
    assert link not in carol_client.get(url, {"older_than_days": 3}).content.decode()
    empty = english(carol_client).get(url, {"search": "nowhere"}).content.decode()
    assert "No review matches these filters." in empty


def test_a_status_chip_keeps_the_other_filters(review: Review, carol_client: Client) -> None:
    page = carol_client.get(reverse("review-queue"), {"search": "无锡", "boundary": "I"})

    assert 'href="?search=%E6%97%A0%E9%94%A1&amp;boundary=I&amp;status=approved"' in (
        page.content.decode()
    )


def test_an_auditor_without_reviews_is_told_so(orgs: dict[str, Any], carol_client: Client) -> None:
    page = english(carol_client).get(reverse("review-queue")).content.decode()

    assert "Nothing has been submitted to your certification body for review yet." in page
    assert "No review is open." in page


def test_the_queue_costs_the_same_queries_for_2_and_30_reviews(
    review: Review, carol_client: Client, django_assert_max_num_queries: Any
) -> None:
    url = reverse("review-queue") + "?status="
    copies(review, 2)
    with CaptureQueriesContext(connection) as two:
        assert carol_client.get(url).status_code == 200
    copies(review, 30)
    with django_assert_max_num_queries(len(two)):
        page = carol_client.get(url).content.decode()
    assert page.count(WUXI) == 30


def test_charlie_and_alice_see_none_of_carols_reviews_in_a_queue(
    review: Review, charlie_client: Client, alice_client: Client
) -> None:
    link = reverse("review-detail", args=[review.pk])
    for client in (charlie_client, alice_client):
        page = client.get(reverse("review-queue"), {"status": ""}).content.decode()
        assert link not in page
        assert WUXI not in page


def test_charlie_and_alice_get_404_on_the_review_page(
    review: Review, charlie_client: Client, alice_client: Client
) -> None:
    for client in (charlie_client, alice_client):
        assert client.get(reverse("review-detail", args=[review.pk])).status_code == 404


def test_the_nav_shows_the_queue_to_carol_and_not_to_alice(
    review: Review, carol_client: Client, alice_client: Client
) -> None:
    queue = f'href="{reverse("review-queue")}"'

    assert queue in carol_client.get(reverse("review-queue")).content.decode()
    assert queue not in alice_client.get(reverse("factory-list")).content.decode()
    assert carol_client.get(reverse("home"))["Location"] == reverse("review-queue")


def test_the_review_page_shows_evidence_gates_items_and_the_full_evaluation_link(
    review: Review, carol_client: Client
) -> None:
    page = page_of(english(carol_client), review)

    credit = element(page, anchor(f"evidence:{RETIREMENT_PROOF}"))
    document = review.assessment.inventory.evidence.get(reference=RETIREMENT_PROOF)
    assert document.sha256[:12] in credit
    assert f'href="{reverse("review-evidence", args=[review.pk, document.pk])}"' in credit
    assert 'target="_blank"' in credit
    assert "CCER" in credit  # the instrument resting on it
    assert "4,700 tCO2e" in credit
    assert "Not decided yet." in credit
    assert GEC_PROOF in page
    assert 'name="key" value="G1"' in page
    assert 'name="key" value="G2"' in page
    assert 'id="item-OFS-2"' in page
    assert 'value="item:ICT-2"' in page  # the item comment form offers each item
    assert "threshold set by platform edition" in page
    assert "edition 2022.1" in page
    assert reverse("evaluation-detail", args=[review.evaluation_id]) in page
    assert 'name="outcome" value="request_changes"' in page
    assert "No claim is rejected so far" in page


def test_carol_accepts_and_rejects_with_a_note_and_sees_the_preview(
    review: Review, carol_client: Client
) -> None:
    accepted = decide(carol_client, review, GEC_PROOF, "accepted", "Matches the registry.")
    rejected = decide(carol_client, review, RETIREMENT_PROOF, "rejected", "Not our serials.")

    assert accepted.status_code == rejected.status_code == 302
    assert rejected["Location"].endswith("#" + anchor(f"evidence:{RETIREMENT_PROOF}"))
    verdicts = dict(review.decisions.values_list("key", "verdict"))
    assert verdicts == {GEC_PROOF: "accepted", RETIREMENT_PROOF: ReviewDecision.Verdict.REJECTED}
    page = page_of(english(carol_client), review)
    credit = element(page, anchor(f"evidence:{RETIREMENT_PROOF}"))
    assert "Not our serials." in credit
    assert "Rejected" in credit
    preview = element(page, "r-preview")
    assert "With your decisions" in preview
    assert RETIREMENT_PROOF in preview.split("Left out", 1)[1]
    assert "OFS-2" in preview.split("What changes", 1)[1]  # the credit's points go
    assert Review.objects.get(pk=review.pk).approved_evaluation is None  # nothing stored


def test_a_decision_without_a_note_is_refused_with_the_message_at_the_gate(
    review: Review, carol_client: Client
) -> None:
    response = decide(english(carol_client), review, "G1", "accepted", "  ")

    assert response.status_code == 400
    gate = element(response.content.decode(), anchor("gate:G1"))
    assert 'class="error refusal"' in gate
    assert "autofocus" in gate
    assert 'class="error refusal"' not in element(response.content.decode(), anchor("gate:G2"))
    assert not review.decisions.exists()


def test_carol_comments_on_an_item_and_an_empty_comment_is_refused_there(
    review: Review, carol_client: Client
) -> None:
    done = comment(carol_client, review, "item:ENE-1", "Which meter is this?")
    refused = comment(english(carol_client), review, "item:ENE-1", "")

    assert done.status_code == 302
    assert done["Location"].endswith("#r-comment-items")
    event = review.events.get(action=ReviewEvent.Action.COMMENTED)
    assert (event.target, event.text) == ("item:ENE-1", "Which meter is this?")
    assert refused.status_code == 400
    section = element(refused.content.decode(), "r-comment-items")
    assert 'class="error refusal"' in section
    assert "Which meter is this?" in section


def test_a_comment_on_an_evidence_file_shows_at_the_file(
    review: Review, carol_client: Client
) -> None:
    response = comment(carol_client, review, f"evidence:{GEC_PROOF}", "Does it cover 8,000 MWh?")

    assert response.status_code == 302
    page = page_of(carol_client, review)
    assert "Does it cover 8,000 MWh?" in element(page, anchor(f"evidence:{GEC_PROOF}"))


def test_an_approval_with_claims_undecided_is_refused_at_the_outcome(
    review: Review, carol_client: Client
) -> None:
    url = reverse("review-outcome", args=[review.pk])
    response = english(carol_client).post(url, {"outcome": "approve", "reason": "Fine."})

    assert response.status_code in (400, 409)
    outcome = element(response.content.decode(), "r-outcome")
    assert 'class="error refusal"' in outcome
    assert f'href="#{anchor("gate:G2")}"' in outcome  # what is still undecided, linked
    assert Review.objects.get(pk=review.pk).status == Review.Status.OPEN


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


def test_a_decision_carried_over_says_from_which_round(
    review: Review,
    alice: User,
    carol: User,
    carol_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    decide_all(carol, review)
    reviews.request_changes(carol, review, "Please look at the answers again.")
    assessment = reopen_assessment(alice, review.assessment)
    body = review_selectors.last_body(assessment)
    second = submit(alice, assessment, django_capture_on_commit_callbacks, body)

    page = page_of(english(carol_client), second)

    assert "carried over from round 1" in element(page, anchor("gate:G1"))
    assert "Please look at the answers again." in element(page, "r-events")  # round 1's


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


def test_the_pages_speak_chinese_by_default(review: Review, carol_client: Client) -> None:
    queue = carol_client.get(reverse("review-queue")).content.decode()
    page = page_of(carol_client, review)

    for html in (queue, page):
        assert '<html lang="zh-Hans">' in html or '<html lang="zh-hans">' in html
        assert "审核队列" in html  # "Review queue", from the catalogue
    for msgid in ("Evidence files", "Declared basic requirements", "End the round", "Accept"):
        assert f">{msgid}<" not in page, msgid


def test_an_approved_round_shows_its_certificate_and_a_revoke_form_and_no_decision_forms(
    review: Review, carol: User, carol_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    decide_all(carol, review)
    with django_capture_on_commit_callbacks(execute=False):
        certificate = approve_review(carol, review, "All in order.")
    review.refresh_from_db()

    page = page_of(english(carol_client), review)

    assert certificate.number in element(page, "r-certificate")
    assert reverse("certificate-revoke", args=[certificate.pk]) in page
    assert reverse("review-decide", args=[review.pk]) not in page
    assert reverse("review-outcome", args=[review.pk]) not in page
    assert "This round is not open" in page


def test_carol_revokes_with_a_reason_and_an_empty_reason_is_refused_at_the_certificate(
    review: Review, carol: User, carol_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    decide_all(carol, review)
    with django_capture_on_commit_callbacks(execute=False):
        certificate = approve_review(carol, review, "All in order.")
    url = reverse("certificate-revoke", args=[certificate.pk])

    refused = english(carol_client).post(url, {"reason": " "})
    assert refused.status_code == 400
    assert 'class="error refusal"' in element(refused.content.decode(), "r-certificate")
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.VALID

    with django_capture_on_commit_callbacks(execute=False):
        done = carol_client.post(url, {"reason": "Sold twice."})
    assert done.status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.REVOKED
