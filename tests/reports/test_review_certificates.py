"""The certificates of a review (reports/services.py approve_review, revoke_as_auditor): an
approval issues the certificate of the approved result or nothing at all, one number however
many approve at once, a re-statement supersedes it, only the approving body revokes it, and
/verify/ says which is which."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone, translation

from assessments import review_selectors
from assessments.models import Evaluation, Review, ReviewEvent
from assessments.services import review as reviews
from assessments.services.workflow import reopen_assessment
from reports.models import Certificate, RenderedPdf, certificate_number
from reports.services import approve_review, revoke_as_auditor
from tests.assessments.reviewing import (
    GEC_PROOF,
    RETIREMENT_PROOF,
    another_rated_factory,
    attach,
    change_answer,
    decide_all,
    give_addresses,
    second_body,
    submit,
    submitted_review,
)
from zerocarbon.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any) -> Review:
    return submitted_review(demo, alice, django_capture_on_commit_callbacks)


@pytest.fixture
def erin(orgs: dict[str, Any]) -> User:
    """Auditor of another certification body."""
    return second_body(orgs)[1]


@pytest.fixture
def long_valid(settings: Any) -> None:
    """The demo's data year is 2023: valid for five years, its certificate is valid today."""
    settings.CERTIFICATE_VALID_YEARS = 5


def english_page(url: str) -> str:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def this_year(sequence: int) -> str:
    return certificate_number(timezone.localdate().year, sequence)


# Approval and its certificate.


def test_an_approval_issues_the_certificate_of_the_approved_result(
    review: Review, carol: User
) -> None:
    decide_all(carol, review, rejected={RETIREMENT_PROOF})
    certificate = approve_review(carol, review, "The credits' retirement is not shown.")
    review.refresh_from_db()
    approved, submitted = review.approved_evaluation, review.evaluation
    assert submitted is not None
    assert approved is not None
    assert approved.adjusts == submitted
    assert certificate.number == this_year(1)
    assert certificate.evaluation == approved
    assert (certificate.total_score, certificate.star_level, certificate.evaluation_sha256) == (
        approved.total_score,
        approved.star_level,
        approved.sha256,
    )
    assert certificate.total_score < submitted.total_score
    assert review.events.filter(
        action=ReviewEvent.Action.CERTIFIED, target=f"certificate:{certificate.number}"
    ).exists()
    renders = RenderedPdf.objects.filter(certificate=certificate, kind="certificate")
    assert sorted(renders.values_list("language", flat=True)) == ["en", "zh-hans"]


@pytest.mark.parametrize("gate", ["G1", "G2"])
def test_an_approval_that_leaves_the_factory_unrated_is_refused_and_writes_nothing(
    review: Review, carol: User, gate: str
) -> None:
    evaluations = Evaluation.objects.count()
    decide_all(carol, review, rejected={gate})
    with pytest.raises(Conflict, match="not rated"):
        approve_review(carol, review, "Fine.")
    review.refresh_from_db()
    assert (review.status, review.approved_evaluation) == (Review.Status.OPEN, None)
    assert not Certificate.objects.exists()
    assert Evaluation.objects.count() == evaluations
    assert ReviewEvent.Action.APPROVED not in review.events.values_list("action", flat=True)


def test_alice_cannot_approve_her_own_submission_and_nothing_is_issued(
    review: Review, carol: User, alice: User
) -> None:
    decide_all(carol, review)
    with pytest.raises(PermissionDenied, match="Only auditors of"):
        approve_review(alice, review, "Looks good to me.")
    assert not Certificate.objects.exists()
    assert Review.objects.get(pk=review.pk).status == Review.Status.OPEN


# Concurrent approvals.


def race(first: Callable[[], Certificate], second: Callable[[], Certificate]) -> Any:
    """Run `first` in a transaction held open until `second` has started and is seen
    waiting for its locks; the numbers given and the errors raised."""
    holding, release = threading.Event(), threading.Event()
    numbers: dict[str, str] = {}
    failures: list[Exception] = []

    def approve(name: str, step: Callable[[], Certificate], hold: bool) -> None:
        try:  # a thread does not inherit the test's language: English, as the test reads
            with translation.override("en"), transaction.atomic():
                numbers[name] = step().number
                if hold:
                    holding.set()
                    release.wait(30)
        except (DatabaseError, DomainError) as error:  # reported by the caller's assertions
            failures.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=approve, args=("one", first, True))
    one.start()
    assert holding.wait(60)
    two = threading.Thread(target=approve, args=("two", second, False))
    two.start()
    two.join(1)
    assert two.is_alive(), "the second approval must wait for the first's locks"
    release.set()
    one.join(60)
    two.join(60)
    return numbers, failures


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_of_one_review_give_one_certificate(
    demo: dict[str, Any], alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    review = submitted_review(demo, alice, django_capture_on_commit_callbacks)
    decide_all(carol, review)
    numbers, failures = race(
        lambda: approve_review(carol, review, "First."),
        lambda: approve_review(carol, review, "Second."),
    )
    assert numbers == {"one": this_year(1)}
    assert [type(f) for f in failures] == [reviews.ReviewClosed]
    assert Certificate.objects.count() == 1
    assert Review.objects.get(pk=review.pk).reason == "First."


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviews_approved_at_once_get_consecutive_distinct_numbers(
    demo: dict[str, Any], alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    first = submitted_review(demo, alice, django_capture_on_commit_callbacks)
    other = another_rated_factory(demo["orgs"]["org-a"])
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        attach(alice, other, reference)
    second = submit(alice, other, django_capture_on_commit_callbacks, first.certification_body)
    for review in (first, second):
        decide_all(carol, review)
    numbers, failures = race(
        lambda: approve_review(carol, first, "In order."),
        lambda: approve_review(carol, second, "In order."),
    )
    assert failures == []
    assert numbers == {"one": this_year(1), "two": this_year(2)}


# A re-statement, a revocation, and what /verify/ says of them.


def test_a_restatement_reviewed_again_supersedes_the_certificate_of_the_old_version(
    review: Review,
    alice: User,
    carol: User,
    django_capture_on_commit_callbacks: Any,
    long_valid: None,
) -> None:
    decide_all(carol, review)
    old = approve_review(carol, review, "In order.")
    assessment = reopen_assessment(alice, review.assessment)
    change_answer(alice, assessment, "ICT-3", 1)  # the new version: one answer corrected
    body = review_selectors.last_body(assessment)
    second = submit(alice, assessment, django_capture_on_commit_callbacks, body)
    assert second.number == 2
    assert review_selectors.claims(second).undecided == []  # nothing changed in the claims
    new = approve_review(carol, second, "The correction is in order.")
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (Certificate.Status.SUPERSEDED, new)
    assert new.total_score == old.total_score - 1
    review.refresh_from_db()
    assert (review.status, review.approved_evaluation) == (Review.Status.APPROVED, old.evaluation)

    superseded = english_page(f"/verify/{old.number}/")
    assert "Superseded" in superseded
    assert f'<a href="/verify/{new.number}/">{new.number}</a>' in superseded
    valid = english_page(f"/verify/{new.number}/")
    assert ">Valid<" in valid


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("alice", PermissionDenied),  # consultant of the certified organisation: told no
        ("bob", PermissionDenied),
        ("charlie", NotFound),  # anyone else learns nothing
        ("erin", NotFound),  # an auditor of another body too
    ],
)
def test_only_the_auditors_of_the_approving_body_revoke_its_certificate(
    review: Review, carol: User, erin: User, who: str, refusal: type[Exception]
) -> None:
    decide_all(carol, review)
    certificate = approve_review(carol, review, "In order.")
    with pytest.raises(refusal):
        revoke_as_auditor(User.objects.get(username=who), certificate, "Forged.")
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.VALID


def test_a_revocation_needs_a_reason(review: Review, carol: User) -> None:
    decide_all(carol, review)
    certificate = approve_review(carol, review, "In order.")
    with pytest.raises(ValidationFailed, match="A revocation needs a reason") as refused:
        revoke_as_auditor(carol, certificate, "  ")
    assert [error.path for error in refused.value.errors] == ["reason"]
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.VALID


def test_a_certificate_revoked_by_its_auditor_shows_as_revoked_with_the_reason(
    review: Review, carol: User, django_capture_on_commit_callbacks: Any, long_valid: None
) -> None:
    give_addresses()
    decide_all(carol, review)
    certificate = approve_review(carol, review, "In order.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        revoke_as_auditor(carol, certificate, "The green certificates were sold twice.")
    event = review.events.get(action=ReviewEvent.Action.REVOKED)
    assert (event.actor, event.target, event.text) == (
        carol,
        f"certificate:{certificate.number}",
        "The green certificates were sold twice.",
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "dora@example.com"]
    text = english_page(f"/verify/{certificate.number}/")
    assert "Revoked" in text
    assert "Reason: The green certificates were sold twice." in text
    assert ">Valid<" not in text


def test_a_version_resubmitted_unchanged_keeps_its_valid_certificate(
    review: Review,
    alice: User,
    carol: User,
    django_capture_on_commit_callbacks: Any,
    long_valid: None,
) -> None:
    decide_all(carol, review)
    first = approve_review(carol, review, "In order.")
    assessment = reopen_assessment(alice, review.assessment)
    body = review_selectors.last_body(assessment)
    second = submit(alice, assessment, django_capture_on_commit_callbacks, body)
    assert second.evaluation == review.evaluation  # the same inputs, the same record
    assert approve_review(carol, second, "Unchanged.") == first
    assert Certificate.objects.count() == 1


def test_a_revoked_result_resubmitted_unchanged_is_not_certified_again(
    review: Review,
    alice: User,
    carol: User,
    django_capture_on_commit_callbacks: Any,
    long_valid: None,
) -> None:
    decide_all(carol, review)
    first = approve_review(carol, review, "In order.")
    revoke_as_auditor(carol, first, "The retirement was cancelled by the registry.")
    assessment = reopen_assessment(alice, review.assessment)
    second = submit(alice, assessment, django_capture_on_commit_callbacks, first_body(review))
    with pytest.raises(Conflict, match=first.number):
        approve_review(carol, second, "Unchanged.")
    second.refresh_from_db()
    assert second.status == Review.Status.OPEN  # nothing written
    assert Certificate.objects.count() == 1


def first_body(review: Review) -> Any:
    return review.certification_body
