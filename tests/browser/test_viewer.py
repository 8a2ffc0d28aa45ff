"""A viewer (bob, org-a) reads his organisation's draft inventory but cannot change it: the
editor shows values, no inputs and no save buttons, and a write sent anyway is forbidden."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from emissions.models import EnergyRecord, EvidenceDocument
from tests.browser.flow import Shot, evidence_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INPUTS = "input:not([type=hidden]), select, textarea, button[value=save], button[value=add]"


def _csrf(page: Page) -> str:
    """The token the page gives htmx (base.html: hx-headers on <body>)."""
    headers: dict[str, str] = json.loads(page.locator("body").get_attribute("hx-headers") or "{}")
    return headers["X-CSRFToken"]


def test_bob_reads_the_editor_without_inputs_and_his_writes_are_forbidden(
    new_context: Callable[..., BrowserContext], shot: Shot, demo: dict[str, Any], bob: User
) -> None:
    assessment = demo["suzhou"]
    inventory = assessment.inventory
    lines = list(EnergyRecord.objects.filter(inventory=inventory).values_list("pk", "quantity"))
    assert lines, "the demo inventory has energy lines to show"
    page = new_context(bob).new_page()

    page.goto(f"/inventories/{inventory.pk}/sections/energy/")
    body = page.locator("#section-body")
    expect(body.locator("table.editor-rows tbody")).to_have_count(len(lines))
    expect(body.locator("#f-energy-0-carrier")).to_be_visible()  # the value, as text
    expect(body.locator(INPUTS)).to_have_count(0)
    expect(body.locator("form .form-actions")).to_have_count(0)
    shot(page, "viewer-01-energy")
    for where in (f"/assessments/{assessment.pk}/answers/", f"/assessments/{assessment.pk}/gates/"):
        page.goto(where)
        expect(page.locator("#editor-main")).to_be_visible()
        expect(page.locator(f"#editor-main :is({INPUTS}, button[type=submit])")).to_have_count(0)
    shot(page, "viewer-02-gates")
    page.goto(f"/inventories/{inventory.pk}/evidence/")
    expect(page.locator("#evidence-body form")).to_have_count(0)

    token = _csrf(page)
    section = page.request.post(
        f"/inventories/{inventory.pk}/sections/energy/",
        form={"rows": "1", "r-0-carrier": "diesel", "r-0-quantity": "1", "r-0-unit": "t"},
        headers={"X-CSRFToken": token},
    )
    assert section.status == 403
    assert "CSRF" not in section.text()  # refused for the role, not for a missing token
    evidence = page.request.post(
        f"/inventories/{inventory.pk}/evidence/",
        multipart={
            "kind": "other",
            "file": {
                "name": "bob.pdf",
                "mimeType": "application/pdf",
                "buffer": evidence_pdf(),
            },
        },
        headers={"X-CSRFToken": token},
    )
    assert evidence.status == 403
    assert "CSRF" not in evidence.text()
    after = list(EnergyRecord.objects.filter(inventory=inventory).values_list("pk", "quantity"))
    assert after == lines
    assert not EvidenceDocument.objects.filter(inventory=inventory).exists()
