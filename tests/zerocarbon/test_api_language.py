"""One answer, one language: the API answers in English unless Accept-Language prefers
Chinese, and then every message of the answer is Chinese (ours, the kernels', DRF's and
Django's), while codes and paths stay the same identifiers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tests.conftest import example
from zerocarbon.language import api_language

pytestmark = pytest.mark.django_db
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
_CJK = re.compile(r"[\u3400-\u9fff]")
# What a message may quote from the request: values, keys, paths and media types.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|/[\w/~.-]*")
# Three Latin words in a row make an English phrase (lists of field names are comma-separated).
_ENGLISH_PHRASE = re.compile(r"\b[A-Za-z]+(?: [A-Za-z]+){2,}\b")


def broken_dossier() -> str:
    """The demo dossier with three reading errors: an unknown key, a unit that does not fit
    its carrier and a malformed credit code."""
    data = example("demo-dossier")
    data["colour"] = "green"
    data["energy"][0]["unit"] = "kg"
    data["factory"]["credit_code"] = "91320500MA1X"
    return json.dumps(data, ensure_ascii=False)


def _messages(body: dict[str, Any]) -> list[str]:
    error = body["error"]
    return [error["message"], *[entry["message"] for entry in error["errors"]]]


def _shape(body: dict[str, Any]) -> tuple[object, ...]:
    error = body["error"]
    return error["code"], [entry["path"] for entry in error["errors"]], error["total"]


def assert_one_language_each(english: Any, chinese: Any) -> None:
    """Same status, code, paths and count; every English message without Chinese, every
    Chinese message with Chinese in its own words (quoted values and paths aside)."""
    assert english.status_code == chinese.status_code
    assert (english["Content-Language"], chinese["Content-Language"]) == ("en", "zh-hans")
    english_body, chinese_body = english.json(), chinese.json()
    assert _shape(english_body) == _shape(chinese_body)
    assert not [text for text in _messages(english_body) if _CJK.search(text)]
    unquoted = [_QUOTED.sub("", text) for text in _messages(chinese_body)]
    assert [text for text in unquoted if not _CJK.search(text)] == [], _messages(chinese_body)
    assert [text for text in unquoted if _ENGLISH_PHRASE.search(text)] == []
    assert _messages(english_body) != _messages(chinese_body)


def both(client: Client, method: str, url: str, **extra: Any) -> tuple[Any, Any]:
    send = getattr(client, method)
    return send(url, **extra), send(url, **extra, **CHINESE)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9", "en"),
        ("*", "en"),
        ("zh-hans", "zh-hans"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-hans"),
        ("zh", "zh-hans"),
        ("zh-SG", "zh-hans"),
        ("zh-TW", "zh-hans"),
        ("en;q=0.5,zh-CN;q=0.9", "zh-hans"),
        ("fr,zh-CN;q=0.5", "zh-hans"),
        ("de,*;q=0.5,zh;q=0.1", "en"),
    ],
)
def test_the_api_language_is_english_unless_chinese_is_preferred(
    header: str, language: str
) -> None:
    assert api_language(header) == language


def test_an_invalid_dossier_is_refused_in_the_language_asked_for(
    orgs: Any, alice_client: Client
) -> None:
    url = "/api/v1/dossiers/?organisation=org-a&as_of=2025-06-30"
    english, chinese = both(
        alice_client, "post", url, data=broken_dossier(), content_type="application/json"
    )
    assert english.status_code == 400
    assert [entry["path"] for entry in english.json()["error"]["errors"]] == [
        "/colour",
        "/energy/0/unit",
        "/factory/credit_code",
    ]
    assert_one_language_each(english, chinese)
    assert english.json()["error"]["message"].startswith("The dossier is invalid (3 errors)")


def test_a_body_that_is_not_json_is_refused_in_the_language_asked_for(
    orgs: Any, alice_client: Client
) -> None:
    url = "/api/v1/dossiers/?organisation=org-a"
    english, chinese = both(
        alice_client, "post", url, data='{"schema": ', content_type="application/json"
    )
    assert english.status_code == 400
    assert english.json()["error"]["code"] == "parse_error"
    assert_one_language_each(english, chinese)


def test_a_missing_query_parameter_is_named_in_the_language_asked_for(
    orgs: Any, alice_client: Client
) -> None:
    english, chinese = both(
        alice_client, "post", "/api/v1/dossiers/", data="{}", content_type="application/json"
    )
    assert english.status_code == 400
    assert_one_language_each(english, chinese)


def test_an_unknown_address_answers_404_in_the_language_asked_for(alice_client: Client) -> None:
    english, chinese = both(alice_client, "get", "/api/v1/no-such-resource/")
    assert english.status_code == 404
    assert english.json()["error"]["code"] == "not_found"
    assert_one_language_each(english, chinese)


def test_an_unknown_object_answers_404_in_the_language_asked_for(
    orgs: Any, alice_client: Client
) -> None:
    english, chinese = both(alice_client, "get", "/api/v1/assessments/999999/")
    assert english.status_code == 404
    assert_one_language_each(english, chinese)


def test_a_method_not_allowed_is_refused_in_the_language_asked_for(
    alice_client: Client,
) -> None:
    english, chinese = both(alice_client, "delete", "/api/v1/")
    assert english.status_code == 405
    assert english.json()["error"]["code"] == "method_not_allowed"
    assert_one_language_each(english, chinese)


def test_an_unsupported_media_type_is_refused_in_the_language_asked_for(
    orgs: Any, alice_client: Client
) -> None:
    url = "/api/v1/dossiers/?organisation=org-a"
    english, chinese = both(alice_client, "post", url, data="a,b", content_type="text/csv")
    assert english.status_code == 415
    assert english.json()["error"]["code"] == "unsupported_media_type"
    assert_one_language_each(english, chinese)


def test_an_anonymous_request_is_refused_in_the_language_asked_for(client: Client) -> None:
    english, chinese = both(client, "get", "/api/v1/assessments/")
    assert english.status_code == 401
    assert english.json()["error"]["code"] == "not_authenticated"
    assert_one_language_each(english, chinese)


def test_a_body_above_the_limit_is_refused_in_the_language_asked_for(
    orgs: Any, alice_client: Client, settings: Any
) -> None:
    settings.MAX_DOSSIER_BYTES = 100
    url = "/api/v1/dossiers/?organisation=org-a"
    english, chinese = both(
        alice_client, "post", url, data=broken_dossier(), content_type="application/json"
    )
    assert english.status_code == 413
    assert english.json()["error"]["code"] == "request_too_large"
    assert_one_language_each(english, chinese)


def test_a_server_error_is_answered_in_the_language_asked_for(
    orgs: Any, alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("assessments.api.views.import_dossier", fail)
    alice_client.raise_request_exception = False
    url = "/api/v1/dossiers/?organisation=org-a"
    english, chinese = both(
        alice_client, "post", url, data=broken_dossier(), content_type="application/json"
    )
    assert english.status_code == 500
    assert english.json()["error"]["code"] == "server_error"
    assert_one_language_each(english, chinese)


def test_a_browser_page_stays_chinese_by_default_and_english_on_request(
    alice_client: Client,
) -> None:
    page = alice_client.get("/no-such-page/")
    assert page["Content-Language"] == "zh-hans"
    assert alice_client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == (
        "en"
    )
