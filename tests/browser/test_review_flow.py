"""The review of a certification body, as its people do it in a browser: carol (auditor of
cert-body) opens her queue, rejects the credit's retirement proof and requests changes;
alice (consultant of org-a) reads why, starts a new version, replaces the file and submits
it again to the same body; carol finds the replaced file to judge (the rest carried over),
approves, and downloads the certificate; the public page says it is valid."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from assessments.models import Review, ReviewDecision
from assessments.services.workflow import submit_assessment
from emissions.models import EvidenceDocument
from reports.models import Certificate
from tests.assessments.reviewing import AS_OF, GEC_PROOF, RETIREMENT_PROOF, WUXI, attach
from tests.browser.flow import EVIDENCE_PDF, Shot, evidence_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_round(demo: dict[str, Any], alice: User) -> Review:
    """The Wuxi demo with the files its instruments cite, in cert-body's queue (the demo may
    have put it there already)."""
    assessment = demo["wuxi"]
    found: Review | None = assessment.reviews.filter(status=Review.Status.OPEN).first()
    if found is not None:
        return found
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        if not EvidenceDocument.objects.filter(
            inventory=assessment.inventory, reference=reference
        ).exists():
            attach(alice, assessment, reference, evidence_pdf())
    submit_assessment(alice, assessment, as_of=AS_OF, certification_body=demo["orgs"]["cert-body"])
    opened: Review = assessment.reviews.get(status=Review.Status.OPEN)
    return opened


def _claim_form(page: Page, key: str) -> Any:
    """The decision form of one evidence file or gate on the review page."""
    key_input = page.locator(f"input[name=key][value='{key}']")
    return page.locator("form[action$='/decide/']").filter(has=key_input).first


def _decide(page: Page, key: str, verdict: str, note: str) -> None:
    form = _claim_form(page, key)
    form.locator("textarea[name=note]").fill(note)
    form.locator(f"button[name=verdict][value={verdict}]").click()
    expect(page).to_have_url(re.compile(r"/review/\d+/"))


def _outcome(page: Page, outcome: str, reason: str) -> None:
    form = page.locator("form[action$='/outcome/']").first
    form.locator("textarea[name=reason]").fill(reason)
    form.locator(f"button[name=outcome][value={outcome}]").click()


def test_carol_rejects_alice_fixes_and_carol_certifies(
    new_context: Callable[..., BrowserContext],
    shot: Shot,
    demo: dict[str, Any],
    alice: User,
    carol: User,
    settings: Any,
) -> None:
    settings.CERTIFICATE_VALID_YEARS = 5  # the example's data year is 2023: still valid today
    first = _open_round(demo, alice)
    assessment = first.assessment
    carol_page = new_context(carol).new_page()  # Chinese, the default

    # 1. Carol's queue and the review page; she rejects the retirement proof.
    carol_page.goto("/")
    expect(carol_page).to_have_url(re.compile(r"/review/$"))
    row = carol_page.locator("table tbody tr", has_text=WUXI)
    expect(row).to_be_visible()
    shot(carol_page, "review-01-queue-zh")
    row.locator(f"a[href='/review/{first.pk}/']").first.click()
    expect(carol_page.locator(f"input[name=key][value='{RETIREMENT_PROOF}']")).to_have_count(1)
    shot(carol_page, "review-02-page-zh")
    _decide(carol_page, RETIREMENT_PROOF, "rejected", "注销证明无法辨认，请上传清晰的扫描件。")
    for key in (GEC_PROOF, "G1", "G2"):
        _decide(carol_page, key, "accepted", "已核对原件。")
    decisions = dict(first.decisions.values_list("key", "verdict"))
    assert decisions == {
        RETIREMENT_PROOF: ReviewDecision.Verdict.REJECTED,
        GEC_PROOF: "accepted",
        "G1": "accepted",
        "G2": "accepted",
    }
    shot(carol_page, "review-03-decided-zh")
    _outcome(carol_page, "request_changes", "请更换注销证明后重新提交。")
    expect(carol_page.locator("main")).to_contain_text("请更换注销证明后重新提交。")
    first.refresh_from_db()
    assert first.status == Review.Status.CHANGES_REQUESTED

    # 2. Alice reads why, starts a new version, replaces the file, submits again.
    alice_page = new_context(alice, language="en").new_page()
    alice_page.goto(f"/assessments/{assessment.pk}/")
    panel = alice_page.locator("#review")
    expect(panel).to_contain_text("请更换注销证明后重新提交。")
    expect(panel).to_contain_text(RETIREMENT_PROOF)
    shot(alice_page, "review-04-changes-requested-en")
    panel.locator("form[action$='/new-version/'] button[type=submit]").click()
    alice_page.goto(f"/inventories/{assessment.inventory_id}/evidence/")
    replace = alice_page.locator("table.evidence-list tbody tr", has_text=RETIREMENT_PROOF)
    replace.locator("input[type=file]").set_input_files(EVIDENCE_PDF)  # type: ignore[arg-type]
    replace.locator("button[type=submit]").click()
    expect(alice_page.locator("main")).to_contain_text(RETIREMENT_PROOF)
    alice_page.goto(f"/assessments/{assessment.pk}/")
    submit = alice_page.locator("main form[action$='/submit/']")
    expect(submit.locator("select[name=certification_body]")).to_have_value("cert-body")
    submit.locator("button[type=submit]").click()
    second = assessment.reviews.order_by("-number").first()
    assert second is not None
    assert second.number == 2
    assert second.status == Review.Status.OPEN
    shot(alice_page, "review-05-resubmitted-en")

    # 3. Carol judges the replaced file (the rest carried over) and approves.
    carol_page.goto("/review/")
    carol_page.locator(f"a[href='/review/{second.pk}/']").first.click()
    carried = set(second.decisions.exclude(carried_from=None).values_list("key", flat=True))
    assert carried == {GEC_PROOF, "G1", "G2"}
    _decide(carol_page, RETIREMENT_PROOF, "accepted", "新扫描件清晰，与登记簿一致。")
    _outcome(carol_page, "approve", "证据齐全，核查通过。")
    certificate = Certificate.objects.get(evaluation__reviews=second)
    expect(carol_page.locator("main")).to_contain_text(certificate.number)
    shot(carol_page, "review-06-approved-zh")
    download_link = carol_page.locator("a[href^='/pdfs/'][href$='/download/']").first
    expect(download_link).to_be_visible()
    with carol_page.expect_download() as downloading:
        download_link.click()
    path = downloading.value.path()
    assert path is not None
    with open(path, "rb") as stream:
        assert stream.read(5) == b"%PDF-"

    # 4. Anyone verifies it.
    public = new_context(language="en").new_page()
    public.goto(f"/verify/{certificate.number}/")
    expect(public.locator("main")).to_contain_text(certificate.number)
    expect(public.locator("main")).to_contain_text("Valid")
    shot(public, "review-07-verify-en")
