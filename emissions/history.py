"""The audit trail: every write of a factory, an inventory, its lines and evidence, and of an
assessment and its answers leaves a historical row (django-simple-history) naming who made it.

Who: the signed-in user, or the API key a machine client used (DRF puts its KeyActor where
the user would be, and HistoryRequestMiddleware hands the request to the history): a key is
no user row, so its rows keep the user empty and name the key in `history_api_key`. Without
a request (a task, a command) both are empty: the platform itself made the change.

Signals record `save()` and `delete()`. The services that write many rows at once
(bulk_create, queryset.update, a section replaced whole) record them here, in the same
transaction: `record_created`, `update_recorded`, `replace_recorded`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Model, QuerySet
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from emissions.accounting.exact_json import ExactJSONEncoder
from zerocarbon.accounts.actors import KeyActor
from zerocarbon.accounts.models import ApiKey

CREATED, CHANGED, DELETED = "+", "~", "-"

# Saves that touch only these change nothing anyone audits (timestamps, the task outbox).
QUIET_FIELDS = frozenset({"updated_at"})
# Never compared when a section is replaced: a new row has a new id and timestamps.
IDENTITY_FIELDS = frozenset({"id", "created_at", "updated_at"})

_deletes_recorded = ContextVar("deletes_recorded", default=False)
_acting: ContextVar[object] = ContextVar("acting", default=None)


class AuditedHistory(models.Model):
    """What every historical row holds besides simple-history's own fields."""

    history_api_key = models.ForeignKey(
        ApiKey,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the API key that made the change, when a machine client made it",
    )

    class Meta:
        abstract = True


def _actor() -> object:
    acting_as = _acting.get()
    if acting_as is not None:
        return acting_as
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


@contextmanager
def acting(actor: object) -> Iterator[None]:
    """Inside: changes are made by `actor` (a user or a KeyActor) where no request says who,
    as in a task or a command run for someone."""
    token = _acting.set(actor)
    try:
        yield
    finally:
        _acting.reset(token)


def history_user(request: Any = None, **kwargs: Any) -> User | None:
    """The person who made the change: none for an API key or the platform itself."""
    actor = _actor()
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def current_api_key_id() -> str | None:
    actor = _actor()
    return actor.key.pk if isinstance(actor, KeyActor) else None


class AuditTrail(HistoricalRecords):
    """simple-history's registration with our user getter and key field, quiet for saves of
    timestamps alone, and silent for deletes a service records itself (`replace_recorded`)."""

    def __init__(self, *, quiet_fields: Iterable[str] = (), **options: Any) -> None:
        self.quiet_fields = QUIET_FIELDS | frozenset(quiet_fields)
        options.setdefault("bases", [AuditedHistory])
        super().__init__(get_user=history_user, **options)

    def post_save(self, instance: Model, created: bool, using: Any = None, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not created and update_fields is not None and update_fields <= self.quiet_fields:
            return
        super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance: Model, using: Any = None, **kwargs: Any) -> None:
        if not _deletes_recorded.get():
            super().post_delete(instance, using=using, **kwargs)


@receiver(pre_create_historical_record)
def _name_the_key(sender: type[Model], history_instance: Any, **kwargs: Any) -> None:
    if isinstance(history_instance, AuditedHistory):
        history_instance.history_api_key_id = current_api_key_id()


def _history_rows(objs: Iterable[Model], kind: str) -> list[Any]:
    objs = list(objs)
    if not objs:
        return []
    history_model = objs[0].history.model  # type: ignore[attr-defined]
    user, key_id, now = history_user(), current_api_key_id(), timezone.now()
    fields = [field.attname for field in history_model.tracked_fields]
    return [
        history_model(
            history_date=now,
            history_type=kind,
            history_user=user,
            history_api_key_id=key_id,
            **{name: getattr(obj, name) for name in fields},
        )
        for obj in objs
    ]


def record(objs: Iterable[Model], kind: str) -> None:
    """Historical rows for rows written without signals (bulk_create, queryset.update)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    rows = _history_rows(objs, kind)
    if rows:
        type(rows[0]).objects.bulk_create(rows)


def record_created(objs: Sequence[Model]) -> Sequence[Model]:
    """After a bulk_create (the rows have their ids: PostgreSQL and SQLite return them)."""
    record(objs, CREATED)
    return objs


def update_recorded(queryset: QuerySet[Any], **values: Any) -> int:
    """`queryset.update(**values)` and a historical row for each row it changed."""
    rows = list(queryset)
    count: int = queryset.model.objects.filter(pk__in=[row.pk for row in rows]).update(**values)
    for row in rows:
        for name, value in values.items():
            setattr(row, name, value)
    record(rows, CHANGED)
    return count


@contextmanager
def deletes_recorded() -> Iterator[None]:
    """Inside: deletes leave no historical row by signal (the caller records them)."""
    token = _deletes_recorded.set(True)
    try:
        yield
    finally:
        _deletes_recorded.reset(token)


def same_values(stored: object, given: object) -> bool:
    """Equal as stored: as exact JSON, so `1` is not `true` and `0.950` is not `0.95`."""
    return _json(stored) == _json(given)


def _json(value: object) -> str:
    return json.dumps(value, cls=ExactJSONEncoder, sort_keys=True, ensure_ascii=False)


def _values(line: Model) -> dict[str, Any]:
    names = [field.attname for field in type(line)._meta.concrete_fields]
    return {name: getattr(line, name) for name in names if name not in IDENTITY_FIELDS}


def replace_recorded(old: Sequence[Model], new: Sequence[Model]) -> None:
    """The lines of a section replaced whole, recorded line by line at their position: a
    line equal to the one it replaces leaves no row, a different one is `changed` (the trail
    compares lines of an inventory by position), an extra one `created`, a missing one
    `deleted`. Call it after deleting `old` inside `deletes_recorded()` and creating `new`."""
    before = {line.position: line for line in old}  # type: ignore[attr-defined]
    after = {line.position: line for line in new}  # type: ignore[attr-defined]
    changed = [
        line
        for position, line in after.items()
        if position in before and _values(line) != _values(before[position])
    ]
    record(changed, CHANGED)
    record([line for position, line in after.items() if position not in before], CREATED)
    record([line for position, line in before.items() if position not in after], DELETED)
