"""The shared layout (templates/base.html): one language a page, the nav every signed-in page
carries, the language switch, a phone-sized viewport; and no template text left outside the
translation tags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import ROOT, logged_in
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db
NAV = ["Dashboard", "Factories", "Import dossier", "API keys", "Log out"]
CJK = re.compile(r"[\u3400-\u9fff]")
# Elements that say on purpose what language they speak (the switch names each language in
# its own words) are not the page's language.
OTHER_LANGUAGE = re.compile(r'<(\w+)[^>]*\slang="[^"]+"[^>]*>.*?</\1>', re.S)


def part(text: str, tag: str) -> str:
    """The page's `tag` element without the parts that speak another language on purpose."""
    return OTHER_LANGUAGE.sub("", raw(text, tag))


def raw(text: str, tag: str) -> str:
    found = re.search(rf"<{tag}[\s>].*?</{tag}>", text, re.S)
    assert found, f"no <{tag}>"
    return found.group(0)


def frame(text: str) -> str:
    """What base.html itself writes: the header and the footer."""
    return part(text, "header") + part(text, "footer")


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def dora_client(orgs: object) -> Client:
    return logged_in(User.objects.get(username="dora"))


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_every_page_has_the_phone_viewport(client: Client, alice_client: Client) -> None:
    for text in (client.get("/accounts/login/").text, alice_client.get("/").text):
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text


def test_the_nav_links_the_workspace_for_a_consultant(alice_client: Client) -> None:
    header = part(english(alice_client).get("/").text, "header")
    for href in ('href="/"', 'href="/factories/"', 'href="/dossiers/upload/"'):
        assert href in header
    assert 'href="/api/v1/docs/"' in header
    assert "API keys" not in header  # alice admins no organisation


def test_an_admin_also_finds_the_api_keys_in_the_nav(dora_client: Client) -> None:
    header = part(english(dora_client).get("/").text, "header")
    assert '<a href="/accounts/api-keys/">API keys</a>' in header


def test_the_current_page_is_marked_in_the_nav(alice_client: Client) -> None:
    header = part(english(alice_client).get("/").text, "header")
    assert 'href="/" aria-current="page">Dashboard<' in header


def test_an_english_page_offers_chinese_in_chinese(alice_client: Client) -> None:
    header = raw(english(alice_client).get("/").text, "header")
    assert 'action="/accounts/language/"' in header
    assert re.search(
        r'<button[^>]*value="zh-hans"[^>]*lang="zh-Hans"[^>]*>简体中文</button>', header
    )


def test_a_chinese_page_offers_english_in_english(alice_client: Client) -> None:
    header = raw(alice_client.get("/").text, "header")
    assert re.search(r'<button[^>]*value="en"[^>]*lang="en"[^>]*>English</button>', header)
    assert 'value="zh-hans"' not in header


@pytest.mark.parametrize("path", ["/", "/accounts/api-keys/"])
def test_the_frame_of_a_chinese_page_has_no_english_nav_word(
    dora_client: Client, path: str
) -> None:
    text = visible(frame(dora_client.get(path).text))
    assert [word for word in NAV if word in text] == []
    assert CJK.search(text)


@pytest.mark.parametrize("path", ["/", "/accounts/api-keys/"])
def test_the_frame_of_an_english_page_has_no_chinese(dora_client: Client, path: str) -> None:
    text = frame(english(dora_client).get(path).text)
    assert CJK.findall(text) == []
    assert [word for word in NAV if word not in text] == []


def test_the_english_login_page_has_no_chinese_at_all(client: Client) -> None:
    text = english(client).get("/accounts/login/").text
    assert CJK.findall(part(text, "main") + frame(text)) == []


def test_the_english_api_keys_page_has_no_chinese_but_the_organisations_name(
    dora_client: Client,
) -> None:
    organisation = Organisation.objects.get(slug="org-a")
    text = english(dora_client).get("/accounts/api-keys/").text
    assert CJK.findall(part(text, "main").replace(organisation.name, "")) == []


def test_the_chinese_header_shows_alices_role_in_chinese(alice_client: Client) -> None:
    header = visible(part(alice_client.get("/").text, "header"))
    assert "Consultant" not in header
    assert "org-a · " in header


# --- No literal text in a template outside the translation tags -------------------------
# Identifiers, units and codes are no language; everything else a reader sees goes through
# {% translate %} / {% blocktranslate %} or comes from data.
NOT_LANGUAGE = {
    "ZeroCarbon",
    "API",
    "T/CECA-G",
    "GB",
    "CO2",
    "CO2e",
    "tCO2e",
    "tCO2",
    "MWh",
    "kWh",
    "GJ",
    "RE",
    "PV",
    "GWP",
    "CCER",
    "GEC",
    "I-REC",
    "VCU",
    "CER",
    "SVG",
    "PDF",
    "JSON",
    "XLSX",
    "SHA-256",
    "v",
}
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
_CODE = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}"
    r"|{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}"
    r"|<(script|style|pre|code)\b.*?</\1>|{%.*?%}|{{.*?}}",
    re.S,
)
_SAID = re.compile(r'\s(?:title|aria-label|placeholder|alt)="([^"]*)"')
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9/-]*|[\u3400-\u9fff]+")


def literal_words(source: str) -> list[str]:
    """The words of `source` a reader would see that no translation tag or variable wrote."""
    stripped = _CODE.sub(" ", source)
    said = " ".join(_SAID.findall(stripped))
    text = re.sub(r"<[^>]*>", " ", stripped) + " " + said
    text = re.sub(r"&\w+;|&#\d+;", " ", text)
    return [word for word in _WORD.findall(text) if word not in NOT_LANGUAGE]


def test_the_literal_text_check_finds_what_it_should() -> None:
    source = (
        '{% load i18n %}<h1 title="Hover me">{% translate "Fine" %} Oops</h1>'
        "{# note #}<p>{% blocktranslate %}Also {{ x }} fine{% endblocktranslate %} 中文</p>"
        "<td>{{ v|num }} tCO2e</td><pre>curl -H x</pre>"
    )
    assert literal_words(source) == ["Oops", "中文", "Hover", "me"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_a_template_writes_no_text_outside_the_translation_tags(template: Path) -> None:
    assert literal_words(template.read_text(encoding="utf-8")) == []
