"""What would change: two dossier documents compared entry by entry.

Both documents should be normalised by the reader (Decimals, dates, defaults filled), so that
`12.40` and `12.4` are the same quantity and a default left out is no change. Objects are
compared key by key and lists position by position (lines keep their order, so `/energy/2` is
the same line on both sides); a line or key on one side only is added or removed as a whole.
`by_field` splits those into one change per field, as a preview lists them: a group of fields
(`/baseline`, `/gates`) field by field, a list (`/energy`, `/energy/0/monthly`) item by item, a
line of a list (`/energy/3`) staying one change. Values come back JSON-ready (decimal strings,
ISO dates) to be stored; presenting them is the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from emissions.accounting.formatting import amount
from emissions.dossier.errors import pointer

_DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    path: str  # JSON pointer, e.g. /energy/2/quantity
    kind: Kind
    old: Any = None  # JSON-ready; None when added
    new: Any = None  # JSON-ready; None when removed

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "old": self.old, "new": self.new}


def plain(value: Any) -> Any:
    """A JSON-ready copy: Decimals as plain decimal strings, dates ISO."""
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between `old` and `new`, in document order."""
    return list(_compare(old, new, ()))


def by_field(changes: Iterable[Change]) -> Iterator[Change]:
    """The changes with every whole group added or removed split into its fields (see the
    module doc); changed values and lines of a list are kept as they are."""
    for change in changes:
        value = change.old if change.kind == "removed" else change.new
        # An index ends the path of a list's item; the dossier's keys are never all digits.
        yield from _split(change, value, change.path.rsplit("/", 1)[-1].isdigit())


def _split(change: Change, value: Any, in_list: bool) -> Iterator[Change]:
    if change.kind == "changed" or not isinstance(value, Mapping | list) or not value:
        yield change
    elif isinstance(value, Mapping) and in_list:
        yield change  # a line: one change, summarised by whoever shows it
    else:
        items = value.items() if isinstance(value, Mapping) else enumerate(value)
        for key, item in items:
            path = change.path + pointer(key)
            part = (
                Change(path, "removed", old=item)
                if change.kind == "removed"
                else Change(path, "added", new=item)
            )
            yield from _split(part, item, isinstance(value, list))


def _compare(old: Any, new: Any, at: tuple[str | int, ...]) -> Iterator[Change]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        keys = [*old, *(key for key in new if key not in old)]
        for key in keys:
            yield from _side(old, new, key, at)
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            yield from _side(dict(enumerate(old)), dict(enumerate(new)), index, at)
    elif not _same(old, new):
        yield Change(pointer(*at), "changed", plain(old), plain(new))


def _side(
    old: Mapping[Any, Any], new: Mapping[Any, Any], key: Any, at: tuple[Any, ...]
) -> Iterator[Change]:
    path = (*at, key)
    if key not in new:
        yield Change(pointer(*path), "removed", old=plain(old[key]))
    elif key not in old:
        yield Change(pointer(*path), "added", new=plain(new[key]))
    else:
        yield from _compare(old[key], new[key], path)


def _same(old: Any, new: Any) -> bool:
    """Equal values of one type; a number and its decimal string (answers are kept as typed:
    "0.95" and 0.95) are the same, two texts only when equal
    (serial 0001 is not serial 1). True == 1 in Python, but a boolean turned into a number is
    a change."""
    left, right = _number(old), _number(new)
    if left is not None and right is not None and isinstance(old, str) != isinstance(new, str):
        return left == right
    return type(old) is type(new) and bool(old == new)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        return Decimal(value)
    return None
