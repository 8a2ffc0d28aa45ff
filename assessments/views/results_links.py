"""Links from a dossier path to the editor field it names (the results area's pages).

A dossier error or a failed evaluation names document paths (`/energy/2/unit`); the editor
shows each section on its own page and gives every field the id of the `anchor` filter, so a
path becomes `inventory-edit?section=<section>#f-energy-2-unit`. The section is the path's
first segment, except the header's keys (factory, year, boundary, …: section `header`) and
the baseline (on the production page); answers and gates have pages of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from assessments.models import Assessment
from emissions.dossier.layout import TOP_LEVEL_KEYS
from zerocarbon.errors import FieldError
from zerocarbon.templatetags import anchor

HEADER_KEYS = frozenset(
    {"schema", "factory", "year", "boundary", "rubric", "gwp_set", "grid_factor_scope"}
)
SECTION_OF = {"baseline": "production"}
ASSESSMENT_PAGES = {"answers": "assessment-answers", "gates": "assessment-gates"}
# A document path inside a sentence: a top-level key and its segments (/credits/0/serial_to).
PATH_IN_TEXT = re.compile(
    r"(?<![\w/])/(?:{keys})(?:/[\w.-]+)*".format(keys="|".join(map(re.escape, TOP_LEVEL_KEYS)))
)


@dataclass(frozen=True)
class ErrorLink:
    path: str
    message: str
    url: str


def section_of(path: str) -> str:
    first = path.strip("/").split("/")[0]
    if first in HEADER_KEYS or first not in TOP_LEVEL_KEYS:
        return "header"
    return SECTION_OF.get(first, first)


def field_url(assessment: Assessment, path: str) -> str:
    section = section_of(path)
    if section in ASSESSMENT_PAGES:
        return f"{reverse(ASSESSMENT_PAGES[section], args=[assessment.pk])}#{anchor(path)}"
    edit = reverse("inventory-edit", args=[assessment.inventory_id])
    return f"{edit}?section={section}#{anchor(path)}"


def error_links(assessment: Assessment, errors: Iterable[FieldError]) -> list[ErrorLink]:
    return [ErrorLink(e.path, e.message, field_url(assessment, e.path)) for e in errors]


def paths_in(text: str) -> list[FieldError]:
    """The document paths a stored message names, once each, in order."""
    paths = dict.fromkeys(match.group(0) for match in PATH_IN_TEXT.finditer(text))
    return [FieldError(path, "") for path in paths]
