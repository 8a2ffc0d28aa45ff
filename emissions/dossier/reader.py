"""Read a `zerocarbon.dossier/1` document: check every reading rule, then normalise it.

`read_dossier` reports all breaches at once (`DossierInvalid.errors`, sorted by JSON path):
first the schema's (shape, keys, types, enums), then the rules that need the factor set or the
evaluation date. A valid dossier gives its normalised document (what the platform stores and
exports) and the accounting kernel's `InventoryInput`.
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
from emissions.dossier.context import Context
from emissions.dossier.errors import DossierError, DossierInvalid
from emissions.dossier.inventory import build_inventory
from emissions.dossier.normalise import Document, normalise_document
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


def semantic_errors(
    data: Mapping[str, object], schema_found: list[DossierError], factors: FactorSet, as_of: date
) -> list[DossierError]:
    """Breaches of the rules beyond the schema, in the parts the schema found sound."""
    unsound = frozenset(error.path for error in schema_found)
    ctx = Context(data=data, factors=factors, as_of=as_of, unsound=unsound)
    return [error for check in _CHECKS for error in check(ctx)]


def read_dossier(data: object, *, factors: FactorSet, as_of: date) -> ReadDossier:
    """Check and normalise a parsed dossier; raises `DossierInvalid` listing every error."""
    errors = schema_errors(data)
    if isinstance(data, Mapping):
        errors += semantic_errors(data, errors, factors, as_of)
    if errors or not isinstance(data, Mapping):
        raise DossierInvalid(errors)
    document = normalise_document(data)
    return ReadDossier(
        document=document,
        inventory=build_inventory(document),
        rubric_code=document["rubric"],
        gates_raw=document["gates"],
        answers_raw=document.get("answers", {}),
    )
