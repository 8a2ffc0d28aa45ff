"""Demo data: the organisations and personas, then both example dossiers of the spec imported
into org-a (copies live in assessments/demo_data/). Idempotent."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from assessments.models import Assessment
from assessments.services.dossier import import_dossier
from emissions.models import Inventory
from zerocarbon.accounts.demo import load_demo_accounts

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEMO_DOSSIERS = sorted((Path(__file__).resolve().parent / "demo_data").glob("*-dossier.json"))


@transaction.atomic
def load_demo() -> list[Assessment]:
    organisations = load_demo_accounts()
    org_a = organisations["org-a"]
    imported = []
    for path in DEMO_DOSSIERS:
        data = json.loads(path.read_text(encoding="utf-8"))
        exists = Inventory.objects.filter(
            factory__organisation=org_a,
            factory__credit_code=data["factory"]["credit_code"],
            year=data["year"],
        ).exists()
        if not exists:
            imported.append(import_dossier(org_a, data, as_of=date.today()))
    return imported


DEMO_AS_OF = date(2025, 6, 30)  # the evaluation date of the spec's worked examples


# The rated example goes to the demo certification body, so that carol has a review to do.
REVIEWED_CREDIT_CODE = "91320214MA1WXJM00Y"
REVIEWING_BODY = "cert-body"


def submit_demo(assessments: list[Assessment]) -> None:
    """Submit freshly imported demo assessments as alice, so the dashboard shows results (in
    the quickstart the evaluation runs in-process; with a broker, on the worker): each with a
    small PDF for every evidence file its instruments cite, the rated one to cert-body for
    review."""
    from django.contrib.auth.models import User

    from assessments.services.workflow import submit_assessment
    from zerocarbon.accounts.models import Organisation

    alice = User.objects.get(username="alice")
    body = Organisation.objects.get(slug=REVIEWING_BODY)
    for assessment in assessments:
        attach_demo_evidence(alice, assessment)
        reviewed = assessment.inventory.factory.credit_code == REVIEWED_CREDIT_CODE
        submit_assessment(
            alice, assessment, as_of=DEMO_AS_OF, certification_body=body if reviewed else None
        )


def attach_demo_evidence(user: object, assessment: Assessment) -> None:
    """A one-page PDF under every evidence reference the inventory's instruments cite."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from emissions.services.evidence import attach_evidence

    inventory = assessment.inventory
    references = {
        ref
        for lines in (inventory.green_electricity.all(), inventory.credits.all())
        for ref in (line.evidence_ref for line in lines)
        if ref
    }
    for reference in sorted(
        references - set(inventory.evidence.values_list("reference", flat=True))
    ):
        upload = SimpleUploadedFile("evidence.pdf", one_page_pdf(), "application/pdf")
        attach_evidence(user, inventory, upload=upload, kind="certificate", reference=reference)  # type: ignore[arg-type]
    link_demo_answers(user, assessment)  # type: ignore[arg-type]


# Two rubric answers of the demo rest on a file of their own, which the auditor judges too.
DEMO_ANSWER_EVIDENCE = {"ERU-3": "能源管理体系认证证书.pdf", "RED-1": "温室气体核查报告-2023.pdf"}


def link_demo_answers(user: User, assessment: Assessment) -> None:
    """A one-page PDF for each answer of DEMO_ANSWER_EVIDENCE given, linked to it as the
    answers editor links it (an answer already linked, or missing, is left as it is)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.services.answers import save_answers
    from emissions.services.evidence import attach_evidence

    answers = {answer.item_id: answer for answer in assessment.answers.all()}
    taken = set(assessment.inventory.evidence.values_list("reference", flat=True))
    links = {item: [e.pk for e in answer.evidence.all()] for item, answer in answers.items()}
    for item, reference in DEMO_ANSWER_EVIDENCE.items():
        if item not in answers or links[item] or reference in taken:
            continue
        upload = SimpleUploadedFile(reference, one_page_pdf(), "application/pdf")
        document = attach_evidence(
            user, assessment.inventory, upload=upload, kind="rubric", reference=reference
        )
        links[item] = [document.pk]
    values = {item: answer.value for item, answer in answers.items()}
    save_answers(user, assessment, values, evidence=links)


def one_page_pdf() -> bytes:
    """A one-page PDF built here, so that the repository holds no PDF file: the objects, then
    the cross-reference table with each object's byte offset, as the format requires."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
