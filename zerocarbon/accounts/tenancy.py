"""The one tenancy helper every selector uses.

`scope(queryset, actor, via=...)` keeps only the rows of organisations the actor belongs to;
`get_scoped(...)` answers NotFound for anything else, so another organisation's objects are
indistinguishable from objects that do not exist (404, never 403, never data).

Certification bodies see no tenant data through this helper: their auditors read assessments
submitted to them through the review selectors, which add that path explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from zerocarbon.accounts.models import Membership, Organisation
from zerocarbon.errors import NotFound, PermissionDenied

M = TypeVar("M", bound=Model)
Actor = AbstractBaseUser | AnonymousUser

WRITE_ROLES = frozenset({Membership.Role.ADMIN, Membership.Role.CONSULTANT})


def organisation_ids(actor: Actor, roles: Iterable[str] | None = None) -> list[int]:
    if not actor.is_authenticated:
        return []
    memberships = Membership.objects.filter(user_id=actor.pk)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return list(memberships.values_list("organisation_id", flat=True))


def scope(queryset: QuerySet[M], actor: Actor, *, via: str = "organisation") -> QuerySet[M]:
    """Rows whose organisation (reached through the lookup `via`) the actor belongs to."""
    return queryset.filter(**{f"{via}__in": organisation_ids(actor)})


def get_scoped(
    queryset: QuerySet[M], actor: Actor, *, via: str = "organisation", **filters: Any
) -> M:
    try:
        return scope(queryset, actor, via=via).get(**filters)
    except ObjectDoesNotExist:
        raise NotFound(f"No {queryset.model._meta.verbose_name} matches the request.") from None


def role_in(actor: Actor, organisation: Organisation) -> str | None:
    if not actor.is_authenticated:
        return None
    membership = Membership.objects.filter(user_id=actor.pk, organisation=organisation).first()
    return membership.role if membership else None


def require_write(actor: Actor, organisation: Organisation) -> None:
    """Raise unless the actor may change the organisation's data (admin or consultant)."""
    role = role_in(actor, organisation)
    if role is None:
        raise NotFound("No such object.")
    if role not in WRITE_ROLES:
        raise PermissionDenied(f"Your role '{role}' may only read {organisation.name}'s data.")
