"""Replace an inventory's draft with a whole document: a re-imported dossier or spreadsheet, or
the snapshot of an earlier evaluation (discarding a draft).

The document is read by the dossier reader like every other input; the header, every line and
the serial claims are then written anew in one transaction under the inventory's row lock, so
nothing is half-replaced. The old claims go with the old lines before the new ones are made,
so that the same certificates can be claimed again, and any other overlap is refused at its
path (`/credits/2/serial_from`). The factory and the year stay: a document for another factory
or year is refused at `/factory/credit_code` or `/year`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from emissions import history, selectors
from emissions.dossier.claims import document_claims
from emissions.dossier.registries import RegistryDirectory
from emissions.models import Inventory
from emissions.services import changes, records
from emissions.services.inventory import (
    LINE_MODELS,
    AlreadyClaimed,
    Instrument,
    claim_serials,
    factory_values,
    inventory_values,
    line_values,
)
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.db import retrying_transaction
from zerocarbon.errors import FieldError, ValidationFailed


class NotThisInventory(ValidationFailed):
    """The document is of another factory or year than the inventory it would replace (400)."""


def _keep_paths(found: str) -> str:
    return found


def replace_inventory(actor: Actor, inventory: Inventory, document: Mapping[str, Any]) -> Inventory:
    """Replace the inventory's header and lines by those of a dossier document (its gates and
    answers are the assessment's: `assessments.services.reimport.replace_dossier`)."""
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    checked = {**document, "gates": document.get("gates", {})}
    read = changes.check(dict(checked), inventory.factor_set, _keep_paths)
    registries = selectors.registry_directory()
    return retrying_transaction(lambda: write_replacement(inventory.pk, read.document, registries))


def write_replacement(
    inventory_pk: int, document: Mapping[str, Any], registries: RegistryDirectory
) -> Inventory:
    """Inside the caller's transaction: write a read (normalised) document over the inventory.
    Raises InventoryLocked, NotThisInventory or AlreadyClaimed, and then the caller's
    transaction must roll back."""
    inventory = records.editable_inventory(inventory_pk)
    _refuse_other(inventory, document)
    _update_factory(inventory, document["factory"])
    for key, value in inventory_values(document).items():
        setattr(inventory, key, value)
    inventory.save()
    for section, model in LINE_MODELS.items():
        old = list(model.objects.filter(inventory=inventory))
        with history.deletes_recorded():
            model.objects.filter(inventory=inventory).delete()  # their claims cascade
        new = model.objects.bulk_create(
            model(inventory=inventory, position=position, **line_values(section, entry))
            for position, entry in enumerate(document.get(section, []))
        )
        history.replace_recorded(old, new)
    errors = _claim(inventory, document, registries)
    if errors:
        raise AlreadyClaimed(_("Some serial ranges are already claimed."), errors)
    return inventory


def _refuse_other(inventory: Inventory, document: Mapping[str, Any]) -> None:
    errors = other_inventory(inventory, document)
    if errors:
        raise NotThisInventory(_("The file is for another factory or year."), errors)


def other_inventory(inventory: Inventory, document: Mapping[str, Any]) -> list[FieldError]:
    """Errors at `/factory/credit_code` and `/year` when a read document is of another
    factory or year than the inventory."""
    errors = []
    code, expected_code = document["factory"]["credit_code"], inventory.factory.credit_code
    if code != expected_code:
        message = _("this file is for the factory {code}; expected {expected}")
        errors.append(
            FieldError("/factory/credit_code", message.format(code=code, expected=expected_code))
        )
    if document["year"] != inventory.year:
        message = _("this file is for {year}; expected {expected}")
        errors.append(
            FieldError("/year", message.format(year=document["year"], expected=inventory.year))
        )
    return errors


def _update_factory(inventory: Inventory, entry: Mapping[str, Any]) -> None:
    """The factory's own fields as the document gives them; refused while another of its
    inventories is locked, since the factory is part of what that one evaluates."""
    factory = inventory.factory
    values = factory_values(entry)
    if all(getattr(factory, key) == value for key, value in values.items()):
        return
    others = Inventory.objects.select_for_update().filter(factory=factory).exclude(pk=inventory.pk)
    years = sorted(other.year for other in others if other.status == Inventory.Status.LOCKED)
    if years:
        message = _(
            "{factory} cannot change while its inventory of {years} is locked for evaluation"
            " or review; leave the factory's fields as they are or reopen that assessment."
        )
        years_text = ", ".join(str(year) for year in years)
        raise records.InventoryLocked(message.format(factory=factory.name, years=years_text))
    for key, value in values.items():
        setattr(factory, key, value)
    factory.save()


def _claim(
    inventory: Inventory, document: Mapping[str, Any], registries: RegistryDirectory
) -> list[FieldError]:
    owners: dict[tuple[str, int], Instrument] = {
        ("green_electricity", line.position): line for line in inventory.green_electricity.all()
    } | {("credits", line.position): line for line in inventory.credits.all()}
    claims = document_claims(document, registries)
    return claim_serials([(claim, owners[claim.section, claim.index]) for claim in claims])
