"""A consultant goes from an empty dashboard to a rated inventory in the browser (issue 9):
a new factory, a new year, one invalid energy entry seen at its field and fixed, an evidence
file, the spreadsheet template downloaded, filled and uploaded with one bad cell seen at its
cell and fixed, what would change confirmed, the live level, what-if, submit, the level.
Once in Chinese (the default) and once in English; screenshots of every step are kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page

from assessments.models import Assessment, Evaluation
from tests.browser.flow import ConsultantFlow, Shot, credit_code, fits_the_width
from tests.browser.wording import Wording

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "示例精密制造（无锡）有限公司"
NAME_EN = "Example Precision Manufacturing (Wuxi) Co., Ltd."
# The example's data on a type II boundary rate 4★ (72.19 points, RE share 0.69, NR 1.0064).
# 4,500 MWh more green electricity (RE 100 %) and three better answers: 5★ (80 points needed).
WHAT_IF_GREEN_MWH = "4500"
WHAT_IF_ANSWERS = {"PRD-3": "true", "RED-2": "2", "INF-1": "3"}


def walk(flow: ConsultantFlow) -> dict[str, str]:
    """Every step of the flow; the levels seen on the way."""
    flow.dashboard()
    flow.create_factory()
    flow.create_inventory()
    flow.energy_with_one_invalid_entry()
    flow.upload_evidence("绿证核发凭证-2023-01.pdf")
    flow.download_template()
    flow.import_with_one_bad_cell()
    flow.import_fixed_and_confirm()
    live = flow.live_result()
    what_if = flow.what_if(WHAT_IF_GREEN_MWH, WHAT_IF_ANSWERS)
    submitted = flow.submit()
    rated = flow.evaluation()
    listed = flow.dashboard_level()
    return {
        "live": live,
        "what_if": what_if,
        "submitted": submitted,
        "rated": rated,
        "dashboard": listed,
    }


def on_a_phone(flow: ConsultantFlow, context: BrowserContext) -> None:
    """The editor and the evaluation page at 390 px: nothing wider than the screen."""
    page = context.new_page()
    page.goto(f"/inventories/{flow.inventory}/sections/energy/")
    page.locator("#result-panel .results-level").wait_for()
    flow.snap("phone-editor", page)
    assert fits_the_width(page), "the editor is wider than a phone's screen"
    flow.evaluation(page, "phone-evaluation")
    assert fits_the_width(page), "the evaluation page is wider than a phone's screen"


def run(
    new_context: Callable[..., BrowserContext],
    shot: Shot,
    alice: User,
    *,
    language: str,
    body: str,
    serial_block: int,
) -> None:
    page: Page = new_context(alice, language=language).new_page()
    flow = ConsultantFlow(
        page, shot, Wording(language), NAME, NAME_EN, credit_code(body), serial_block
    )
    levels = walk(flow)
    assert levels["live"] == "★★★★"
    assert levels["what_if"] == "★★★★★"
    assert levels["submitted"] == levels["rated"] == levels["dashboard"] == levels["live"]
    evaluation = Evaluation.objects.get(assessment_id=flow.assessment)
    assert evaluation.star_level == 4
    assert Assessment.objects.get(pk=flow.assessment).status == Assessment.Status.EVALUATED
    on_a_phone(flow, new_context(alice, language=language, phone=True))
    flow.wording.assert_one_language()


def test_alice_rates_a_new_factory_in_chinese_from_an_empty_dashboard(
    new_context: Callable[..., BrowserContext], shot: Shot, alice: User
) -> None:
    run(new_context, shot, alice, language="zh-hans", body="91320214MA1BRWH01", serial_block=3)


def test_alice_rates_a_new_factory_in_english_from_an_empty_dashboard(
    new_context: Callable[..., BrowserContext], shot: Shot, alice: User
) -> None:
    run(new_context, shot, alice, language="en", body="91320214MA1BREN01", serial_block=4)
