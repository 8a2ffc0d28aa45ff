"""What the dossier commands share: reading a file and reporting errors on stderr, exit 2."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emissions.dossier import DossierInvalid, load_dossier_file
from zerocarbon.errors import MAX_LISTED_ERRORS, DomainError


def parse_as_of(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = _("--as-of {value!r} is not a date (YYYY-MM-DD).").format(value=text)
        raise CommandError(message, returncode=2) from None


def load_file(path: str) -> object:
    try:
        return load_dossier_file(path)
    except DossierInvalid as invalid:
        raise CommandError(
            _lines(path, [(e.path, e.message) for e in invalid.errors]), returncode=2
        ) from None


def domain_error(path: str, error: DomainError) -> CommandError:
    details = [(e.path, e.message) for e in error.errors]
    return CommandError(_lines(path, details, headline=error.message), returncode=2)


def _lines(path: str, errors: list[tuple[str, str]], headline: str = "") -> str:
    """The headline, then the first MAX_LISTED_ERRORS errors and how many more there are."""
    total, more = len(errors), len(errors) - MAX_LISTED_ERRORS
    invalid = ngettext(
        "{path}: the dossier is invalid ({count} error).",
        "{path}: the dossier is invalid ({count} errors).",
        total,
    )
    head = headline or invalid.format(path=path, count=total)
    listed = "".join(f"\n  {p or '/'}: {m}" for p, m in errors[:MAX_LISTED_ERRORS])
    tail = _("… and {more:,} more (the first {listed} of {total:,} are listed)")
    tail = tail.format(more=more, listed=MAX_LISTED_ERRORS, total=total)
    return head + listed + (f"\n  {tail}" if more > 0 else "")
