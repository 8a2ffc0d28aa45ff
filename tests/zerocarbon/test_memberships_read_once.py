"""A request reads its user's memberships once however many selectors scope by them; the
next request, and any code outside a request, reads them afresh."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zerocarbon.accounts.models import Membership, Organisation
from zerocarbon.accounts.tenancy import WRITE_ROLES, memberships_read_once, organisation_ids

pytestmark = pytest.mark.django_db


def test_a_page_reads_each_membership_question_once(
    demo: dict[str, Any], alice_client: Client
) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert alice_client.get("/").status_code == 200
    asked = [
        q["sql"] for q in captured.captured_queries
        if 'SELECT "accounts_membership"."organisation_id"' in q["sql"]
    ]  # fmt: skip
    assert asked
    assert len(asked) == len(set(asked))


def test_within_a_request_each_user_and_role_set_has_its_own_answer(
    orgs: dict[str, Organisation], alice: User, bob: User, charlie: User,
    django_assert_num_queries: Any,
) -> None:  # fmt: skip
    with memberships_read_once():
        with django_assert_num_queries(4):
            assert organisation_ids(alice) == [orgs["org-a"].pk]
            assert organisation_ids(alice, WRITE_ROLES) == [orgs["org-a"].pk]
            assert organisation_ids(bob, WRITE_ROLES) == []
            assert organisation_ids(charlie) == [orgs["org-b"].pk]
        with django_assert_num_queries(0):
            assert organisation_ids(alice) == [orgs["org-a"].pk]
            assert organisation_ids(alice, list(WRITE_ROLES)) == [orgs["org-a"].pk]
            assert organisation_ids(bob, WRITE_ROLES) == []
            assert organisation_ids(charlie) == [orgs["org-b"].pk]


def test_a_membership_added_after_a_request_counts_in_the_next_and_outside_requests(
    orgs: dict[str, Organisation], bob: User, django_assert_num_queries: Any
) -> None:
    with memberships_read_once():
        assert organisation_ids(bob, WRITE_ROLES) == []
    Membership.objects.create(user=bob, organisation=orgs["org-b"], role="consultant")
    with memberships_read_once():
        assert organisation_ids(bob, WRITE_ROLES) == [orgs["org-b"].pk]
    with django_assert_num_queries(2):  # no request: every call asks
        organisation_ids(bob)
        organisation_ids(bob)


def test_a_second_request_sees_a_new_membership(orgs: dict[str, Organisation], bob: User) -> None:
    from tests.conftest import logged_in

    client = logged_in(bob)
    assert b'href="/factories/new/"' not in client.get("/").content
    Membership.objects.create(user=bob, organisation=orgs["org-b"], role="consultant")
    assert b'href="/factories/new/"' in client.get("/").content
