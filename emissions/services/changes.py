"""A change to stored data, checked as a dossier is: the change is applied to the document of
what it touches and the document goes through the dossier reader, so that a form, the API
and a dossier file accept and refuse exactly the same values (docs/architecture.md: every
input becomes a document first).

Errors come back at the paths of the request, not of the document: `/energy/3/unit` is
`/unit` of the record being written, `/production/output` is `/production_output` of an
inventory, `/factory/province` is `/province` of a factory. An error elsewhere in the
document (another line that the change now clashes with) keeps its document path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import ngettext

from emissions import selectors
from emissions.dossier import DossierInvalid, ReadDossier, read_dossier, to_jsonable
from emissions.dossier.layout import SCHEMA_ID
from emissions.dossier.registries import RegistryDirectory
from emissions.models import FactorSet, Factory, Inventory
from zerocarbon.errors import FieldError, ValidationFailed

Paths = Callable[[str], str]
Document = dict[str, Any]
HEADER_KEYS = ("year", "boundary", "gwp_set", "grid_factor_scope")
# Objects of the document whose keys an inventory carries flat: production.output is
# production_output.
HEADER_OBJECTS = ("production", "baseline")
# What a document needs around a factory alone; none of it can break a rule.
_ANY_BOUNDARY = "I"


class ChangeRejected(ValidationFailed):
    """The change breaks a reading rule of the dossier format; nothing was written (400)."""


def present(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields given a value: null in a request clears an optional field (absent)."""
    return {key: value for key, value in fields.items() if value is not None}


def merged(current: Mapping[str, Any], changes: Mapping[str, Any], *, partial: bool) -> Document:
    """PATCH changes what it names; PUT replaces everything."""
    return present({**current, **changes} if partial else changes)


def inventory_document(inventory: Inventory) -> Document:
    """The stored inventory as the dossier JSON a client would send (decimal strings, ISO
    dates), the gates aside: a change to it is read exactly as a dossier file is."""
    document = to_jsonable(selectors.inventory_document(inventory))
    document["gates"] = {}
    return document


def factory_document(entry: Mapping[str, Any], today: date) -> Document:
    """A document holding nothing but this factory, to check it by the same rules."""
    return {
        "schema": SCHEMA_ID,
        "factory": dict(entry),
        "year": today.year,
        "boundary": _ANY_BOUNDARY,
        "energy": [],
        "gates": {},
    }


def new_inventory_document(factory: Factory, header: Mapping[str, Any]) -> Document:
    document = {"schema": SCHEMA_ID, "factory": selectors.factory_entry(factory)}
    return {**to_jsonable(document), **header, "energy": [], "gates": {}}


def header(fields: Mapping[str, Any]) -> Document:
    """An inventory's fields (`production_output`, ...) as the document's top-level keys."""
    found = {key: fields[key] for key in HEADER_KEYS if key in fields}
    for name in HEADER_OBJECTS:
        prefix = f"{name}_"
        part = {key.removeprefix(prefix): v for key, v in fields.items() if key.startswith(prefix)}
        if part:
            found[name] = part
    return found


def header_fields(document: Mapping[str, Any]) -> Document:
    """The reverse of `header`: the document's top-level keys as an inventory's fields."""
    fields = {key: document[key] for key in HEADER_KEYS if key in document}
    for name in HEADER_OBJECTS:
        fields |= {f"{name}_{key}": value for key, value in document.get(name, {}).items()}
    return fields


def with_header(document: Document, fields: Mapping[str, Any]) -> Document:
    kept = {key: v for key, v in document.items() if key not in (*HEADER_KEYS, *HEADER_OBJECTS)}
    return {**kept, **header(fields)}


def entry_paths(section: str, index: int) -> Paths:
    """Document paths of one line as paths of the request that writes it."""
    prefix = f"/{section}/{index}"

    def path(found: str) -> str:
        if found == prefix:
            return "/"
        return found.removeprefix(prefix) if found.startswith(prefix + "/") else found

    return path


def header_paths(found: str) -> str:
    for name in HEADER_OBJECTS:
        if found.startswith(f"/{name}/"):
            return f"/{name}_" + found.removeprefix(f"/{name}/")
    return found


def factory_paths(found: str) -> str:
    if found == "/factory":
        return "/"
    return found.removeprefix("/factory") if found.startswith("/factory/") else found


def check(
    document: Document,
    factor_set: FactorSet,
    paths: Paths,
    *,
    registries: RegistryDirectory | None = None,
    today: date | None = None,
) -> ReadDossier:
    """The document read by the dossier reader (the rules as of today); raises ChangeRejected
    listing every breach at its request path."""
    try:
        return read_dossier(
            document,
            factors=selectors.kernel_factor_set(factor_set),
            as_of=today or timezone.localdate(),
            registries=selectors.registry_directory() if registries is None else registries,
        )
    except DossierInvalid as invalid:
        count = len(invalid.errors)
        message = ngettext(
            "The change breaks {count} rule of the dossier format; nothing was saved.",
            "The change breaks {count} rules of the dossier format; nothing was saved.",
            count,
        )
        errors = [FieldError(paths(error.path), error.message) for error in invalid.errors]
        raise ChangeRejected(message.format(count=count), errors) from None
