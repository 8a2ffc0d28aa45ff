"""The API keys page (/accounts/api-keys/) of an organisation's admins, and the Django admin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.test import Client

from tests.conftest import logged_in
from zerocarbon.accounts.demo import DEMO_PASSWORD
from zerocarbon.accounts.keys import IssuedKey, issue_key
from zerocarbon.accounts.models import ApiKey, Membership, Organisation

pytestmark = pytest.mark.django_db
PAGE = "/accounts/api-keys/"
KEY = re.compile(r"\b[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}\b")


def _admin_of(orgs: dict[str, Organisation], username: str, *slugs: str) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(DEMO_PASSWORD)
    user.save()
    for slug in slugs:
        Membership.objects.update_or_create(
            user=user, organisation=orgs[slug], defaults={"role": Membership.Role.ADMIN}
        )
    return user


@pytest.fixture
def dora(orgs: dict[str, Organisation]) -> Client:
    """An admin of org-a (the demo persona)."""
    return logged_in(_admin_of(orgs, "dora", "org-a"))


@pytest.fixture
def org_a_key(orgs: dict[str, Organisation]) -> IssuedKey:
    return issue_key(orgs["org-a"], name="ERP")


def test_the_admin_sees_the_organisations_keys_but_never_a_key_itself(
    dora: Client, org_a_key: IssuedKey, orgs: dict[str, Organisation]
) -> None:
    issue_key(orgs["org-b"], name="Other organisation's key")
    response = dora.get(PAGE)
    assert response.status_code == 200
    assert org_a_key.api_key.prefix in response.text
    assert "ERP" in response.text
    assert "Other organisation's key" not in response.text
    assert not KEY.search(response.text)


def test_issuing_a_key_shows_it_once(demo: dict[str, Any], dora: Client) -> None:
    factory = demo["suzhou"].inventory.factory
    response = dora.post(
        f"{PAGE}?organisation=org-a",
        {"name": "Suzhou meters", "factories": [factory.pk], "access": "read_only"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = set(KEY.findall(response.text))
    assert len(shown) == 1
    key = shown.pop()
    stored = ApiKey.objects.get()
    assert (stored.name, stored.read_only, stored.created_by) == (
        "Suzhou meters",
        True,
        User.objects.get(username="dora"),
    )
    assert list(stored.factories.all()) == [factory]
    assert key not in dora.get(PAGE).text
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/v1/factories/").json()["count"] == 1


def test_a_factory_of_another_organisation_cannot_be_chosen(
    demo: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    client = logged_in(_admin_of(orgs, "bea", "org-b"))
    factory = demo["suzhou"].inventory.factory
    response = client.post(PAGE, {"name": "x", "factories": [factory.pk], "access": "read_write"})
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert not ApiKey.objects.exists()


def test_a_nameless_key_is_refused_with_the_form_again(dora: Client) -> None:
    response = dora.post(PAGE, {"name": "", "access": "read_write"})
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert not ApiKey.objects.exists()


def test_the_admin_revokes_a_key(dora: Client, org_a_key: IssuedKey) -> None:
    response = dora.post(f"{PAGE}{org_a_key.api_key.prefix}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?organisation=org-a"
    stored = ApiKey.objects.get()
    assert stored.revoked
    assert stored.revoked_at is not None
    api = Client(headers={"Authorization": f"Bearer {org_a_key.plaintext}"})
    assert api.get("/api/v1/factories/").status_code == 401


def test_revoking_needs_a_post_with_a_csrf_token(
    orgs: dict[str, Organisation], org_a_key: IssuedKey
) -> None:
    user = _admin_of(orgs, "dora", "org-a")
    strict = Client(enforce_csrf_checks=True)
    assert strict.login(request=HttpRequest(), username=user.username, password=DEMO_PASSWORD)
    url = f"{PAGE}{org_a_key.api_key.prefix}/revoke/"
    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403
    assert not ApiKey.objects.get().revoked


def test_bob_the_viewer_is_refused_with_403(bob_client: Client, org_a_key: IssuedKey) -> None:
    assert bob_client.get(PAGE).status_code == 403
    assert bob_client.get(f"{PAGE}?organisation=org-a").status_code == 403
    assert bob_client.post(f"{PAGE}?organisation=org-a", {"name": "x"}).status_code == 403
    assert bob_client.post(f"{PAGE}{org_a_key.api_key.prefix}/revoke/").status_code == 403
    assert not ApiKey.objects.get().revoked
    assert ApiKey.objects.count() == 1


def test_alice_the_consultant_is_refused_with_403(alice_client: Client) -> None:
    assert alice_client.get(PAGE).status_code == 403


def test_charlie_gets_404_for_org_a_and_its_keys(
    charlie_client: Client, org_a_key: IssuedKey
) -> None:
    assert charlie_client.get(f"{PAGE}?organisation=org-a").status_code == 404
    assert charlie_client.post(f"{PAGE}{org_a_key.api_key.prefix}/revoke/").status_code == 404
    assert not ApiKey.objects.get().revoked


def test_an_admin_of_several_organisations_chooses_one(orgs: dict[str, Organisation]) -> None:
    client = logged_in(_admin_of(orgs, "erin", "org-a", "org-b"))
    choose = client.get(PAGE)
    assert choose.status_code == 200
    assert "?organisation=org-a" in choose.text
    assert "?organisation=org-b" in choose.text
    issue_key(orgs["org-b"], name="Gateway of org B")
    assert "Gateway of org B" in client.get(f"{PAGE}?organisation=org-b").text


def test_the_page_needs_a_login(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_only_admins_see_the_page_in_the_navigation(dora: Client, alice_client: Client) -> None:
    assert f'href="{PAGE}"' in dora.get("/").text
    assert f'href="{PAGE}"' not in alice_client.get("/").text


def test_the_django_admin_issues_a_key_and_shows_it_once(orgs: dict[str, Organisation]) -> None:
    superuser = User.objects.get(username="admin")
    client = logged_in(superuser)
    assert client.get("/admin/accounts/apikey/").status_code == 200
    assert client.get("/admin/accounts/apikey/add/").status_code == 200
    response = client.post(
        "/admin/accounts/apikey/add/",
        {
            "name": "From the admin",
            "organisation": orgs["org-a"].pk,
            "read_only": "on",
            "factory_limits-TOTAL_FORMS": "0",
            "factory_limits-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert response.status_code == 200, response.content[:500]
    stored = ApiKey.objects.get()
    assert (stored.organisation, stored.read_only, stored.created_by) == (
        orgs["org-a"],
        True,
        superuser,
    )
    shown = KEY.findall(response.text)
    assert len(shown) == 1
    assert ApiKey.objects.get_from_key(shown[0]) == stored
