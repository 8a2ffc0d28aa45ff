"""Helpers of the review tests: the rated demo (wuxi) with the evidence files its
instruments cite, submitted to a certification body; a second body with its own auditor; a
user who works on both sides; decisions on every claim; the points of an item."""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import review_selectors
from assessments.models import Assessment, Evaluation, Review, ReviewDecision
from assessments.services import review as reviews
from assessments.services.answers import save_answers
from assessments.services.dossier import import_dossier
from assessments.services.workflow import submit_assessment
from emissions.identifiers import credit_code_check_character
from emissions.models import EvidenceDocument
from emissions.services.evidence import attach_evidence
from tests.conftest import example
from zerocarbon.accounts.models import Membership, Organisation

RETIREMENT_PROOF = "注销证明-2024-03.pdf"  # the CCER credit's evidence_ref
GEC_PROOF = "绿证核发凭证-2023-01.pdf"  # the green certificates' evidence_ref
AS_OF = date(2025, 6, 30)  # the evaluation date of the worked examples
WUXI = "示例精密制造（无锡）有限公司"
OnCommit = Callable[..., Any]  # django_capture_on_commit_callbacks


def attach(user: User, assessment: Assessment, reference: str, content: bytes = b"") -> Any:
    """An evidence file of the assessment's inventory under `reference`."""
    upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 " + (content or reference.encode()))
    return attach_evidence(
        user, assessment.inventory, upload=upload, kind="other", reference=reference
    )


def replace(user: User, assessment: Assessment, reference: str, content: bytes) -> Any:
    """Another file under the same reference (the consultant fixes what was rejected)."""
    EvidenceDocument.objects.get(inventory=assessment.inventory, reference=reference).delete()
    return attach(user, assessment, reference, content)


def link(user: User, assessment: Assessment, item: str, documents: Iterable[Any]) -> None:
    """Link the answer to `item` to these evidence files, as the answers editor does."""
    answers = {answer.item_id: answer.value for answer in assessment.answers.all()}
    links = {
        answer.item_id: list(answer.evidence.values_list("pk", flat=True))
        for answer in assessment.answers.all()
    }
    links[item] = [document.pk for document in documents]
    save_answers(user, assessment, answers, evidence=links)


def change_answer(user: User, assessment: Assessment, item: str, value: object) -> None:
    answers = {answer.item_id: answer.value for answer in assessment.answers.all()}
    save_answers(user, assessment, {**answers, item: value})


def submit(
    user: User,
    assessment: Assessment,
    on_commit: OnCommit,
    body: Organisation | None,
    as_of: date = AS_OF,
) -> Review:
    """Submitted to `body` and evaluated in-process, mails sent; its latest round."""
    with on_commit(execute=True):
        submit_assessment(user, assessment, as_of=as_of, certification_body=body)
    review = assessment.reviews.order_by("-number").first()
    assert review is not None
    return review


def submitted_review(demo: dict[str, Any], alice: User, on_commit: OnCommit) -> Review:
    """Wuxi with the files its instruments cite, submitted by alice to cert-body: open."""
    assessment = demo["wuxi"]
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        attach(alice, assessment, reference)
    review = submit(alice, assessment, on_commit, demo["orgs"]["cert-body"])
    assert review.status == Review.Status.OPEN
    return review


def decide_all(auditor: User, review: Review, rejected: Collection[str] = ()) -> None:
    """A verdict on every claim still undecided: rejected if its key is in `rejected`."""
    for target in review_selectors.claims(review).undecided:
        subject, key = target.split(":", 1)
        verdict = ReviewDecision.Verdict.REJECTED if key in rejected else "accepted"
        reviews.decide(auditor, review, subject=subject, key=key, verdict=verdict, note=f"{key}.")


def second_body(orgs: dict[str, Organisation]) -> tuple[Organisation, User]:
    """Another certification body and erin, its auditor."""
    body = Organisation.objects.create(
        slug="cert-two",
        name="第二认证中心 / Second Certification Centre",
        kind=Organisation.Kind.CERTIFICATION_BODY,
    )
    erin = User.objects.create_user("erin", email="erin@example.com")
    Membership.objects.create(user=erin, organisation=body, role=Membership.Role.AUDITOR)
    return body, erin


def both_sides(orgs: dict[str, Organisation]) -> User:
    """Dan: consultant of org-a and auditor of cert-body."""
    dan = User.objects.create_user("dan", email="dan@example.com")
    Membership.objects.create(user=dan, organisation=orgs["org-a"], role="consultant")
    Membership.objects.create(user=dan, organisation=orgs["cert-body"], role="auditor")
    return dan


def give_addresses() -> None:
    for user in User.objects.all():
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])


def another_rated_factory(org_a: Organisation) -> Assessment:
    """The rated example under another credit code and its own serial ranges."""
    data = copy.deepcopy(example("demo-rated-dossier"))
    first = "91320214MA1WXJM01"
    data["factory"]["credit_code"] = first + credit_code_check_character(first)
    green, credit = data["green_electricity"][0], data["credits"][0]
    green["serial_from"], green["serial_to"] = "GEC2023000300001", "GEC2023000308000"
    credit["serial_from"], credit["serial_to"] = "CCER-0003-2023-000001", "CCER-0003-2023-004700"
    return import_dossier(org_a, data, as_of=AS_OF)


def points(evaluation: Evaluation, item: str) -> Decimal:
    """The points of one rubric item in an evaluation's result."""
    for indicator in evaluation.result["indicators"]:
        for line in indicator["items"]:
            if line["id"] == item:
                return Decimal(str(line["points"]))
    raise AssertionError(f"{item} is not in the result")
