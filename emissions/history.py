"""The audit trail: every write of a factory, an inventory, its lines and evidence, and of an
assessment and its answers leaves a historical row (django-simple-history) naming who made it.

Who: the signed-in user, or the API key a machine client used (DRF puts its KeyActor where
the user would be, and HistoryRequestMiddleware hands the request to the history): a key is
no user row, so its rows keep the user empty and name the key in `history_api_key`. Without
a request (a task, a command) both are empty: the platform itself made the change.

Signals record `save()` and `delete()`. The services that write many rows at once
(bulk_create, queryset.update, a section replaced whole) record them here, in the same
transaction: `record_created`, `update_recorded`, `replace_recorded`.

Links (`AuditTrail(m2m_fields=[...])`, simple-history's own m2m support): every historical
row also holds the links its object had then, and an add, remove or clear that changed a
link records a row of the object that owns the field, from either side; one that changed
nothing (adding a linked file again, clearing no links) records none.
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
from django.utils.text import camel_case_to_spaces
from simple_history import utils as history_utils
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

    def get_meta_options_m2m(self, through_model: type[Model]) -> dict[str, Any]:
        """Named as the other historical models are ("historical answer evidence")."""
        options: dict[str, Any] = super().get_meta_options_m2m(through_model)
        words = camel_case_to_spaces(through_model._meta.object_name or "").replace("_", " ")
        return options | {"verbose_name": f"historical {words}"}

    def m2m_changed(
        self, instance: Model, action: str, attr: str, pk_set: set[Any] | None, reverse: bool,
        model: type[Model], **kwargs: Any,
    ) -> None:  # fmt: skip
        """A row for each owner whose links the add, remove or clear changed (simple-history's
        own records one for every post_* signal, changed or not, and only from the owner's
        side). Which links a remove or clear will change is read before it (pre_*)."""
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        if hasattr(instance, "skip_history_when_saving"):
            return
        field = (model if reverse else type(instance))._meta.get_field(attr)
        if action in ("pre_remove", "pre_clear"):
            setattr(instance, _TOUCHED, _linked_owners(field, instance, pk_set, reverse))
        elif action in ("post_remove", "post_clear"):
            self._record_owners(instance, instance.__dict__.pop(_TOUCHED, ()), reverse, model)
        elif action == "post_add" and pk_set:
            self._record_owners(instance, pk_set if reverse else {instance.pk}, reverse, model)

    def _record_owners(
        self, instance: Model, owner_ids: Iterable[Any], reverse: bool, model: type[Model]
    ) -> None:
        ids = sorted(owner_ids)
        if not ids:
            return
        owners = model._default_manager.filter(pk__in=ids).order_by("pk") if reverse else [instance]
        for owner in owners:
            self.create_historical_record(owner, CHANGED)


_TOUCHED = "_audit_links_touched"


def _linked_owners(field: Any, instance: Model, pk_set: set[Any] | None, reverse: bool) -> set[Any]:
    """The owners (objects with the m2m field) whose links a remove of `pk_set` (None: a
    clear) from `instance` will delete: those linked now."""
    owner = history_utils.get_m2m_field_name(field)
    target = history_utils.get_m2m_reverse_field_name(field)
    this, other = (target, owner) if reverse else (owner, target)
    links = field.remote_field.through._default_manager.filter(**{this: instance})
    if pk_set is not None:
        links = links.filter(**{f"{other}__in": pk_set})
    return set(links.values_list(owner, flat=True))


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
    """Historical rows for rows written without signals (bulk_create, queryset.update), with
    the links each row has now (as a signal's row holds them)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    rows = _history_rows(objs, kind)
    if rows:
        _record_links(type(rows[0]).objects.bulk_create(rows))


def _record_links(rows: Sequence[Any]) -> None:
    """The link rows of historical `rows` (their ids returned by bulk_create): one query and
    one insert per m2m field the history records, nothing for a model without any."""
    by_owner = {row.id: row for row in rows}
    for field in type(rows[0])._history_m2m_fields:
        owner = history_utils.get_m2m_field_name(field)
        through = field.remote_field.through
        names = [f.attname for f in through._meta.concrete_fields]
        links = through._default_manager.filter(**{f"{owner}__in": list(by_owner)})
        owner_id = through._meta.get_field(owner).attname
        history_model = HistoricalRecords.m2m_models[field]
        history_model.objects.bulk_create(
            history_model(history=by_owner[values[owner_id]], **values)
            for values in links.values(*names)
        )


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
