"""What a review leaves behind: an e-mail for each step to those concerned, in their own
language, retried when the mail server refuses; its events; the audit trail of its decisions
and statuses (assessments/notifications.py, services/review.py)."""

from __future__ import annotations

from collections.abc import Callable
from smtplib import SMTPException
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import translation

from assessments import review_selectors
from assessments.models import Review, ReviewDecision
from assessments.services import review as reviews
from emissions.history import acting
from tests.assessments.reviewing import (
    GEC_PROOF,
    RETIREMENT_PROOF,
    WUXI,
    decide_all,
    give_addresses,
    submitted_review,
)
from zerocarbon.accounts.models import Preferences

pytestmark = pytest.mark.django_db
OnCommit = Callable[..., Any]


@pytest.fixture
def review(demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any) -> Review:
    give_addresses()
    return submitted_review(demo, alice, django_capture_on_commit_callbacks)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> OnCommit:
    """Run a step and what its commit publishes (the mail task, eagerly), outbox emptied."""
    mail.outbox.clear()

    def run(step: Callable[[], object]) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            return step()

    return run


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_auditors_of_the_body_are_mailed_when_a_round_joins_their_queue(
    review: Review,
) -> None:
    assert recipients() == ["carol@example.com"]  # not alice, who submitted; not erin
    # carol chose no language: her mail is in Chinese, the platform's default
    assert mail.outbox[0].subject == f"[ZeroCarbon] {WUXI} 2023：评价完成，进入审核队列"
    assert reverse("review-detail", args=[review.pk]) in str(mail.outbox[0].body)


def _decided_and_approved(carol: User, review: Review) -> Review:
    decide_all(carol, review)
    return reviews.approve(carol, review, "All in order.")


STEPS: dict[str, tuple[str, Callable[[User, Review], object], list[str]]] = {
    # step: (who takes it, the step, who is mailed: the others concerned)
    "changes requested": (
        "carol",
        lambda carol, review: reviews.request_changes(carol, review, "Show the retirement."),
        ["alice@example.com", "dora@example.com"],
    ),
    "rejected": (
        "carol",
        lambda carol, review: reviews.reject(carol, review, "Not a zero-carbon factory."),
        ["alice@example.com", "dora@example.com"],
    ),
    "approved": (
        "carol",
        _decided_and_approved,
        ["alice@example.com", "dora@example.com"],
    ),
    "an auditor's comment": (
        "carol",
        lambda carol, review: reviews.comment(carol, review, target="item:OFS-2", text="Why?"),
        ["alice@example.com", "dora@example.com"],
    ),
    "the consultant's reply": (
        "alice",
        lambda alice, review: reviews.comment(alice, review, target="item:OFS-2", text="See."),
        ["carol@example.com"],
    ),
}


@pytest.mark.parametrize("step", STEPS)
def test_each_step_mails_the_other_side_and_not_whoever_took_it(
    review: Review, on_commit: OnCommit, step: str
) -> None:
    who, take, mailed = STEPS[step]
    on_commit(lambda: take(User.objects.get(username=who), review))
    assert recipients() == mailed  # never bob, who only reads


def test_each_recipient_reads_the_mail_in_their_own_language(
    review: Review, carol: User, alice: User, on_commit: OnCommit
) -> None:
    Preferences.objects.create(user=alice, language="en")
    with translation.override("zh-hans"):  # whatever the language of the step's request
        on_commit(lambda: reviews.request_changes(carol, review, "Show the retirement."))
    to_alice = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    assert to_alice.subject == f"[ZeroCarbon] {WUXI} 2023: Requested changes"
    assert "review round 1 by 示例认证中心 / Example Certification Centre" in str(to_alice.body)
    assert "Show the retirement." in str(to_alice.body)
    assert "Open the assessment: http" in str(to_alice.body)
    # Dora has no preference: Chinese, which the catalogue will say once compiled (the
    # lead's check); her message is hers alone.
    assert [m.to for m in mail.outbox if m is not to_alice] == [["dora@example.com"]]


def test_a_mail_server_that_refuses_once_is_tried_again(
    review: Review, carol: User, on_commit: OnCommit, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []
    send = EmailBackend.send_messages

    def refuse_once(self: EmailBackend, messages: Any) -> int:
        attempts.append(len(messages))
        if len(attempts) == 1:
            raise SMTPException("421 try again later")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_once)
    on_commit(lambda: reviews.reject(carol, review, "Not a zero-carbon factory."))
    assert attempts == [2, 2]
    assert recipients() == ["alice@example.com", "dora@example.com"]


def test_the_review_history_records_every_step_with_its_actor_and_text(
    review: Review, carol: User, alice: User
) -> None:
    reviews.decide(
        carol, review, subject="evidence", key=RETIREMENT_PROOF, verdict="rejected", note="Blurred."
    )
    reviews.decide(carol, review, subject="gate", key="G1", verdict="accepted", note="Seen.")
    reviews.comment(carol, review, target="item:OFS-2", text="Which registry?")
    reviews.comment(alice, review, target="item:OFS-2", text="CCER.")
    reviews.request_changes(carol, review, "Upload a readable proof.")
    steps = [
        (e.action, e.target, e.actor.username if e.actor else None, e.text)
        for e in review_selectors.events(review)
    ]
    assert steps == [
        ("submitted", "", "alice", "示例认证中心 / Example Certification Centre"),
        ("opened", "", None, ""),
        ("rejected_item", f"evidence:{RETIREMENT_PROOF}", "carol", "Blurred."),
        ("accepted", "gate:G1", "carol", "Seen."),
        ("commented", "item:OFS-2", "carol", "Which registry?"),
        ("commented", "item:OFS-2", "alice", "CCER."),
        ("changes_requested", "", "carol", "Upload a readable proof."),
    ]


def test_the_audit_trail_keeps_each_decision_as_it_changed_and_each_status_of_the_round(
    review: Review, carol: User
) -> None:
    with acting(carol):  # as her requests do
        reviews.decide(
            carol, review, subject="evidence", key=GEC_PROOF, verdict="rejected", note="Unsigned."
        )
        reviews.decide(
            carol, review, subject="evidence", key=GEC_PROOF, verdict="accepted", note="Signed."
        )
        decide_all(carol, review)
        reviews.approve(carol, review, "In order.")
    trail = ReviewDecision.history.filter(key=GEC_PROOF).order_by("history_date", "history_id")
    assert [(row.history_type, row.verdict, row.note, row.history_user) for row in trail] == [
        ("+", "rejected", "Unsigned.", carol),
        ("~", "accepted", "Signed.", carol),
    ]
    statuses = Review.history.filter(id=review.pk).order_by("history_date", "history_id")
    assert [row.status for row in statuses] == ["pending", "open", "approved"]
    assert [row.history_user for row in statuses][-1] == carol
