"""Pages speak Chinese unless the reader chose English. A signed-in user's choice is saved on
the user and follows them to another browser and past logging out; anonymous pages follow the
cookie, then the browser; the API keeps its own rule (English unless Accept-Language prefers
Chinese), whatever a user chose for the pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from zerocarbon.accounts.demo import DEMO_PASSWORD
from zerocarbon.accounts.models import Preferences
from zerocarbon.accounts.preferences import save_language, saved_language

pytestmark = pytest.mark.django_db
SWITCH = "/accounts/language/"
COOKIE = settings.LANGUAGE_COOKIE_NAME
CHINESE_PAGE = '<html lang="zh-Hans">'
ENGLISH_PAGE = '<html lang="en">'


def chinese(msgid: str) -> str:
    """`msgid` as the Chinese catalogue says it; a test of a Chinese page fails until it is
    translated (the English word would otherwise pass for Chinese)."""
    with translation.override("zh-hans"):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} has no Chinese translation yet"
    return text


def switch(client: Client, language: str, next_url: str = "/") -> str:
    response = client.post(SWITCH, {"language": language, "next": next_url})
    assert response.status_code == 302
    return str(response["Location"])


def log_in_from_a_new_browser(username: str, cookie: str | None = None) -> Client:
    browser = Client()
    if cookie is not None:
        browser.cookies[COOKIE] = cookie
    response = browser.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content
    return browser


def test_alices_dashboard_speaks_chinese_by_default(alice_client: Client) -> None:
    text = alice_client.get("/").text
    assert CHINESE_PAGE in text
    assert chinese("Dashboard") in text
    assert ">Dashboard<" not in text


def test_switching_to_english_saves_the_choice_on_alice_and_returns_to_the_page(
    alice: User, alice_client: Client
) -> None:
    assert switch(alice_client, "en", "/factories/") == "/factories/"
    assert Preferences.objects.get(user=alice).language == "en"
    text = alice_client.get("/").text
    assert ENGLISH_PAGE in text
    assert ">Dashboard<" in text


def test_alices_english_follows_her_to_a_new_browser(alice_client: Client) -> None:
    switch(alice_client, "en")
    browser = log_in_from_a_new_browser("alice")
    assert browser.cookies[COOKIE].value == "en"
    assert ENGLISH_PAGE in browser.get("/").text


def test_the_saved_choice_wins_over_the_cookie_of_the_other_browser(alice_client: Client) -> None:
    switch(alice_client, "en")
    browser = log_in_from_a_new_browser("alice", cookie="zh-hans")
    assert ENGLISH_PAGE in browser.get("/").text


def test_after_logging_out_the_login_page_keeps_the_users_language(alice_client: Client) -> None:
    switch(alice_client, "en")
    browser = log_in_from_a_new_browser("alice")
    browser.post("/accounts/logout/")
    assert ENGLISH_PAGE in browser.get("/accounts/login/").text


def test_switching_back_to_chinese_is_saved_as_well(alice: User, alice_client: Client) -> None:
    switch(alice_client, "en")
    switch(alice_client, "zh-hans")
    assert saved_language(alice) == "zh-hans"
    assert CHINESE_PAGE in log_in_from_a_new_browser("alice", cookie="en").get("/").text


def test_alices_choice_does_not_change_bobs_pages(alice_client: Client, bob_client: Client) -> None:
    switch(alice_client, "en")
    assert CHINESE_PAGE in bob_client.get("/").text


def test_a_user_who_never_chose_follows_the_browser(orgs: object) -> None:
    browser = log_in_from_a_new_browser("bob", cookie="en")
    assert ENGLISH_PAGE in browser.get("/").text
    assert not Preferences.objects.exists()


def test_the_anonymous_login_page_speaks_chinese_by_default(client: Client) -> None:
    text = client.get("/accounts/login/").text
    assert CHINESE_PAGE in text
    assert chinese("Log in") in text
    assert "Log in" not in text


def test_the_anonymous_login_page_follows_the_language_cookie(client: Client) -> None:
    client.cookies[COOKIE] = "en"
    text = client.get("/accounts/login/").text
    assert ENGLISH_PAGE in text
    assert "Log in" in text


def test_the_anonymous_login_page_follows_an_english_browser(client: Client) -> None:
    text = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").text
    assert ENGLISH_PAGE in text


def test_an_anonymous_switch_sets_the_cookie_and_saves_nothing(client: Client) -> None:
    assert switch(client, "en", "/accounts/login/") == "/accounts/login/"
    assert client.cookies[COOKIE].value == "en"
    assert ENGLISH_PAGE in client.get("/accounts/login/").text
    assert not Preferences.objects.exists()


def test_a_language_the_platform_does_not_speak_is_not_saved(
    alice: User, alice_client: Client
) -> None:
    switch(alice_client, "fr")
    assert saved_language(alice) is None
    assert CHINESE_PAGE in alice_client.get("/").text


def test_the_switch_never_sends_the_reader_to_another_site(alice_client: Client) -> None:
    assert switch(alice_client, "en", "https://evil.example/") == "/"


def test_the_switch_only_answers_a_post(alice_client: Client) -> None:
    assert alice_client.get(SWITCH).status_code == 405


def test_the_api_keeps_english_for_a_user_who_chose_chinese_pages(alice_client: Client) -> None:
    switch(alice_client, "zh-hans")
    response = alice_client.get("/api/v1/factories/")
    assert response["Content-Language"] == "en"
    chinese_answer = alice_client.get("/api/v1/factories/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert chinese_answer["Content-Language"] == "zh-hans"


def test_the_api_keeps_chinese_on_request_for_a_user_who_chose_english(
    alice_client: Client,
) -> None:
    switch(alice_client, "en")
    response = alice_client.get("/api/v1/factories/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Language"] == "zh-hans"


def test_saving_a_language_the_platform_does_not_speak_is_refused(alice: User) -> None:
    with pytest.raises(ValueError, match="'de' is not a page language"):
        save_language(alice, "de")
    assert saved_language(alice) is None


def test_a_saved_language_the_platform_no_longer_speaks_is_ignored(alice: User) -> None:
    Preferences.objects.create(user=alice, language="fr")
    assert saved_language(alice) is None
    browser = log_in_from_a_new_browser("alice")
    assert CHINESE_PAGE in browser.get("/").text
