"""Login throttling (django-axes): five wrong passwords for one username from one address lock
that pair out of the site login and the admin login for a quarter of an hour, with a clear
HTTP 429 page in the visitor's language; other users and other addresses are not affected."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from zerocarbon.accounts.demo import DEMO_PASSWORD
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db

SITE_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
FAILURE_LIMIT = 5
CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def log_in(client: Client, path: str, username: str, password: str, **extra: Any) -> int:
    response = client.post(path, {"username": username, "password": password}, **extra)
    return response.status_code


def fail(client: Client, path: str, username: str, times: int, **extra: Any) -> list[int]:
    return [log_in(client, path, username, "wrong-password", **extra) for _ in range(times)]


def test_the_defaults_are_five_failures_and_fifteen_minutes() -> None:
    assert settings.AXES_FAILURE_LIMIT == FAILURE_LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


@pytest.mark.parametrize(("path", "username"), [(SITE_LOGIN, "alice"), (ADMIN_LOGIN, "admin")])
def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(
    client: Client, orgs: dict[str, Organisation], path: str, username: str
) -> None:
    assert fail(client, path, username, FAILURE_LIMIT - 1) == [200] * (FAILURE_LIMIT - 1)
    assert fail(client, path, username, 1) == [429]
    assert log_in(client, path, username, DEMO_PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_before_the_limit_the_right_password_logs_in_and_forgets_the_failures(
    client: Client, orgs: dict[str, Organisation]
) -> None:
    fail(client, SITE_LOGIN, "alice", FAILURE_LIMIT - 1)
    assert log_in(client, SITE_LOGIN, "alice", DEMO_PASSWORD) == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="alice").pk)
    client.logout()
    assert fail(client, SITE_LOGIN, "alice", FAILURE_LIMIT - 1) == [200] * (FAILURE_LIMIT - 1)


def test_a_locked_out_username_does_not_lock_out_another_user_or_another_address(
    orgs: dict[str, Organisation],
) -> None:
    attacker = Client(REMOTE_ADDR="198.51.100.23")
    assert fail(attacker, SITE_LOGIN, "alice", FAILURE_LIMIT)[-1] == 429
    assert log_in(attacker, SITE_LOGIN, "bob", DEMO_PASSWORD) == 302  # same address, other user
    alice_at_work = Client(REMOTE_ADDR="203.0.113.7")  # same user, other address
    assert log_in(alice_at_work, SITE_LOGIN, "alice", DEMO_PASSWORD) == 302
    admin_elsewhere = Client(REMOTE_ADDR="203.0.113.8")
    assert log_in(admin_elsewhere, ADMIN_LOGIN, "admin", DEMO_PASSWORD) == 302


def test_the_lockout_ends_after_the_cool_off(client: Client, orgs: dict[str, Organisation]) -> None:
    fail(client, SITE_LOGIN, "alice", FAILURE_LIMIT)
    assert log_in(client, SITE_LOGIN, "alice", DEMO_PASSWORD) == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, SITE_LOGIN, "alice", DEMO_PASSWORD) == 302


def test_the_lockout_page_speaks_chinese_by_default(
    client: Client, orgs: dict[str, Organisation]
) -> None:
    fail(client, SITE_LOGIN, "alice", FAILURE_LIMIT - 1)
    response = client.post(SITE_LOGIN, {"username": "alice", "password": "wrong-password"})
    assert response.status_code == 429
    text = response.content.decode()
    assert '<html lang="zh-Hans">' in text
    assert "登录尝试次数过多" in text
    assert "输错密码 5 次，15 分钟内无法从此地址登录" in text
    assert 'href="/accounts/login/"' in text
    assert not re.search(r"\b(Too many|login attempts|minutes|password)\b", text, re.IGNORECASE)


def test_the_lockout_page_speaks_english_to_an_english_browser(
    client: Client, orgs: dict[str, Organisation]
) -> None:
    english: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}
    fail(client, ADMIN_LOGIN, "admin", FAILURE_LIMIT - 1, **english)
    response = client.post(
        ADMIN_LOGIN, {"username": "admin", "password": "wrong-password"}, **english
    )
    assert response.status_code == 429
    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "Too many login attempts" in text
    assert "5 times from your address" in text
    assert "for 15 minutes" in text
    assert not CJK.search(text), CJK.findall(text)


def test_the_demo_personas_still_log_in_with_the_test_client(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    assert alice_client.get("/").status_code == 200
