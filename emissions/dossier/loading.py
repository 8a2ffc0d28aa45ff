"""Dossier JSON from a file, bytes or text, strictly: no duplicate keys, no NaN, numbers as
Decimal, a UTF-8 byte-order mark tolerated. Every import route (browser, REST, command line)
parses with this module, so the three accept and refuse exactly the same texts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop
from emissions.dossier.document import nodes
from emissions.dossier.errors import DossierError, DossierInvalid, pointer
from emissions.limits import MAX_DEPTH

# What Python's JSON parser says is wrong (json.decoder and its C scanner), so that a Chinese
# answer says it in Chinese too (json_problem).
_JSON_REASONS = frozenset(
    {
        gettext_noop("Expecting value"),
        gettext_noop("Expecting property name enclosed in double quotes"),
        gettext_noop("Expecting ':' delimiter"),
        gettext_noop("Expecting ',' delimiter"),
        gettext_noop("Unterminated string starting at"),
        gettext_noop("Invalid control character at"),
        gettext_noop("Invalid \\escape"),
        gettext_noop("Invalid \\uXXXX escape"),
        gettext_noop("Extra data"),
    }
)


def json_problem(reason: str) -> str:
    """What Python's JSON parser says is wrong (`JSONDecodeError.msg`), in the active language
    when it is one of the parser's sentences; any other text as the parser gives it."""
    return _(reason) if reason in _JSON_REASONS else reason


class _DuplicateKeys(dict[str, object]):
    """An object that repeated keys; remembered so the error can name its path."""

    def __init__(self, pairs: list[tuple[str, object]], duplicates: list[str]) -> None:
        super().__init__(pairs)
        self.duplicates = duplicates


class _NotJson(ValueError):
    pass


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    seen: set[str] = set()
    duplicates: list[str] = []
    for key, _value in pairs:
        if key in seen:
            duplicates.append(key)
        seen.add(key)
    return _DuplicateKeys(pairs, duplicates)


def _constant(name: str) -> object:
    raise _NotJson(
        _("{name} is not a number JSON allows; expected a finite number").format(name=name)
    )


def _duplicate_errors(data: object) -> Iterator[DossierError]:
    for at, value in nodes(data):  # iterative, and no deeper than the reader allows
        if isinstance(value, _DuplicateKeys):
            for key in value.duplicates:
                path = pointer(*at, key)
                yield DossierError(
                    path, _("duplicate key {key!r} in one JSON object").format(key=key)
                )


def parse_dossier_text(text: str) -> object:
    """Parse dossier JSON text; raises DossierInvalid for bad JSON or repeated keys."""
    repeated: list[_DuplicateKeys] = []

    def strict_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
        found = _object(pairs)
        if type(found) is _DuplicateKeys:
            repeated.append(found)
        return found

    try:
        data = json.loads(
            text, parse_float=Decimal, parse_constant=_constant, object_pairs_hook=strict_object
        )
    except json.JSONDecodeError as error:
        message = _("not valid JSON: {reason} at line {line}, column {column}").format(
            reason=json_problem(error.msg),
            line=error.lineno,
            column=error.colno,
        )
        raise DossierInvalid([DossierError("", message)]) from None
    except ValueError as error:  # _NotJson, or an integer too long to convert
        message = _("not valid JSON: {reason}").format(reason=error)
        raise DossierInvalid([DossierError("", message)]) from None
    except RecursionError:
        message = _("nested far more than {depth} levels deep; a dossier needs only a few")
        message = message.format(depth=MAX_DEPTH)
        raise DossierInvalid([DossierError("", message)]) from None
    # Walked for their paths only when parsing found some (deeper than MAX_DEPTH, none is
    # reported here: the reader says the document is too deep).
    duplicates = list(_duplicate_errors(data)) if repeated else []
    if duplicates:
        raise DossierInvalid(duplicates)
    return data


def parse_dossier_bytes(raw: bytes) -> object:
    """Parse dossier JSON bytes (UTF-8, a byte-order mark tolerated)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("not UTF-8 text (byte {byte} cannot be decoded); save the file as UTF-8")
        message = message.format(byte=error.start)
        raise DossierInvalid([DossierError("", message)]) from None
    return parse_dossier_text(text)


def load_dossier_file(path: str | Path) -> object:
    """Read and parse a dossier file (UTF-8, a byte-order mark is tolerated)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        message = _("file not found: {path}").format(path=path)
        raise DossierInvalid([DossierError("", message)]) from None
    except UnicodeDecodeError as error:
        message = _("file {path} is not UTF-8 text (byte {byte})").format(
            path=path, byte=error.start
        )
        raise DossierInvalid([DossierError("", message)]) from None
    return parse_dossier_text(text)


# The strict pieces for other JSON readers that must refuse the same texts (meter readings).
strict_json_object = _object
strict_json_constant = _constant
