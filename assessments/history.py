"""The change history of an assessment: every historical row (emissions/history.py) of its
factory, inventory, lines, instruments, evidence, the assessment and its answers, newest
first, as rows a page shows: when, who, what (in the page's language), the change kind and
each field's value before and after.

A page costs a fixed number of queries whatever it holds: one to pick the page's rows across
all tables (UNION ALL, newest first), and per table on the page one for its rows (with the
user or key who made them) and one for the versions before them. A line's version before is
the inventory's last version of the line at the same position (a section saved whole
replaces its rows, see `emissions.history.replace_recorded`); any other object's is its own.
An object with recorded links (an answer's evidence files) costs one query more for the
links of its rows and of the versions before them: a change of links shows the files
added and removed, and the set before and after.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from assessments.models import Answer, Assessment
from emissions.accounting.exact_json import ExactJSONEncoder
from emissions.history import CHANGED, CREATED, DELETED
from emissions.models import (
    CarbonCredit,
    EnergyRecord,
    EvidenceDocument,
    Factory,
    GreenElectricityInstrument,
    Inventory,
    ProcessEmission,
    ReductionMeasure,
    RefrigerantRecord,
    Scope3Entry,
)

PAGE_SIZE = 50
EMPTY = "—"
# Identity, links and bookkeeping: not what anyone changed.
HIDDEN_FIELDS = frozenset(
    {
        "id",
        "item_id",  # named in what changed: "Answer to INF-1"
        "inventory",
        "assessment",
        "position",
        "created_at",
        "updated_at",
        "uploaded_at",
        "evaluation_enqueued_at",
        "evaluation_enqueue_attempts",
        "evaluation_error_texts",
        "uploaded_by",  # who uploaded is who created the row
        "submitted_by",  # who submitted is who changed the status
    }
)
KINDS = {
    CREATED: gettext_lazy("created"),
    CHANGED: gettext_lazy("changed"),
    DELETED: gettext_lazy("deleted"),
}


@dataclass(frozen=True)
class Links:
    """A many-to-many field whose links the history records, each linked object named by
    its field `name`."""

    field: str
    label: Promise
    name: str


@dataclass(frozen=True)
class Source:
    model: type[Model]
    scope: Callable[[Assessment], Q]
    name: Callable[[Any], str]
    line: bool = False  # compared by (inventory, position)
    links: tuple[Links, ...] = ()


def _line(label: str) -> Callable[[Any], str]:
    return lambda row: _(label).format(number=row.position + 1)


def _lines(model: type[Model], label: str) -> Source:
    return Source(model, lambda a: Q(inventory_id=a.inventory_id), _line(label), line=True)


SOURCES: tuple[Source, ...] = (
    Source(
        Factory,
        lambda a: Q(id=a.inventory.factory_id),
        lambda row: _("Factory {name}").format(name=row.name),
    ),
    Source(
        Inventory,
        lambda a: Q(id=a.inventory_id),
        lambda row: _("Inventory {year}").format(year=row.year),
    ),
    _lines(EnergyRecord, gettext_noop("Energy line {number}")),
    _lines(ProcessEmission, gettext_noop("Process emission line {number}")),
    _lines(RefrigerantRecord, gettext_noop("Refrigerant line {number}")),
    _lines(Scope3Entry, gettext_noop("Scope 3 line {number}")),
    _lines(ReductionMeasure, gettext_noop("Reduction measure {number}")),
    _lines(GreenElectricityInstrument, gettext_noop("Green electricity instrument {number}")),
    _lines(CarbonCredit, gettext_noop("Carbon credit {number}")),
    Source(
        EvidenceDocument,
        lambda a: Q(inventory_id=a.inventory_id),
        lambda row: _("Evidence document {reference}").format(reference=row.reference),
    ),
    Source(Assessment, lambda a: Q(id=a.pk), lambda row: _("The assessment")),
    Source(
        Answer,
        lambda a: Q(assessment_id=a.pk),
        lambda row: _("Answer to {item}").format(item=row.item_id),
        links=(Links("evidence", gettext_lazy("Evidence files"), "reference"),),
    ),
)


@dataclass(frozen=True)
class FieldChange:
    label: str
    code: bool  # the field's name as the dossier spells it, not a translated label
    before: str
    after: str
    added: tuple[str, ...] = ()  # of links: the names of the objects linked, and unlinked
    removed: tuple[str, ...] = ()

    @property
    def links(self) -> bool:
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class TrailEntry:
    when: datetime
    who: str
    what: str
    kind: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class TrailPage:
    entries: tuple[TrailEntry, ...]
    number: int
    has_previous: bool
    has_next: bool


def change_history(assessment: Assessment, page: int = 1) -> TrailPage:
    """Page `page` (from 1) of the assessment's change history, newest first."""
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    picked = list(_picked(assessment)[start : start + PAGE_SIZE + 1])
    has_next = len(picked) > PAGE_SIZE
    picked = picked[:PAGE_SIZE]
    entries: dict[tuple[int, int], TrailEntry] = {}
    for index, source in enumerate(SOURCES):
        ids = [history_id for kind, history_id, _date in picked if kind == index]
        if ids:
            entries |= {(index, pk): entry for pk, entry in _entries(source, ids).items()}
    ordered = tuple(entries[kind, history_id] for kind, history_id, _date in picked)
    return TrailPage(ordered, page, has_previous=page > 1, has_next=has_next)


def _history(model: type[Model]) -> Any:
    return model.history.model  # type: ignore[attr-defined]


def _picked(assessment: Assessment) -> QuerySet[Any, tuple[int, int, datetime]]:
    parts = [
        _history(source.model)
        .objects.filter(source.scope(assessment))
        .annotate(trail_source=Value(index), at=F("history_date"), hid=F("history_id"))
        .values_list("trail_source", "hid", "at")
        .order_by()
        for index, source in enumerate(SOURCES)
    ]
    union: QuerySet[Any, tuple[int, int, datetime]] = parts[0].union(*parts[1:], all=True)
    return union.order_by("-at", "-hid")


def _entries(source: Source, ids: Sequence[int]) -> dict[int, TrailEntry]:
    history = _history(source.model)
    same = (
        Q(inventory_id=OuterRef("inventory_id"), position=OuterRef("position"))
        if source.line
        else Q(id=OuterRef("id"))
    )
    before = history.objects.filter(same, history_id__lt=OuterRef("history_id"))
    rows = list(
        history.objects.filter(history_id__in=ids)
        .select_related("history_user", "history_api_key")
        .annotate(before_id=Subquery(before.order_by("-history_id").values("history_id")[:1]))
    )
    previous = history.objects.in_bulk([row.before_id for row in rows if row.before_id])
    linked = {links.field: _linked(source, links, [*ids, *previous]) for links in source.links}
    fields = [field for field in history.tracked_fields if field.name not in HIDDEN_FIELDS]
    return {
        row.history_id: TrailEntry(
            when=row.history_date,
            who=_who(row),
            what=source.name(row),
            kind=str(KINDS[row.history_type]),
            changes=_changes(fields, row, previous.get(row.before_id))
            + _link_changes(source.links, linked, row, previous.get(row.before_id)),
        )
        for row in rows
    }


Linked = Mapping[int, Mapping[int, str]]  # a version's history id → linked id → its name


def _linked(source: Source, links: Links, history_ids: Sequence[int]) -> Linked:
    """The links of these versions, each object named as it is now (or, deleted since, as
    its history last named it)."""
    field: Any = source.model._meta.get_field(links.field)
    target = field.m2m_reverse_field_name()
    named = _history(field.related_model).objects.filter(id=OuterRef(f"{target}_id"))
    last_name = Subquery(named.order_by("-history_id").values(links.name)[:1])
    rows = (
        getattr(_history(source.model), links.field)
        .model.objects.filter(history_id__in=history_ids)
        .annotate(shown=Coalesce(f"{target}__{links.name}", last_name))
        .values_list("history_id", f"{target}_id", "shown")
    )
    linked: dict[int, dict[int, str]] = {}
    for history_id, target_id, shown in rows:
        linked.setdefault(history_id, {})[target_id] = shown or f"#{target_id}"
    return linked


def _link_changes(
    all_links: Sequence[Links], linked: Mapping[str, Linked], row: Any, previous: Any
) -> tuple[FieldChange, ...]:
    """Links compared with the version before; a deleted row's own are gone already (the
    link rows go first), so it shows those of the version before as removed."""
    if row.history_type == CREATED or previous is None or previous.history_type == DELETED:
        previous = None
    changes = []
    for links in all_links:
        versions = linked[links.field]
        now: Mapping[int, str] = versions.get(row.history_id, {})
        then: Mapping[int, str] = {} if previous is None else versions.get(previous.history_id, {})
        before: Mapping[int, str] = then
        after: Mapping[int, str] = now
        if row.history_type == DELETED:  # its link rows went before it was recorded
            before, after = (now if previous is None else then), {}
        if before.keys() != after.keys():
            changes.append(_link_change(links, before, after))
    return tuple(changes)


def _link_change(links: Links, before: Mapping[int, str], after: Mapping[int, str]) -> FieldChange:
    added = sorted(after[pk] for pk in after.keys() - before.keys())
    removed = sorted(before[pk] for pk in before.keys() - after.keys())
    return FieldChange(
        str(links.label), False, _names(before), _names(after), tuple(added), tuple(removed)
    )


def _names(linked: Mapping[int, str]) -> str:
    return ", ".join(sorted(linked.values())) or EMPTY


def _who(row: Any) -> str:
    if row.history_user is not None:
        user = row.history_user
        return str(user.get_full_name() or user.get_username())
    if row.history_api_key is not None:
        return _("API key {name}").format(name=row.history_api_key.name)
    if row.history_api_key_id is not None:
        return _("A deleted API key")
    return _("The platform")


def _changes(fields: Sequence[Any], row: Any, previous: Any) -> tuple[FieldChange, ...]:
    if row.history_type == CREATED or previous is None or previous.history_type == DELETED:
        previous = None
    before_row, after_row = (row, None) if row.history_type == DELETED else (previous, row)
    changes = []
    for field in fields:
        before = _shown(field, before_row)
        after = _shown(field, after_row)
        if before != after:
            label, code = _label(field)
            changes.append(FieldChange(label, code, before, after))
    return tuple(changes)


def _label(field: Any) -> tuple[str, bool]:
    if str(field.verbose_name) != field.name.replace("_", " "):
        return str(field.verbose_name), False
    return field.name, True


def _shown(field: Any, row: Any) -> str:
    if row is None:
        return EMPTY
    value = getattr(row, field.attname)
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return _text(value)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Mapping | list):
        return json.dumps(value, cls=ExactJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return str(value)
