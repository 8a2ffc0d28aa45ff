"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a downloaded
browser) against pytest-django's live server on the test database.

Every test gets a fresh browser context; `shot(page, name)` keeps a full-page screenshot under
tests/artefacts/browser/ (ignored by git, kept by CI as the tests' artefacts). Outside CI a
machine without Chromium skips these tests; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.conftest import IN_CI, ROOT, logged_in

CHROMIUM = Path(os.environ.get("ZEROCARBON_CHROMIUM", "/usr/bin/chromium"))
ARTEFACTS = ROOT / "tests" / "artefacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}

# An import or an evaluation runs in the live server's thread while the page waits: give the
# assertions the same patience as the actions on a slow CI machine (Playwright's default: 5 s).
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# synchronous code, which Django would otherwise refuse next to a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: never skipped)")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def _cookie(name: str, value: str, host: str) -> dict[str, str]:
    return {"name": name, "value": value, "domain": host, "path": "/"}


@pytest.fixture
def new_context(browser: Browser, live_server: object) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []
    violations: list[str] = []  # the content security policy's refusals, on any page

    def make(
        user: User | None = None, *, language: str = "zh-hans", phone: bool = False
    ) -> BrowserContext:
        context = browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            locale="zh-CN" if language.startswith("zh") else "en-GB",
            base_url=str(live_server),
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        host = re.sub(r"^https?://", "", str(live_server)).split(":")[0]
        cookies = [_cookie(settings.LANGUAGE_COOKIE_NAME, language, host)]
        if user is not None:
            client: Client = logged_in(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(_cookie(settings.SESSION_COOKIE_NAME, session, host))
        context.add_cookies(cookies)  # type: ignore[arg-type]
        context.on("console", lambda message: _csp_violation(message, violations))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert violations == [], "the pages broke their content security policy"


def _csp_violation(message: ConsoleMessage, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"{message.location.get('url')}: {message.text}")


@pytest.fixture
def shot() -> Callable[[Page, str], Path]:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = ARTEFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
