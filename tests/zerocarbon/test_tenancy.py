from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from zerocarbon.accounts.models import Membership, Organisation
from zerocarbon.accounts.tenancy import get_scoped, require_write, scope
from zerocarbon.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def test_scope_keeps_only_the_actors_organisations(
    alice: User, orgs: dict[str, Organisation]
) -> None:
    visible = scope(Organisation.objects.all(), alice, via="pk")
    assert [o.slug for o in visible] == ["org-a"]


def test_another_organisations_object_is_not_found_never_forbidden(
    charlie: User, orgs: dict[str, Organisation]
) -> None:
    with pytest.raises(NotFound):
        get_scoped(Membership.objects.all(), charlie, organisation=orgs["org-a"], role="consultant")


def test_bob_the_viewer_may_read_but_not_write(bob: User, orgs: dict[str, Organisation]) -> None:
    assert get_scoped(Organisation.objects.all(), bob, via="pk", slug="org-a")
    with pytest.raises(PermissionDenied, match="viewer"):
        require_write(bob, orgs["org-a"])


def test_require_write_hides_foreign_organisations(
    charlie: User, orgs: dict[str, Organisation]
) -> None:
    with pytest.raises(NotFound):
        require_write(charlie, orgs["org-a"])
    require_write(charlie, orgs["org-b"])
