"""What the properties share: what an error list and a JSON pointer must look like, and a
savepoint per example for the properties that write to the database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import transaction

# RFC 6901: "" (the whole document) or "/"-separated tokens, "~" only as "~0" or "~1".
JSON_POINTER = re.compile(r"(/([^~/]|~[01])*)*", re.DOTALL)


class PathError(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def message(self) -> str: ...


def is_text(value: object) -> bool:
    """A string that is Unicode text (no lone surrogate), so that UTF-8 can carry it."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_json_pointer(path: object) -> bool:
    return is_text(path) and JSON_POINTER.fullmatch(str(path)) is not None


def assert_errors_with_paths(errors: Iterable[PathError], shown: Any = None) -> None:
    """At least one error; each at a valid JSON pointer, each with a message."""
    found = list(errors)
    assert found, f"refused without any error: {shown!r:.300}"
    for error in found:
        assert is_json_pointer(error.path), f"not a JSON pointer: {error.path!r} ({error!r})"
        assert is_text(error.message), f"not Unicode text: {error.message!r}"
        assert error.message.strip(), f"empty message at {error.path!r}"


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone at the end, whatever happened inside (even a broken transaction)."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
