"""Domain errors shared by every app. Services raise them; interfaces map them to one JSON
error shape (400/404/409) or a form message. Nothing here knows about HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
