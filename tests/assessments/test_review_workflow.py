"""The review of a certification body (assessments/services/review.py, review_selectors.py,
notifications.py): who may act on a round, four eyes, reasons, what an approval counts when
evidence is rejected, rounds after changes, the e-mails of each step and the trail left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from assessments import review_selectors, selectors
from assessments.models import Assessment, Evaluation, Review, ReviewEvent
from assessments.review_selectors import QueueFilters, queue
from assessments.services import review as reviews
from assessments.services.workflow import reopen_assessment
from emissions.history import acting
from reports.models import Certificate
from reports.services import approve_review
from tests.assessments.reviewing import (
    GEC_PROOF,
    RETIREMENT_PROOF,
    attach,
    both_sides,
    change_answer,
    decide_all,
    give_addresses,
    link,
    points,
    replace,
    second_body,
    submit,
    submitted_review,
)
from zerocarbon.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
Step = Callable[[User, Review], object]


@pytest.fixture
def review(demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any) -> Review:
    return submitted_review(demo, alice, django_capture_on_commit_callbacks)


@pytest.fixture
def erin(orgs: dict[str, Any]) -> User:
    """Auditor of another certification body."""
    return second_body(orgs)[1]


def actions(review: Review) -> list[str]:
    return list(review.events.order_by("at", "pk").values_list("action", flat=True))


# Who may act on a round.

DECISIVE_STEPS: dict[str, Step] = {
    "decide": lambda actor, review: reviews.decide(
        actor, review, subject="evidence", key=GEC_PROOF, verdict="rejected", note="Forged."
    ),
    "request changes": lambda actor, review: reviews.request_changes(actor, review, "Fix it."),
    "reject": lambda actor, review: reviews.reject(actor, review, "No."),
    "approve": lambda actor, review: approve_review(actor, review, "Fine."),
}


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("erin", NotFound),  # auditor of another body: learns nothing
        ("charlie", NotFound),  # consultant of another organisation: learns nothing
        ("alice", PermissionDenied),  # consultant of the owner: told only auditors decide
        ("bob", PermissionDenied),  # viewer of the owner: the same
    ],
)
def test_nobody_but_the_auditors_of_the_body_decides_approves_or_ends_a_round(
    review: Review, carol: User, erin: User, who: str, refusal: type[Exception]
) -> None:
    decide_all(carol, review)  # nothing but the actor stands in the way of an approval
    actor = User.objects.get(username=who)
    for name, step in DECISIVE_STEPS.items():
        with pytest.raises(refusal):
            step(actor, review)
        review.refresh_from_db()
        assert review.status == Review.Status.OPEN, name
    assert set(review.decisions.values_list("verdict", flat=True)) == {"accepted"}
    assert actions(review)[-1] == ReviewEvent.Action.ACCEPTED
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("who", "refusal"),
    [("erin", NotFound), ("charlie", NotFound), ("bob", PermissionDenied)],
)
def test_only_the_bodys_auditors_and_the_owners_writers_comment(
    review: Review, erin: User, who: str, refusal: type[Exception]
) -> None:
    with pytest.raises(refusal):
        reviews.comment(User.objects.get(username=who), review, target="", text="Hello.")
    assert ReviewEvent.Action.COMMENTED not in actions(review)


def test_the_owner_replies_to_the_auditor_even_after_the_round_ended(
    review: Review, alice: User, carol: User
) -> None:
    reviews.comment(carol, review, target="item:OFS-2", text="Which registry?")
    reviews.request_changes(carol, review, "Show the retirement.")
    reviews.comment(alice, review, target="item:OFS-2", text="CCER, see the new file.")
    with pytest.raises(reviews.ReviewClosed):
        reviews.comment(carol, review, target="", text="One more thing.")
    said = review.events.filter(action=ReviewEvent.Action.COMMENTED).order_by("pk")
    assert [(str(e.actor), e.target, e.text) for e in said] == [
        ("carol", "item:OFS-2", "Which registry?"),
        ("alice", "item:OFS-2", "CCER, see the new file."),
    ]


def test_the_queue_lists_a_review_to_its_bodys_auditors_and_to_nobody_else(
    review: Review, carol: User, erin: User, charlie: User, alice: User
) -> None:
    mine = queue(carol, QueueFilters())
    assert [row.review.pk for row in mine.rows] == [review.pk]
    assert mine.counts[Review.Status.OPEN] == 1
    assert mine.oldest_open is not None
    for outsider in (erin, charlie, alice):
        for status in ("", *Review.Status.values):
            seen = queue(outsider, QueueFilters(status=status))
            assert seen.rows == (), (outsider, status)
        assert set(seen.counts.values()) == {0}
        assert seen.oldest_open is None


@pytest.mark.parametrize(
    ("filters", "listed"),
    [
        (QueueFilters(), True),
        (QueueFilters(search="无锡"), True),  # part of the factory's name
        (QueueFilters(search="91320214MA1WXJM00Y"), True),  # its credit code
        (QueueFilters(search="苏州"), False),
        (QueueFilters(boundary="I"), True),
        (QueueFilters(boundary="II"), False),
        (QueueFilters(status=Review.Status.APPROVED), False),
        (QueueFilters(status=""), True),
        (QueueFilters(older_than_days=0), True),
        (QueueFilters(older_than_days=3), False),  # opened today, though submitted long ago
    ],
)
def test_the_queue_filters_by_factory_boundary_status_and_age_in_the_queue(
    review: Review, carol: User, filters: QueueFilters, listed: bool
) -> None:
    Review.objects.filter(pk=review.pk).update(submitted_at=review.submitted_at - timedelta(days=9))
    rows = queue(carol, filters).rows
    assert [row.review.pk for row in rows] == ([review.pk] if listed else [])


def test_another_bodys_auditor_reaches_neither_the_review_nor_its_files_nor_its_evaluation(
    review: Review, erin: User, charlie: User
) -> None:
    document = review.assessment.inventory.evidence.get(reference=GEC_PROOF)
    assert review.evaluation is not None
    for outsider in (erin, charlie):
        with pytest.raises(NotFound):
            review_selectors.review_to_audit(outsider, review.pk)
        with pytest.raises(NotFound):
            review_selectors.audited_evidence(outsider, document.pk)
        with pytest.raises(NotFound):
            selectors.evaluation_for(outsider, review.evaluation.pk)
        assert review_selectors.reviews_of(outsider, review.assessment) == []


def test_the_bodys_auditor_reaches_the_review_its_files_and_its_evaluation(
    review: Review, carol: User
) -> None:
    document = review.assessment.inventory.evidence.get(reference=GEC_PROOF)
    assert review.evaluation is not None
    assert review_selectors.review_to_audit(carol, review.pk) == review
    assert review_selectors.audited_evidence(carol, document.pk) == document
    assert selectors.evaluation_for(carol, review.evaluation.pk) == review.evaluation


# Four eyes: who prepared a submission does not approve it.


def _dan_submits(dan: User, alice: User, assessment: Assessment) -> User:
    return dan


def _dan_uploads_a_file(dan: User, alice: User, assessment: Assessment) -> User:
    attach(dan, assessment, "dan.pdf")  # outside a request: known as its uploader
    return alice


def _dan_changes_an_answer(dan: User, alice: User, assessment: Assessment) -> User:
    with acting(dan):  # as a request of his would: the audit trail names him
        change_answer(dan, assessment, "ICT-3", 1)
    return alice


PREPARATIONS = {
    "submitted it": _dan_submits,
    "uploaded an evidence file": _dan_uploads_a_file,
    "changed an answer": _dan_changes_an_answer,
}


@pytest.mark.parametrize("how", PREPARATIONS)
def test_with_four_eyes_who_prepared_a_submission_cannot_approve_it_but_another_auditor_can(
    demo: dict[str, Any],
    alice: User,
    carol: User,
    django_capture_on_commit_callbacks: Any,
    how: str,
) -> None:
    assessment, dan = demo["wuxi"], both_sides(demo["orgs"])
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        attach(alice, assessment, reference)
    submitter = PREPARATIONS[how](dan, alice, assessment)
    review = submit(
        submitter, assessment, django_capture_on_commit_callbacks, demo["orgs"]["cert-body"]
    )
    decide_all(dan, review)
    with pytest.raises(PermissionDenied, match="Four eyes: you prepared this submission"):
        reviews.approve(dan, review, "Fine.")
    assert Review.objects.get(pk=review.pk).status == Review.Status.OPEN
    assert reviews.approve(carol, review, "Fine.").status == Review.Status.APPROVED


@pytest.mark.parametrize("how", PREPARATIONS)
def test_without_four_eyes_who_prepared_a_submission_may_approve_it(
    demo: dict[str, Any],
    alice: User,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    how: str,
) -> None:
    settings.REVIEW_FOUR_EYES = False
    assessment, dan = demo["wuxi"], both_sides(demo["orgs"])
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        attach(alice, assessment, reference)
    submitter = PREPARATIONS[how](dan, alice, assessment)
    review = submit(
        submitter, assessment, django_capture_on_commit_callbacks, demo["orgs"]["cert-body"]
    )
    decide_all(dan, review)
    assert reviews.approve(dan, review, "Fine.").decided_by == dan


# Every decision needs a reason; an approval needs every claim decided.

REASONED_STEPS: dict[str, tuple[Callable[[User, Review, str], object], str]] = {
    "a verdict": (
        lambda carol, review, text: reviews.decide(
            carol, review, subject="gate", key="G1", verdict="accepted", note=text
        ),
        "/note",
    ),
    "a comment": (
        lambda carol, review, text: reviews.comment(carol, review, target="", text=text),
        "/text",
    ),
    "a request for changes": (reviews.request_changes, "/reason"),
    "a rejection": (reviews.reject, "/reason"),
    "an approval": (reviews.approve, "/reason"),
}


@pytest.mark.parametrize("step", REASONED_STEPS)
def test_every_step_of_the_auditor_needs_a_reason(review: Review, carol: User, step: str) -> None:
    decide_all(carol, review)
    before = actions(review)
    call, path = REASONED_STEPS[step]
    for blank in ("", "  \n\t"):
        with pytest.raises(ValidationFailed, match="Every decision needs a reason") as refused:
            call(carol, review, blank)
        assert [error.path for error in refused.value.errors] == [path]
    assert actions(review) == before
    assert Review.objects.get(pk=review.pk).status == Review.Status.OPEN


def test_an_approval_waits_until_every_file_and_declared_gate_is_decided(
    review: Review, carol: User
) -> None:
    reviews.decide(
        carol,
        review,
        subject="evidence",
        key=GEC_PROOF,
        verdict="accepted",
        note="In the registry.",
    )
    with pytest.raises(ValidationFailed, match="Decide on every evidence file") as refused:
        reviews.approve(carol, review, "Fine.")
    assert [error.path for error in refused.value.errors] == [
        f"/evidence:{RETIREMENT_PROOF}",
        "/gate:G1",
        "/gate:G2",
    ]
    assert Review.objects.get(pk=review.pk).status == Review.Status.OPEN


def test_a_verdict_on_a_claim_the_submission_does_not_make_is_not_found(
    review: Review, carol: User
) -> None:
    for subject, key in [("evidence", "nothing.pdf"), ("gate", "G3"), ("item", "ENE-1")]:
        with pytest.raises(NotFound):
            reviews.decide(carol, review, subject=subject, key=key, verdict="accepted", note="x")
    with pytest.raises(ValidationFailed, match="Choose accept or reject"):
        reviews.decide(carol, review, subject="gate", key="G1", verdict="maybe", note="x")
    assert not review.decisions.exists()


# What an approval counts.


def test_rejecting_the_credits_retirement_proof_approves_a_result_without_its_quality_points(
    review: Review, carol: User
) -> None:
    decide_all(carol, review, rejected={RETIREMENT_PROOF})
    approved = reviews.approve(carol, review, "The credits' retirement is not shown.")
    submitted, result = approved.evaluation, approved.approved_evaluation
    assert submitted is not None
    assert result is not None
    assert result.pk != submitted.pk
    assert result.adjusts == submitted
    assert points(result, "OFS-2") < points(submitted, "OFS-2")
    assert result.total_score == submitted.total_score - (
        points(submitted, "OFS-2") - points(result, "OFS-2")
    )
    assert result.inputs["dossier"]["review"] == {
        "rejected_evidence": [RETIREMENT_PROOF],
        "rejected_gates": [],
        "answers_not_counted": [],
        "instruments_without_evidence": ["credits/0"],
    }
    assert "evidence_ref" not in result.inputs["dossier"]["credits"][0]
    assert submitted.inputs["dossier"]["credits"][0]["evidence_ref"] == RETIREMENT_PROOF


def test_with_nothing_rejected_the_approved_result_is_the_submitted_evaluation(
    review: Review, carol: User
) -> None:
    evaluations = Evaluation.objects.count()
    decide_all(carol, review)
    approved = reviews.approve(carol, review, "All in order.")
    assert approved.approved_evaluation == approved.evaluation
    assert Evaluation.objects.count() == evaluations


@pytest.mark.parametrize(
    ("files", "rejected", "counted"),
    [
        (["ict-a.pdf"], {"ict-a.pdf"}, False),  # its only evidence rejected: unanswered
        (["ict-a.pdf", "ict-b.pdf"], {"ict-a.pdf"}, True),  # another file was accepted
        (["ict-a.pdf", "ict-b.pdf"], {"ict-a.pdf", "ict-b.pdf"}, False),
        ([], {RETIREMENT_PROOF}, True),  # an answer without evidence rests on none
    ],
)
def test_an_answer_counts_unless_every_file_linked_to_it_was_rejected(
    demo: dict[str, Any],
    alice: User,
    carol: User,
    django_capture_on_commit_callbacks: Any,
    files: list[str],
    rejected: set[str],
    counted: bool,
) -> None:
    assessment = demo["wuxi"]
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        attach(alice, assessment, reference)
    link(alice, assessment, "ICT-2", [attach(alice, assessment, name) for name in files])
    review = submit(
        alice, assessment, django_capture_on_commit_callbacks, demo["orgs"]["cert-body"]
    )
    decide_all(carol, review, rejected=rejected)
    result = reviews.approve(carol, review, "Checked.").approved_evaluation
    assert result is not None
    assert review.evaluation is not None
    assert points(review.evaluation, "ICT-2") == 3
    assert points(result, "ICT-2") == (3 if counted else 0)
    assert result.inputs["dossier"]["review"]["answers_not_counted"] == (
        [] if counted else ["ICT-2"]
    )


# Rounds: changes requested, fixed, submitted again.


def test_a_version_under_review_cannot_be_reopened(review: Review, alice: User) -> None:
    with pytest.raises(Conflict, match="Example Certification Centre is reviewing this version"):
        reopen_assessment(alice, review.assessment)
    assert Assessment.objects.get(pk=review.assessment_id).status == Assessment.Status.EVALUATED


def test_after_changes_the_next_round_keeps_the_decisions_on_what_did_not_change(
    review: Review, alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    decide_all(carol, review, rejected={RETIREMENT_PROOF})
    reviews.request_changes(carol, review, "Upload the retirement certificate.")
    assessment = reopen_assessment(alice, review.assessment)
    replace(alice, assessment, RETIREMENT_PROOF, b"the registry's retirement certificate")
    body = review_selectors.last_body(assessment)
    second = submit(alice, assessment, django_capture_on_commit_callbacks, body)

    assert (second.number, second.status, second.certification_body) == (
        2,
        Review.Status.OPEN,
        review.certification_body,
    )
    before = {d.key: d for d in review.decisions.all()}
    kept = {d.key: d for d in second.decisions.all()}
    assert set(kept) == {GEC_PROOF, "G1", "G2"}
    assert all(kept[key].carried_from == before[key] for key in kept)
    assert all(kept[key].decided_by == carol for key in kept)
    assert review_selectors.claims(second).undecided == [f"evidence:{RETIREMENT_PROOF}"]


def test_a_changed_file_under_a_decided_reference_is_to_be_judged_again(
    review: Review, alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    decide_all(carol, review)
    reviews.request_changes(carol, review, "Please also show the meter bills.")
    assessment = reopen_assessment(alice, review.assessment)
    replace(alice, assessment, GEC_PROOF, b"a better scan")
    second = submit(
        alice, assessment, django_capture_on_commit_callbacks, review.certification_body
    )
    assert review_selectors.claims(second).undecided == [f"evidence:{GEC_PROOF}"]


def test_a_failed_evaluation_reopened_withdraws_its_pending_round(
    demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    give_addresses()
    assessment = demo["wuxi"]
    before_the_year = date(2022, 12, 31)  # the dossier reader refuses it: the evaluation fails
    body = demo["orgs"]["cert-body"]
    review = submit(alice, assessment, django_capture_on_commit_callbacks, body, before_the_year)
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.FAILED
    assert review.status == Review.Status.PENDING
    reopen_assessment(alice, assessment)
    review.refresh_from_db()
    assert review.status == Review.Status.WITHDRAWN
    assert actions(review) == ["submitted", "withdrawn"]
    assert mail.outbox == []  # the round never reached the auditors
    seen = queue(User.objects.get(username="carol"), QueueFilters())
    assert seen.rows == ()
    assert seen.counts[Review.Status.PENDING] == seen.counts[Review.Status.OPEN] == 0
