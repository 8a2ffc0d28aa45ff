"""Rules over the whole parsed document, checked before the schema: nesting depth, the length
of keys and of free strings, and characters no stored text may hold (NUL and the other control
characters except tab, line feed and carriage return; unpaired surrogates, which are not
Unicode text). The walk is iterative, so no input can exhaust the interpreter's stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from emissions.accounting.translation import gettext as _
from emissions.dossier.errors import DossierError, pointer
from emissions.dossier.layout import FREE_SECTIONS
from emissions.dossier.schema import as_decimal, in_range, out_of_range
from emissions.limits import MAX_DEPTH, MAX_FREE_STRING_LENGTH, MAX_KEY_LENGTH

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Node:
    path: Path
    value: object
    depth: int  # the root is at depth 0


def nodes(data: object) -> Iterator[Node]:
    """Every value of a parsed JSON document with its path, in document order, down to
    MAX_DEPTH: the content of a container at that depth is not visited."""
    stack = [Node((), data, 0)]
    while stack:
        node = stack.pop()
        yield node
        if node.depth >= MAX_DEPTH:
            continue
        stack.extend(reversed([Node((*node.path, key), child, node.depth + 1)
                               for key, child in _children(node.value)]))  # fmt: skip


def _children(value: object) -> list[tuple[str | int, object]]:
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, list):
        return list(enumerate(value))
    return []


def _too_deep(node: Node) -> bool:
    return node.depth >= MAX_DEPTH and bool(_children(node.value))


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


def _key_errors(node: Node) -> Iterator[DossierError]:
    if not isinstance(node.value, Mapping):
        return
    for key in node.value:
        path = pointer(*node.path, key)
        problem = forbidden_character(key)
        if problem is not None:
            yield DossierError(path, _("key: {problem}").format(problem=problem))
        elif len(key) > MAX_KEY_LENGTH:
            message = _("key of {length} characters; at most {limit}")
            yield DossierError(path, message.format(length=len(key), limit=MAX_KEY_LENGTH))


def _number_errors(node: Node) -> Iterator[DossierError]:
    """Numbers in gates and answers, which the schema does not type: within the range every
    typed number has (digits either side of the point), so any of them can be written out."""
    if not (node.path[:1] and node.path[0] in FREE_SECTIONS):
        return
    number = as_decimal(node.value)
    if number is not None and not in_range(number):
        yield DossierError(pointer(*node.path), out_of_range(number))


def _string_errors(node: Node) -> Iterator[DossierError]:
    if not isinstance(node.value, str):
        return
    problem = forbidden_character(node.value)
    if problem is not None:
        yield DossierError(pointer(*node.path), problem)
    elif (
        node.path[:1]
        and node.path[0] in FREE_SECTIONS
        and (len(node.value) > MAX_FREE_STRING_LENGTH)
    ):
        message = _("text of {length} characters; at most {limit}").format(
            length=len(node.value), limit=MAX_FREE_STRING_LENGTH
        )
        yield DossierError(pointer(*node.path), message)


@dataclass(frozen=True)
class DocumentCheck:
    errors: list[DossierError]
    too_deep: bool  # when True, nothing else may walk the document recursively


def check_document(data: object) -> DocumentCheck:
    """Breaches of the whole-document rules, each at its JSON path."""
    errors: list[DossierError] = []
    too_deep = False
    for node in nodes(data):
        if _too_deep(node):
            too_deep = True
            message = _("nested more than {depth} levels deep; a dossier needs only a few")
            message = message.format(depth=MAX_DEPTH)
            errors.append(DossierError(pointer(*node.path), message))
        errors.extend(_key_errors(node))
        errors.extend(_string_errors(node))
        errors.extend(_number_errors(node))
    return DocumentCheck(errors, too_deep)
