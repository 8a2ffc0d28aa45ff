"""API keys: issuing, revoking, and turning a presented key into the actor a request acts for.

The key is `<prefix>.<secret>` (rest_framework_api_key's generator: 8 and 32 random letters
and digits). The prefix is stored as is, to find the row and to show which key is which; of
the whole key only a SHA-512 hash is stored. Plain SHA-512, not a password hasher: a
190-bit random key cannot be guessed from its hash, so slowing each request down to resist
guessing would only cost time (a check takes about 5 µs).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zerocarbon.accounts.actors import KeyActor
from zerocarbon.accounts.models import ApiKey, ApiKeyFactory, Organisation
from zerocarbon.errors import FieldError, ValidationFailed

# last_used_at is a day-to-day answer ("is this key still in use?"), not an access log: it is
# written at most once a minute per key, so that a busy client costs no write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
NAME_MAX_LENGTH = ApiKey._meta.get_field("name").max_length or 50
# Anything else is refused before it reaches the database (a NUL byte would make PostgreSQL
# fail the query rather than find nothing).
_KEY_FORMAT = re.compile(r"[A-Za-z0-9]{1,8}\.[A-Za-z0-9]{1,150}")


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    plaintext: str  # shown once, never stored


class InvalidKey(Exception):
    """The key presented is unknown, wrong, revoked or expired (HTTP 401)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def issue_key(
    organisation: Organisation,
    *,
    name: str,
    factory_ids: Collection[int] = (),
    read_only: bool = False,
    created_by: User | None = None,
) -> IssuedKey:
    """A new key for the organisation, limited to `factory_ids` when any are given."""
    name = name.strip()
    _check_request(organisation, name, set(factory_ids))
    with transaction.atomic():
        api_key = ApiKey(
            name=name, organisation=organisation, read_only=read_only, created_by=created_by
        )
        plaintext = ApiKey.objects.assign_key(api_key)
        api_key.save()
        api_key.factories.set(sorted(set(factory_ids)))
    return IssuedKey(api_key=api_key, plaintext=plaintext)


def _check_request(organisation: Organisation, name: str, factory_ids: set[int]) -> None:
    errors = []
    if not name:
        errors.append(FieldError("name", _("A key needs a name.")))
    elif len(name) > NAME_MAX_LENGTH:
        message = _("A key's name has at most {limit} characters.")
        errors.append(FieldError("name", message.format(limit=NAME_MAX_LENGTH)))
    factory_model = apps.get_model("emissions", "Factory")
    own = set(
        factory_model.objects.filter(organisation=organisation, pk__in=factory_ids).values_list(
            "pk", flat=True
        )
    )
    for factory_id in sorted(factory_ids - own):
        message = _("Factory {id} does not exist or does not belong to {organisation}.")
        errors.append(
            FieldError("factories", message.format(id=factory_id, organisation=organisation.slug))
        )
    if errors:
        raise ValidationFailed(_("The key was not issued."), errors)


def revoke_key(api_key: ApiKey) -> None:
    """For good: the library refuses to un-revoke a key. Revoking twice changes nothing."""
    if api_key.revoked:
        return
    api_key.revoked = True
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked", "revoked_at"])


def actor_for_key(plaintext: str, *, now: datetime) -> KeyActor:
    """The actor of a presented key, or InvalidKey. Two indexed queries: the key, its
    factories (and a one-row UPDATE at most once a minute)."""
    invalid = InvalidKey(_("The API key is not valid."))
    if not _KEY_FORMAT.fullmatch(plaintext):
        raise invalid
    api_key = ApiKey.objects.filter(prefix=plaintext.partition(".")[0]).first()
    if api_key is None or not api_key.is_valid(plaintext):
        raise invalid
    # Said only to whoever holds the whole key, so that a client knows what to fix.
    if api_key.revoked:
        raise InvalidKey(_("This API key has been revoked."))
    if api_key.has_expired:
        raise InvalidKey(_("This API key has expired."))
    record_use(api_key, now=now)
    factory_ids = frozenset(
        ApiKeyFactory.objects.filter(api_key=api_key).values_list("factory_id", flat=True)
    )
    return KeyActor(
        key=api_key,
        organisation_id=api_key.organisation_id,
        factory_ids=factory_ids or None,
        read_only=api_key.read_only,
    )


def record_use(api_key: ApiKey, *, now: datetime) -> None:
    """Sets last_used_at unless it was set within the last minute (by this process or another:
    the condition is in the UPDATE, so concurrent requests write it once)."""
    stale = now - LAST_USED_RESOLUTION
    if api_key.last_used_at is not None and api_key.last_used_at >= stale:
        return
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
    ).update(last_used_at=now)
    api_key.last_used_at = now
