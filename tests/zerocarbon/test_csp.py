"""The content security policy (issue 11, security; decision 101): every answer carries it,
and no template relies on what it forbids (inline script, inline event handlers, htmx's
eval'd hx-on attributes). The browser tests fail on any violation the pages report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import ROOT

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


def _policy(client: Client, path: str) -> dict[str, str]:
    return _directives(client.get(path)["Content-Security-Policy"])


def _directives(header: str) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


@pytest.mark.django_db
def test_a_page_forbids_inline_script_framing_and_foreign_forms(client: Client) -> None:
    policy = _policy(client, "/accounts/login/")
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in policy["script-src"] + policy["style-src"]


@pytest.mark.django_db
def test_the_api_answers_and_its_docs_carry_the_policy_too(client: Client) -> None:
    assert _policy(client, "/api/v1/factories/")["script-src"] == "'self'"
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert "Content-Security-Policy" in docs
    assert INLINE_SCRIPT.search(docs.content.decode()) is None  # Swagger's split view
    policy = _directives(docs["Content-Security-Policy"])  # in no fixed order
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # Swagger UI's own <style>, there only
    assert policy["script-src"] == "'self'"
    assert "'unsafe-inline'" not in client.get("/accounts/login/")[
        "Content-Security-Policy"
    ].replace("style-src-attr 'unsafe-inline'", "")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_inline_script_or_event_handlers(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert INLINE_SCRIPT.search(text) is None
    assert HANDLER.search(text) is None
