"""Domain errors shared by every app. Services raise them; interfaces map them to one JSON
error shape (400/404/409) or a form message. Nothing here knows about HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldError:
    """One problem with one input: `path` is a JSON pointer or a form field name."""

    path: str
    message: str


class DomainError(Exception):
    """Base of the errors a user can act on."""

    code = "invalid"

    def __init__(self, message: str, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = tuple(errors)


class ValidationFailed(DomainError):
    """The input is wrong; `errors` says where and why. Nothing was written."""


class NotFound(DomainError):
    """Absent, or belonging to another organisation: the two are indistinguishable."""

    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (a transition, a claimed serial)."""

    code = "conflict"


class PermissionDenied(DomainError):
    """The actor can see the object but their role may not do this."""

    code = "permission_denied"


class Unavailable(DomainError):
    """Nothing is wrong with the request, but it cannot be done right now (503): the client
    may send it again after `retry_after_seconds`. Nothing was written."""

    code = "unavailable"
    retry_after_seconds = 5


MAX_LISTED_ERRORS = 100
"""An answer (API, browser page, command line) lists at most this many errors, plus how many
were found: enough to fix a file in rounds, and 60,000 errors never make a 10 MB answer."""


def more_errors_note(total: int) -> str:
    """What an answer says when it lists only the first MAX_LISTED_ERRORS of `total` errors."""
    message = _("{total:,} errors were found; the first {listed} are listed.")
    return message.format(total=total, listed=MAX_LISTED_ERRORS)
