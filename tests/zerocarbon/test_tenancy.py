from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Model

from assessments.models import Assessment, Evaluation
from emissions.models import Factory, Inventory
from zerocarbon.accounts.actors import KeyActor
from zerocarbon.accounts.models import ApiKey, Membership, Organisation
from zerocarbon.accounts.tenancy import (
    WRITE_ROLES,
    factory_path,
    get_scoped,
    organisation_ids,
    require_write,
    role_in,
    scope,
)
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


# API keys: one organisation, a role from the read-only flag, optionally some factories.


def key_actor(
    organisation: Organisation, *, read_only: bool = False, factory_ids: set[int] | None = None
) -> KeyActor:
    api_key = ApiKey(name="test", prefix="abcdefgh", organisation=organisation)
    return KeyActor(
        key=api_key,
        organisation_id=organisation.pk,
        factory_ids=frozenset(factory_ids) if factory_ids is not None else None,
        read_only=read_only,
    )


def test_a_key_belongs_to_its_organisation_only(orgs: dict[str, Organisation]) -> None:
    actor = key_actor(orgs["org-a"])
    assert organisation_ids(actor) == [orgs["org-a"].pk]
    assert [o.slug for o in scope(Organisation.objects.all(), actor, via="pk")] == ["org-a"]
    assert (actor.is_authenticated, actor.is_anonymous, actor.pk) == (True, False, None)
    assert actor.username == "key:abcdefgh"


def test_a_keys_role_is_consultant_or_viewer_in_its_organisation_and_none_elsewhere(
    orgs: dict[str, Organisation],
) -> None:
    assert role_in(key_actor(orgs["org-a"]), orgs["org-a"]) == "consultant"
    assert role_in(key_actor(orgs["org-a"], read_only=True), orgs["org-a"]) == "viewer"
    assert role_in(key_actor(orgs["org-a"]), orgs["org-b"]) is None


def test_a_read_only_key_has_no_organisation_to_write_to(orgs: dict[str, Organisation]) -> None:
    assert organisation_ids(key_actor(orgs["org-a"], read_only=True), WRITE_ROLES) == []
    assert organisation_ids(key_actor(orgs["org-a"]), WRITE_ROLES) == [orgs["org-a"].pk]


def test_a_read_only_key_may_not_write(orgs: dict[str, Organisation]) -> None:
    with pytest.raises(PermissionDenied, match="read-only"):
        require_write(key_actor(orgs["org-a"], read_only=True), orgs["org-a"])


def test_a_key_may_not_write_to_another_organisation(orgs: dict[str, Organisation]) -> None:
    with pytest.raises(NotFound):
        require_write(key_actor(orgs["org-a"]), orgs["org-b"])
    with pytest.raises(NotFound):
        require_write(key_actor(orgs["org-a"], read_only=True), orgs["org-b"])
    require_write(key_actor(orgs["org-a"]), orgs["org-a"])


def test_a_factory_limited_key_writes_to_its_factories_only(
    demo: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    suzhou = demo["suzhou"].inventory.factory
    wuxi = demo["wuxi"].inventory.factory
    actor = key_actor(orgs["org-a"], factory_ids={suzhou.pk})
    require_write(actor, orgs["org-a"], factory=suzhou)
    with pytest.raises(NotFound):
        require_write(actor, orgs["org-a"], factory=wuxi)
    with pytest.raises(PermissionDenied, match=f"limited to factories {suzhou.pk}"):
        require_write(actor, orgs["org-a"])


def test_a_users_writes_ignore_the_factory(
    alice: User, bob: User, demo: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    factory = demo["wuxi"].inventory.factory
    require_write(alice, orgs["org-a"], factory=factory)
    with pytest.raises(PermissionDenied, match="viewer"):
        require_write(bob, orgs["org-a"], factory=factory)


@pytest.mark.parametrize(
    ("model", "via", "path"),
    [
        (Factory, "organisation", "pk"),
        (Inventory, "factory__organisation", "factory"),
        (Assessment, "inventory__factory__organisation", "inventory__factory"),
        (
            Evaluation,
            "assessment__inventory__factory__organisation",
            "assessment__inventory__factory",
        ),
        (Membership, "organisation", None),
        (Organisation, "pk", None),
        (Membership, "user", None),
    ],
)
def test_the_factory_path_is_derived_from_the_organisation_path(
    model: type[Model], via: str, path: str | None
) -> None:
    assert factory_path(model, via) == path


def test_a_factory_limited_key_sees_only_its_factories_rows(
    demo: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    suzhou = demo["suzhou"]
    actor = key_actor(orgs["org-a"], factory_ids={suzhou.inventory.factory_id})
    assert list(scope(Factory.objects.all(), actor)) == [suzhou.inventory.factory]
    assert list(scope(Inventory.objects.all(), actor, via="factory__organisation")) == [
        suzhou.inventory
    ]
    via = "inventory__factory__organisation"
    assert list(scope(Assessment.objects.all(), actor, via=via)) == [suzhou]
    assert get_scoped(Assessment.objects.all(), actor, via=via, pk=suzhou.pk) == suzhou
    with pytest.raises(NotFound):
        get_scoped(Assessment.objects.all(), actor, via=via, pk=demo["wuxi"].pk)
    everything = key_actor(orgs["org-a"])
    assert scope(Assessment.objects.all(), everything, via=via).count() == 2


def test_a_factory_limited_key_sees_no_rows_no_factory_leads_to(
    orgs: dict[str, Organisation], alice: User
) -> None:
    actor = key_actor(orgs["org-a"], factory_ids={1})
    assert not scope(Membership.objects.all(), actor).exists()
    # alice, bob and dora
    assert scope(Membership.objects.all(), key_actor(orgs["org-a"])).count() == 3
    assert [o.slug for o in scope(Organisation.objects.all(), actor, via="pk")] == ["org-a"]
