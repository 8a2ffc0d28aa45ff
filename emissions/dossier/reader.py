"""Read a `zerocarbon.dossier/1` document: check every reading rule, then normalise it.

`read_dossier` reports all breaches at once (`DossierInvalid.errors`, sorted by JSON path):
first the whole-document rules (nesting depth, forbidden characters), then the schema's
(shape, keys, types, enums, storage limits), then the rules that need the factor set, the
registry directory or the evaluation date. A valid dossier gives its normalised document (what
the platform stores and exports) and the accounting kernel's `InventoryInput`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from emissions.accounting.factors import FactorSet
from emissions.accounting.inputs import InventoryInput
from emissions.dossier.checks_emissions import check_gases, check_scope3
from emissions.dossier.checks_energy import check_energy
from emissions.dossier.checks_general import check_factory, check_period
from emissions.dossier.checks_instruments import check_instruments
from emissions.dossier.context import Context, unsound_paths
from emissions.dossier.document import check_document
from emissions.dossier.errors import DossierError, DossierInvalid, pointer
from emissions.dossier.inventory import build_inventory
from emissions.dossier.normalise import Document, normalise_document
from emissions.dossier.registries import NO_DIRECTORY, RegistryDirectory
from emissions.dossier.schema import schema_errors

_CHECKS: tuple[Callable[[Context], Iterator[DossierError]], ...] = (
    check_factory,
    check_period,
    check_energy,
    check_gases,
    check_scope3,
    check_instruments,
)


@dataclass(frozen=True)
class ReadDossier:
    """A dossier that passed every reading rule.

    `document` is the normalised dossier (Decimals, dates, defaults filled, short province
    name): what the import service stores and the export writes back. `gates_raw` and
    `answers_raw` are the declared gates and rubric answers, checked by the rubric layer.
    """

    document: Document
    inventory: InventoryInput
    rubric_code: str
    gates_raw: Mapping[str, Any]
    answers_raw: Mapping[str, Any]
    warnings: tuple[str, ...] = ()


def semantic_errors(
    data: Mapping[str, object],
    schema_found: list[DossierError],
    factors: FactorSet,
    as_of: date,
    registries: RegistryDirectory = NO_DIRECTORY,
) -> list[DossierError]:
    """Breaches of the rules beyond the schema, in the parts the schema found sound."""
    unsound = unsound_paths(error.path for error in schema_found)
    ctx = Context(data=data, factors=factors, as_of=as_of, unsound=unsound, registries=registries)
    return [error for check in _CHECKS for error in check(ctx)]


def read_dossier(
    data: object,
    *,
    factors: FactorSet,
    as_of: date,
    registries: RegistryDirectory = NO_DIRECTORY,
) -> ReadDossier:
    """Check and normalise a parsed dossier; raises `DossierInvalid` listing every error.

    `registries` is the platform's registry directory: claims are keyed on it, and a registry
    it does not know is named in `warnings`."""
    whole = check_document(data)
    if whole.too_deep:
        raise DossierInvalid(whole.errors)
    errors = whole.errors + schema_errors(data)
    if isinstance(data, Mapping):
        errors += semantic_errors(data, errors, factors, as_of, registries)
    if errors or not isinstance(data, Mapping):
        raise DossierInvalid(errors)
    document = normalise_document(data)
    return ReadDossier(
        document=document,
        inventory=build_inventory(document),
        rubric_code=document["rubric"],
        gates_raw=document["gates"],
        answers_raw=document.get("answers", {}),
        warnings=tuple(_registry_warnings(document, registries)),
    )


def _registry_warnings(document: Document, registries: RegistryDirectory) -> Iterator[str]:
    for section in ("green_electricity", "credits"):
        for index, entry in enumerate(document.get(section, [])):
            name = entry.get("registry", "")
            if registries.is_unknown(name):
                # Not translated: a warning is part of the evaluation result, a record that
                # the command line and the worker must write alike in any language.
                yield (
                    f"{pointer(section, index, 'registry')}: registry {name!r} is not in the"
                    " platform's list of registries; its certificates are claimed under"
                    f" {registries.key(name)!r}"
                )
