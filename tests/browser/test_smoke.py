"""The browser reaches the live server, logs in through the form and sees the dashboard."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from zerocarbon.accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_logs_in_through_the_form_and_lands_on_her_dashboard(
    new_context: Callable[..., BrowserContext], orgs: object, shot: Callable[[Page, str], object]
) -> None:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("alice")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    # The form in <main>: the header's language switch is a form with a submit button too.
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    expect(page).to_have_url("/")  # the dashboard
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")  # BCP 47 (html_lang)
    shot(page, "smoke-dashboard-zh")
