"""Evaluating dossier files without saving anything: one file, or many in one process.

Through the one entry point (`services.dossier.evaluate_full`). A batch reads its references
(default factor set, registries, rubric editions) once, when it starts, and
`kernel_factor_set` / `scoring_rubric` cache the parsed published ones, so a file costs no
query. A batch never stops at a bad file: each file gives one JSON line,
`{"file", "result"}` or `{"file", "errors", "total"}`, the errors as the API lists them (the
first MAX_LISTED_ERRORS, `total` saying how many were found)."""

from __future__ import annotations

import gc
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.utils.translation import gettext as _

from assessments.services import dossier
from emissions.accounting import exact_json
from emissions.dossier import DossierInvalid, load_dossier_file
from zerocarbon.errors import MAX_LISTED_ERRORS, DomainError


class _PathError(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class FileLine:
    """One file's line of a batch: `invalid` says whether it carries errors, not a result."""

    text: str
    invalid: bool


def batch_lines(paths: Iterable[str], *, as_of: date) -> Generator[FileLine, None, None]:
    """One line per file, in the order given.

    While it runs, what the process holds before its files (Django, the references) is set
    aside from the garbage collector (`gc.freeze`): its full collections no longer walk those
    objects again and again, a tenth of a batch's time; they are handed back at the end."""
    references = _references()
    gc.freeze()
    try:
        for path in paths:
            yield file_line(path, as_of=as_of, references=references)
    finally:
        gc.unfreeze()


def _references() -> dossier.References | None:
    """None when there are none to share (no published factor set): each file then reads
    them itself and its line says what is missing, as for a single file."""
    try:
        return dossier.References.current()
    except DomainError:
        return None


def file_line(path: str, *, as_of: date, references: dossier.References | None = None) -> FileLine:
    try:
        data = load_dossier_file(path)
        full = dossier.read_full_dossier(data, as_of=as_of, references=references)
    except DossierInvalid as invalid:
        return _errors_line(path, invalid.errors)
    except DomainError as error:
        return _errors_line(path, error.errors)
    except OSError as error:  # a folder, no permission: FileNotFoundError is a DossierInvalid
        message = _("file {path} cannot be read: {error}").format(path=path, error=error)
        return _errors_line(path, [_Unreadable("", message)])
    result = dossier.evaluate_full(full, as_of=as_of).result
    return FileLine(_one_line({"file": path, "result": result}), invalid=False)


@dataclass(frozen=True)
class _Unreadable:
    path: str
    message: str


def _errors_line(path: str, errors: Iterable[_PathError]) -> FileLine:
    found = [{"path": error.path, "message": error.message} for error in errors]
    record = {"file": path, "errors": found[:MAX_LISTED_ERRORS], "total": len(found)}
    return FileLine(_one_line(record), invalid=True)


def _one_line(record: dict[str, Any]) -> str:
    return exact_json.dumps(record, separators=(",", ":"))
