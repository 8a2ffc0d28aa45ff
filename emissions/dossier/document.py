"""Rules over the whole parsed document, checked before the schema: nesting depth, the length
of keys and of free strings, and characters no stored text may hold (NUL and the other control
characters except tab, line feed and carriage return; unpaired surrogates, which are not
Unicode text). The walk is iterative, so no input can exhaust the interpreter's stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeGuard, cast

from emissions.accounting.translation import gettext as _
from emissions.dossier.errors import DossierError, pointer
from emissions.dossier.layout import FREE_SECTIONS
from emissions.dossier.schema import as_decimal, in_range, out_of_range
from emissions.limits import MAX_DEPTH, MAX_FREE_STRING_LENGTH, MAX_KEY_LENGTH

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

Path = tuple[str | int, ...]


def nodes(data: object) -> Iterator[tuple[Path, object]]:
    """Every value of a parsed JSON document with its path, in document order, down to
    MAX_DEPTH (a value's depth is the length of its path, the root's 0): the content of a
    container at that depth is not visited."""
    stack: list[tuple[Path, object]] = [((), data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if len(path) < MAX_DEPTH and _is_container(value):
            pairs = value.items() if isinstance(value, Mapping) else enumerate(value)
            stack.extend(reversed([((*path, key), child) for key, child in pairs]))


_SCALARS = frozenset({str, int, bool, Decimal, float, type(None)})
_NUMBERS = frozenset({int, Decimal, float})


def _is_container(value: object) -> TypeGuard[Mapping[str, object] | list[object]]:
    # The exact types first: a Mapping check is an abstract base class check, slower.
    kind = type(value)
    if kind is dict or kind is list:
        return True
    return kind not in _SCALARS and isinstance(value, Mapping | list)


def forbidden_character(text: str) -> str | None:
    """What is wrong with the characters of `text`, or None."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        message = _(
            "an unpaired surrogate U+{code} at position {position} is not allowed in text;"
            " remove it"
        )
    else:
        message = _(
            "the control character U+{code} at position {position} is not allowed in text;"
            " remove it"
        )
    return message.format(code=f"{ord(char):04X}", position=found.start() + 1)


def _bad_keys(value: Mapping[str, object]) -> bool:
    """Whether some key breaks a rule (one search of all keys joined: most objects pass)."""
    return bool(value) and (
        _FORBIDDEN.search("".join(value)) is not None or max(map(len, value)) > MAX_KEY_LENGTH
    )


def _key_errors(path: Path, value: Mapping[str, object]) -> Iterator[DossierError]:
    for key in value:
        problem = forbidden_character(key)
        if problem is not None:
            yield DossierError(pointer(*path, key), _("key: {problem}").format(problem=problem))
        elif len(key) > MAX_KEY_LENGTH:
            message = _("key of {length} characters; at most {limit}")
            message = message.format(length=len(key), limit=MAX_KEY_LENGTH)
            yield DossierError(pointer(*path, key), message)


def _number_errors(path: Path, value: object) -> Iterator[DossierError]:
    """Numbers in gates and answers, which the schema does not type: within the range every
    typed number has (digits either side of the point), so any of them can be written out."""
    number = as_decimal(value)
    if number is not None and not in_range(number):
        yield DossierError(pointer(*path), out_of_range(number))


def _string_error(path: Path, value: str) -> DossierError:
    """The breach of a string that has one: a forbidden character, else its length."""
    problem = forbidden_character(value)
    if problem is None:
        problem = _("text of {length} characters; at most {limit}").format(
            length=len(value), limit=MAX_FREE_STRING_LENGTH
        )
    return DossierError(pointer(*path), problem)


def _too_deep(path: Path) -> DossierError:
    message = _("nested more than {depth} levels deep; a dossier needs only a few")
    return DossierError(pointer(*path), message.format(depth=MAX_DEPTH))


@dataclass(frozen=True)
class DocumentCheck:
    errors: list[DossierError]
    too_deep: bool  # when True, nothing else may walk the document recursively


def check_document(data: object) -> DocumentCheck:
    """Breaches of the whole-document rules, each at its JSON path. Paths are written out
    only for a breach: a document the quick walk finds sound has none to report."""
    if _sound(data):
        return DocumentCheck([], False)
    return _breaches(data)


def _breaches(data: object) -> DocumentCheck:
    """The walk that names every breach with its path (the definition of the rules)."""
    errors: list[DossierError] = []
    too_deep = False
    for path, value in nodes(data):
        free = bool(path) and path[0] in FREE_SECTIONS
        if isinstance(value, str):
            if _FORBIDDEN.search(value) or (free and len(value) > MAX_FREE_STRING_LENGTH):
                errors.append(_string_error(path, value))
        elif _is_container(value):
            if len(path) >= MAX_DEPTH and value:
                too_deep = True
                errors.append(_too_deep(path))
            if isinstance(value, Mapping) and _bad_keys(value):
                errors.extend(_key_errors(path, value))
        elif free:
            errors.extend(_number_errors(path, value))
    return DocumentCheck(errors, too_deep)


_QUIET = frozenset({bool, type(None)})


def _sound(data: object) -> bool:
    """Whether `_breaches` would find nothing, without making a path: each value with its
    depth and whether it is in a free section, and one search of every text and key joined
    (a line feed between them is not a forbidden character). Anything but plain parser
    output (a str subclass, a Mapping, a tuple) is left to `_breaches`. This was a quarter
    of reading a valid dossier."""
    texts: list[str] = []
    stack: list[_Node] = [(0, False, data)]
    while stack:
        depth, free, value = stack.pop()
        kind = type(value)
        if kind is str:
            if free and len(cast(str, value)) > MAX_FREE_STRING_LENGTH:
                return False
            texts.append(cast(str, value))
        elif kind is dict or kind is list:
            children = _children(depth, free, cast(dict[object, object] | list[object], value))
            if children is None:
                return False
            stack.extend(children)
            if kind is dict:
                texts.extend(cast(dict[str, object], value))
        elif kind not in _QUIET and not _sound_number(kind, free, value):
            return False
    return _FORBIDDEN.search("\n".join(texts)) is None


_Node = tuple[int, bool, object]  # depth, in a free section, value


def _children(
    depth: int, free: bool, value: dict[object, object] | list[object]
) -> list[_Node] | None:
    """A container's values with their depth and section; None when the container is too
    deep, or a key is not text or too long."""
    if not value:
        return []
    if depth >= MAX_DEPTH:
        return None
    if type(value) is list:
        return [(depth + 1, free, item) for item in value]
    members = cast(dict[object, object], value)
    if not all(type(key) is str for key in members):
        return None
    if max(map(len, cast(dict[str, object], members))) > MAX_KEY_LENGTH:
        return None
    if depth == 0:
        return [(1, key in FREE_SECTIONS, item) for key, item in members.items()]
    return [(depth + 1, free, item) for item in members.values()]


def _sound_number(kind: type, free: bool, value: object) -> bool:
    """A number, in range if it is in a free section (the schema types the others)."""
    return kind in _NUMBERS and not (free and next(_number_errors((), value), None) is not None)
