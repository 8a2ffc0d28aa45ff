from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from zerocarbon.accounts.demo import DEMO_PASSWORD
from zerocarbon.accounts.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_the_login_page_speaks_chinese_by_default_and_only_chinese(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.text
    assert "Log in" not in response.text


def test_alice_can_log_in_and_sees_her_organisation(client: Client) -> None:
    call_command("load_demo", verbosity=0)
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].username == "alice"
    assert "org-a" in response.text


def test_a_wrong_password_is_refused_with_a_clear_message(client: Client) -> None:
    call_command("load_demo", verbosity=0)
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.text
    assert "_auth_user_id" not in client.session


def test_pages_need_a_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_alice_can_log_out(alice_client: Client) -> None:
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert alice_client.get("/").status_code == 302


def test_load_demo_creates_the_documented_organisations_and_personas() -> None:
    call_command("load_demo", verbosity=0)
    kinds = dict(Organisation.objects.values_list("slug", "kind"))
    assert kinds == {
        "org-a": "consultancy",
        "org-b": "consultancy",
        "cert-body": "certification_body",
    }
    roles = {
        (m.user.username, m.organisation.slug, m.role)
        for m in Membership.objects.select_related("user", "organisation")
    }
    assert roles == {
        ("alice", "org-a", "consultant"),
        ("bob", "org-a", "viewer"),
        ("carol", "cert-body", "auditor"),
        ("charlie", "org-b", "consultant"),
        ("dora", "org-a", "admin"),
    }


def test_load_demo_is_idempotent() -> None:
    call_command("load_demo", verbosity=0)
    counts = (Organisation.objects.count(), Membership.objects.count(), User.objects.count())
    call_command("load_demo", verbosity=0)
    assert (
        Organisation.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
    ) == counts


def test_the_django_admin_lists_organisations_for_the_demo_admin(client: Client) -> None:
    call_command("load_demo", verbosity=0)
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    response = client.get("/admin/accounts/organisation/")
    assert response.status_code == 200
    assert "org-a" in response.text or "Example Consulting A" in response.text
