"""The one tenancy helper every selector uses.

`scope(queryset, actor, via=...)` keeps only the rows of organisations the actor belongs to;
`get_scoped(...)` answers NotFound for anything else, so another organisation's objects are
indistinguishable from objects that do not exist (404, never 403, never data).

The actor is a user (their memberships decide) or an API key (zerocarbon.accounts.actors):
a key belongs to one organisation, acts there as a consultant or, read-only, as a viewer, and
a key limited to some factories sees only the rows reached through those factories.

Certification bodies see no tenant data through this helper: their auditors read assessments
submitted to them through the review selectors, which add that path explicitly. A
certification body's key, like its users, sees nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from zerocarbon.accounts.actors import KeyActor
from zerocarbon.accounts.models import Membership, Organisation
from zerocarbon.errors import NotFound, PermissionDenied

M = TypeVar("M", bound=Model)
Actor = AbstractBaseUser | AnonymousUser | KeyActor

WRITE_ROLES = frozenset({Membership.Role.ADMIN, Membership.Role.CONSULTANT})
# Named by label: accounts sits below emissions and may not import it.
FACTORY_MODEL = "emissions.Factory"


# Within one request a user's memberships are read once (MembershipsReadOnceMiddleware):
# a page asks for them from several selectors. They change only through the admin and the
# demo loader, never in a request that goes on to read them. Outside a request (services,
# tasks, commands) every call reads them afresh.
_MemoKey = tuple[Any, frozenset[str] | None]
_memberships: ContextVar[dict[_MemoKey, tuple[int, ...]] | None] = ContextVar(
    "zerocarbon_memberships", default=None
)


@contextmanager
def memberships_read_once() -> Iterator[None]:
    token = _memberships.set({})
    try:
        yield
    finally:
        _memberships.reset(token)


def organisation_ids(actor: Actor, roles: Iterable[str] | None = None) -> list[int]:
    if isinstance(actor, KeyActor):
        if roles is not None and _key_role(actor) not in set(roles):
            return []
        return [actor.organisation_id]
    if not actor.is_authenticated:
        return []
    wanted = None if roles is None else frozenset(str(role) for role in roles)
    memo, key = _memberships.get(), (actor.pk, wanted)
    if memo is not None and key in memo:
        return list(memo[key])
    memberships = Membership.objects.filter(user_id=actor.pk)
    if wanted is not None:
        memberships = memberships.filter(role__in=sorted(wanted))
    found = tuple(memberships.values_list("organisation_id", flat=True))
    if memo is not None:
        memo[key] = found
    return list(found)


def scope(queryset: QuerySet[M], actor: Actor, *, via: str = "organisation") -> QuerySet[M]:
    """Rows whose organisation (reached through the lookup `via`) the actor belongs to, and
    for a key limited to some factories, only the rows of those factories."""
    scoped = queryset.filter(**{f"{via}__in": organisation_ids(actor)})
    if not isinstance(actor, KeyActor) or actor.factory_ids is None or via == "pk":
        return scoped  # an Organisation queryset (via="pk") is never limited to factories
    path = factory_path(queryset.model, via)
    if path is None:
        # Organisation-level rows no factory leads to: a factory-limited key sees none of
        # them (fail closed) rather than all of them.
        return scoped.none()
    return scoped.filter(**{f"{path}__in": actor.factory_ids})


def factory_path(model: type[Model], via: str) -> str | None:
    """The lookup from `model` to its factory, derived from the lookup to its organisation:
    Factory via "organisation" → "pk"; Inventory via "factory__organisation" → "factory";
    None when the path does not pass through a factory."""
    if model._meta.label == FACTORY_MODEL:
        return "pk"
    path = via.removesuffix("organisation").removesuffix("__")
    if not path or path == via or _related_model(model, path) != FACTORY_MODEL:
        return None
    return path


def _related_model(model: type[Model], path: str) -> str | None:
    current: Any = model
    for name in path.split("__"):
        current = current._meta.get_field(name).related_model
        if current is None:
            return None
    return str(current._meta.label)


def get_scoped(
    queryset: QuerySet[M], actor: Actor, *, via: str = "organisation", **filters: Any
) -> M:
    try:
        return scope(queryset, actor, via=via).get(**filters)
    except ObjectDoesNotExist:
        message = _("No {kind} matches the request.")
        raise NotFound(message.format(kind=_(str(queryset.model._meta.verbose_name)))) from None


def role_in(actor: Actor, organisation: Organisation) -> str | None:
    if isinstance(actor, KeyActor):
        return _key_role(actor) if actor.organisation_id == organisation.pk else None
    if not actor.is_authenticated:
        return None
    membership = Membership.objects.filter(user_id=actor.pk, organisation=organisation).first()
    return membership.role if membership else None


def _key_role(actor: KeyActor) -> str:
    return Membership.Role.VIEWER if actor.read_only else Membership.Role.CONSULTANT


def require_write(actor: Actor, organisation: Organisation, factory: Model | None = None) -> None:
    """Raise unless the actor may change the organisation's data (admin or consultant).

    `factory` is the factory the change is about; None for a change at the organisation's
    level (a new factory, a dossier import), which a key limited to factories may not make.
    """
    if isinstance(actor, KeyActor):
        _require_key_write(actor, organisation, factory)
        return
    role = role_in(actor, organisation)
    if role is None:
        raise NotFound(_("No such object."))
    if role not in WRITE_ROLES:
        message = _("Your role '{role}' may only read {organisation}'s data.")
        raise PermissionDenied(message.format(role=role, organisation=organisation.name))


def _require_key_write(actor: KeyActor, organisation: Organisation, factory: Model | None) -> None:
    limited = actor.factory_ids is not None
    if actor.organisation_id != organisation.pk or (
        limited and factory is not None and factory.pk not in (actor.factory_ids or ())
    ):
        raise NotFound(_("No such object."))
    if actor.read_only:
        message = _("The API key '{name}' is read-only: it may only read {organisation}'s data.")
        raise PermissionDenied(message.format(name=actor.key.name, organisation=organisation.name))
    if limited and factory is None:
        message = _(
            "This key is limited to factories {ids}: it may not change {organisation}'s data "
            "outside them."
        )
        ids = ", ".join(str(pk) for pk in sorted(actor.factory_ids or ()))
        raise PermissionDenied(message.format(ids=ids, organisation=organisation.name))
