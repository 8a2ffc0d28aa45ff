"""Smoke: a submission to a certification body, decisions, approval with a certificate."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Review
from assessments.services import review as reviews
from assessments.services.workflow import submit_assessment
from emissions.services.evidence import attach_evidence
from reports.services import approve_review

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_round_from_submission_to_certificate(demo: dict[str, Any], alice: User, carol: User) -> None:
    assessment = demo["wuxi"]
    for user in (alice, carol):
        user.email = f"{user.username}@example.com"
        user.save()
    refs = {
        line.get("evidence_ref")
        for line in [*assessment.inventory.green_electricity.values("evidence_ref"), *assessment.inventory.credits.values("evidence_ref")]
    }
    for ref in sorted(r["evidence_ref"] if isinstance(r, dict) else r for r in refs if r):
        attach_evidence(alice, assessment.inventory, upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 x"), kind="other", reference=ref)
    body = demo["orgs"]["cert-body"]
    submit_assessment(alice, assessment, as_of=__import__("datetime").date(2025, 6, 30), certification_body=body)
    review = Review.objects.get()
    assert review.status == Review.Status.OPEN, review.status
    from assessments import review_selectors

    claims = review_selectors.claims(review)
    print(claims.undecided)
    for target in claims.undecided:
        subject, key = target.split(":", 1)
        verdict = "rejected" if target == claims.undecided[0] else "accepted"
        reviews.decide(carol, review, subject=subject, key=key, verdict=verdict, note="checked")
    certificate = approve_review(carol, review, "all in order")
    review.refresh_from_db()
    print(certificate.number, review.approved_evaluation_id, review.evaluation_id, review.approved_evaluation.total_score, review.evaluation.total_score)
    print(review.approved_evaluation.inputs["dossier"]["review"])
    print([m.subject for m in mail.outbox])
    assert certificate.number.startswith("ZCF-")
