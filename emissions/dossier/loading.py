"""Dossier JSON from a file, bytes or text, strictly: no duplicate keys, no NaN, numbers as
Decimal, a UTF-8 byte-order mark tolerated. Every import route (browser, REST, command line)
parses with this module, so the three accept and refuse exactly the same texts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from emissions.dossier.document import nodes
from emissions.dossier.errors import DossierError, DossierInvalid, pointer
from emissions.limits import MAX_DEPTH


class _DuplicateKeys(dict[str, object]):
    """An object that repeated keys; remembered so the error can name its path."""

    def __init__(self, pairs: list[tuple[str, object]], duplicates: list[str]) -> None:
        super().__init__(pairs)
        self.duplicates = duplicates


class _NotJson(ValueError):
    pass


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: set[str] = set()
    duplicates: list[str] = []
    for key, _value in pairs:
        if key in seen:
            duplicates.append(key)
        seen.add(key)
    return _DuplicateKeys(pairs, duplicates) if duplicates else dict(pairs)


def _constant(name: str) -> object:
    raise _NotJson(f"{name} is not a number JSON allows; expected a finite number")


def _duplicate_errors(data: object) -> Iterator[DossierError]:
    for node in nodes(data):  # iterative, and no deeper than the reader allows
        if isinstance(node.value, _DuplicateKeys):
            for key in node.value.duplicates:
                path = pointer(*node.path, key)
                yield DossierError(path, f"duplicate key {key!r} in one JSON object")


def parse_dossier_text(text: str) -> object:
    """Parse dossier JSON text; raises DossierInvalid for bad JSON or repeated keys."""
    try:
        data = json.loads(
            text, parse_float=Decimal, parse_constant=_constant, object_pairs_hook=_object
        )
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise DossierInvalid([DossierError("", message)]) from None
    except ValueError as error:  # _NotJson, or an integer too long to convert
        raise DossierInvalid([DossierError("", f"not valid JSON: {error}")]) from None
    except RecursionError:
        message = f"nested far more than {MAX_DEPTH} levels deep; a dossier needs only a few"
        raise DossierInvalid([DossierError("", message)]) from None
    duplicates = list(_duplicate_errors(data))
    if duplicates:
        raise DossierInvalid(duplicates)
    return data


def parse_dossier_bytes(raw: bytes) -> object:
    """Parse dossier JSON bytes (UTF-8, a byte-order mark tolerated)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (byte {error.start} cannot be decoded); save the file as UTF-8"
        raise DossierInvalid([DossierError("", message)]) from None
    return parse_dossier_text(text)


def load_dossier_file(path: str | Path) -> object:
    """Read and parse a dossier file (UTF-8, a byte-order mark is tolerated)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DossierInvalid([DossierError("", f"file not found: {path}")]) from None
    except UnicodeDecodeError as error:
        message = f"file {path} is not UTF-8 text (byte {error.start})"
        raise DossierInvalid([DossierError("", message)]) from None
    return parse_dossier_text(text)
