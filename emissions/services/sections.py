"""An inventory section written as a whole (the browser editor): the section's entries put
into the inventory's document, the document read by the dossier reader, and only then the
section's lines replaced, in one transaction.

One validation path (`changes.check`): errors come back at their document paths
(`/energy/2/unit`), so the editor shows each at its row and field. Serial ranges of green
electricity and credits are claimed again across the platform, as `records` claims them; a
range already claimed elsewhere refuses the whole save. Nothing is written when anything is
refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import ngettext

from emissions import history, selectors
from emissions.dossier.claims import RANGED_SECTIONS, document_claims
from emissions.dossier.layout import LIST_SECTIONS
from emissions.dossier.registries import RegistryDirectory
from emissions.models import Inventory
from emissions.services import changes, records
from emissions.services.inventory import (
    LINE_MODELS,
    AlreadyClaimed,
    Instrument,
    claim_serials,
    line_values,
)
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.db import retrying_transaction

Entries = Sequence[Mapping[str, Any]]
# An inventory's own fields, by the editor section that shows them.
HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "header": changes.HEADER_KEYS,
    "production": (
        "production_output",
        "production_unit",
        "baseline_year",
        "baseline_emissions_tco2e",
        "baseline_output",
    ),
}


def document_paths(found: str) -> str:
    """Errors stay at their document paths: the editor shows the whole section."""
    return found


def replace_section(actor: Actor, inventory: Inventory, section: str, entries: Entries) -> int:
    """The section's lines replaced by `entries` (in their order), checked in the whole
    document of the inventory; returns how many lines the section now has. Raises
    ChangeRejected / AlreadyClaimed (400, errors at `/<section>/<index>/<key>`),
    InventoryLocked (409), PermissionDenied / NotFound."""
    if section not in LIST_SECTIONS:
        raise ValueError(f"{section!r} is not a list section of the dossier")
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    return retrying_transaction(lambda: _replace(inventory.pk, section, entries))


def _replace(inventory_pk: int, section: str, entries: Entries) -> int:
    inventory = records.editable_inventory(inventory_pk)
    document = changes.inventory_document(inventory)
    document[section] = [changes.present(entry) for entry in entries]
    registries = selectors.registry_directory()
    read = changes.check(document, inventory.factor_set, document_paths, registries=registries)
    model = LINE_MODELS[section]
    old = list(model.objects.filter(inventory=inventory))
    with history.deletes_recorded():
        model.objects.filter(inventory=inventory).delete()  # their serial claims go with them
    lines: list[Any] = model.objects.bulk_create(
        model(inventory=inventory, position=position, **line_values(section, entry))
        for position, entry in enumerate(read.document.get(section, []))
    )
    history.replace_recorded(old, lines)
    _claim(section, lines, read.document, registries)
    return len(lines)


def _claim(
    section: str,
    lines: list[Instrument],
    document: Mapping[str, Any],
    registries: RegistryDirectory,
) -> None:
    if section not in RANGED_SECTIONS:
        return
    owned = [
        (claim, lines[claim.index])
        for claim in document_claims(document, registries)
        if claim.section == section
    ]
    errors = claim_serials(owned)
    if errors:
        raise AlreadyClaimed(_claimed_message(len(errors)), errors)


def _claimed_message(count: int) -> str:
    message = ngettext(
        "{count} serial range is already claimed on the platform; nothing was saved.",
        "{count} serial ranges are already claimed on the platform; nothing was saved.",
        count,
    )
    return message.format(count=count)


def save_fields(
    actor: Actor, inventory: Inventory, section: str, fields: Mapping[str, Any]
) -> Inventory:
    """The inventory's own fields of one editor section (`header`: year, boundary, GWP set,
    grid scope; `production`: production and baseline), checked in the whole document; a
    field left out or None is cleared. Errors at `/year`, `/production_output`, ..."""
    keys = HEADER_FIELDS[section]
    wanted = {key: fields.get(key) for key in keys}
    return records.update_inventory(actor, inventory, wanted, partial=True)
