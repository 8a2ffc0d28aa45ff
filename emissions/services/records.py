"""Factories, inventories and their lines written one at a time (the REST API), each change
checked by the dossier's rules in the document it changes (`changes`) before it is written.

An inventory is locked (`Inventory.Status.LOCKED`) while it is under evaluation or review: the
assessment workflow locks it in the transaction that submits an assessment and unlocks it when
the last assessment using it is reopened. Its lines, its own fields and its factory do not
change meanwhile (409), so that what is evaluated is what was submitted. Writes take the
inventory's row lock first, so a write and a submission are ordered one way or the other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Model, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from emissions import history, selectors
from emissions.dossier.claims import RANGED_SECTIONS, document_claims
from emissions.dossier.registries import RegistryDirectory
from emissions.models import FactorSet, Factory, Inventory, SerialClaim
from emissions.services import changes
from emissions.services.inventory import (
    LINE_MODELS,
    AlreadyClaimed,
    claim_serials,
    factory_values,
    inventory_values,
    line_values,
)
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.db import retrying_transaction
from zerocarbon.errors import Conflict, FieldError, NotFound, ValidationFailed

Fields = Mapping[str, Any]


class InventoryLocked(Conflict):
    """The inventory is under evaluation or review (409)."""

    code = "locked"


# Locks


def lock_inventory(inventory_pk: int) -> None:
    """From now on the inventory does not change: the assessment workflow calls this in the
    transaction of a submission."""
    _set_status(inventory_pk, Inventory.Status.LOCKED)


def move_to_factor_set(inventory_pks: Collection[int], factor_set: FactorSet) -> None:
    """Rate the inventories with another published factor set from now on (a re-rating after
    a new set was published; their data stays as it is, locked or not), in one update
    whatever their number. Recorded in the trail, a row for each."""
    if not factor_set.is_published:
        raise ValueError(f"factor set {factor_set.version} is not published")
    inventories = Inventory.objects.filter(pk__in=list(inventory_pks))
    history.update_recorded(inventories, factor_set=factor_set)


def hold_inventory(inventory_pk: int) -> None:
    """Take the inventory's row lock until the transaction ends (its writes take it too)."""
    list(Inventory.objects.select_for_update().filter(pk=inventory_pk).values_list("pk", flat=True))


def unlock_inventory(inventory_pk: int) -> None:
    """The inventory may change again: no assessment is evaluating or reviewing it."""
    _set_status(inventory_pk, Inventory.Status.DRAFT)


def _set_status(inventory_pk: int, status: str) -> None:
    history.update_recorded(Inventory.objects.filter(pk=inventory_pk), status=status)


def editable_inventory(inventory_pk: int) -> Inventory:
    """The inventory under its row lock (only its own row: the factor set is shared by all),
    refused while it is locked: every write of an inventory's data starts here."""
    inventory = (
        Inventory.objects.select_for_update(of=("self",))
        .select_related("factory__organisation", "factor_set")
        .get(pk=inventory_pk)
    )
    if inventory.status == Inventory.Status.LOCKED:
        message = _(
            "{inventory} is locked: it is under evaluation or review. Reopen its assessment "
            "to change it."
        )
        raise InventoryLocked(message.format(inventory=inventory))
    return inventory


def _write_allowed(actor: Actor, factory: Factory) -> None:
    require_write(actor, factory.organisation, factory=factory)


# Factories


def create_factory(actor: Actor, organisation: Organisation, fields: Fields) -> Factory:
    """A new factory of the organisation: its fields checked as a dossier's `factory`, the
    grid region derived from the province, the credit code unique in the organisation."""
    require_write(actor, organisation)
    if not organisation.owns_factories:
        message = _("{organisation} is a certification body; it owns no factories")
        raise ValidationFailed(
            _("A certification body owns no factories."),
            [FieldError("/organisation", message.format(organisation=organisation.name))],
        )
    entry = _checked_factory(changes.present(fields))
    with transaction.atomic():
        _refuse_taken_code(organisation, entry["credit_code"])
        try:
            with transaction.atomic():
                return Factory.objects.create(
                    organisation=organisation,
                    credit_code=entry["credit_code"],
                    **factory_values(entry),
                )
        except IntegrityError:  # the same code created at the same moment
            raise _code_taken(entry["credit_code"]) from None


def update_factory(actor: Actor, factory: Factory, fields: Fields, *, partial: bool) -> Factory:
    """Change a factory (PATCH: the fields given; PUT: all of them). Refused while one of its
    inventories is locked: the factory is part of what is evaluated."""
    _write_allowed(actor, factory)
    with transaction.atomic():
        locked = Factory.objects.select_for_update().get(pk=factory.pk)
        # Their row locks order this change and a submission of any of them.
        states = Inventory.objects.select_for_update().filter(factory=locked)
        years = sorted(i.year for i in states if i.status == Inventory.Status.LOCKED)
        if years:
            message = _(
                "{factory} cannot change while its inventory of {years} is locked for "
                "evaluation or review; reopen the assessment first."
            )
            years_text = ", ".join(str(year) for year in years)
            raise InventoryLocked(message.format(factory=locked.name, years=years_text))
        current = selectors.factory_entry(locked)
        entry = _checked_factory(changes.merged(current, fields, partial=partial))
        if entry["credit_code"] != locked.credit_code:
            _refuse_taken_code(locked.organisation, entry["credit_code"])
        locked.credit_code = entry["credit_code"]
        for key, value in factory_values(entry).items():
            setattr(locked, key, value)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:  # the same code taken at the same moment
            raise _code_taken(entry["credit_code"]) from None
    return locked


def _checked_factory(entry: Fields) -> dict[str, Any]:
    document = changes.factory_document(entry, timezone.localdate())
    factor_set = selectors.default_factor_set()
    read = changes.check(document, factor_set, changes.factory_paths)
    checked: dict[str, Any] = read.document["factory"]
    return checked


def _refuse_taken_code(organisation: Organisation, code: str) -> None:
    if Factory.objects.filter(organisation=organisation, credit_code=code).exists():
        raise _code_taken(code)


def _code_taken(code: str) -> Conflict:
    message = _("your organisation already has a factory with credit code {code}")
    return Conflict(
        _("The credit code is taken."), [FieldError("/credit_code", message.format(code=code))]
    )


# Inventories


def create_inventory(actor: Actor, factory: Factory, fields: Fields) -> Inventory:
    """A new inventory of the factory for one year, without lines, on the default factor
    set; its fields checked as a dossier's."""
    _write_allowed(actor, factory)
    factor_set = selectors.default_factor_set()
    header = changes.header(changes.present(fields))
    document = changes.new_inventory_document(factory, header)
    read = changes.check(document, factor_set, changes.header_paths)
    values = inventory_values(read.document)
    with transaction.atomic():
        _refuse_taken_year(factory, values["year"])
        try:
            with transaction.atomic():
                return Inventory.objects.create(factory=factory, factor_set=factor_set, **values)
        except IntegrityError:  # the same year created at the same moment
            raise _year_taken(factory, values["year"]) from None


def update_inventory(
    actor: Actor, inventory: Inventory, fields: Fields, *, partial: bool
) -> Inventory:
    """Change an inventory's own fields, checked in its whole document (a new GWP set must
    have every gas of its lines, a baseline year must not be after the year, ...)."""
    _write_allowed(actor, inventory.factory)
    return retrying_transaction(lambda: _update_inventory(inventory.pk, fields, partial))


def _update_inventory(pk: int, fields: Fields, partial: bool) -> Inventory:
    inventory = editable_inventory(pk)
    document = changes.inventory_document(inventory)
    wanted = changes.merged(changes.header_fields(document), fields, partial=partial)
    changed = changes.with_header(document, wanted)
    read = changes.check(changed, inventory.factor_set, changes.header_paths)
    values = inventory_values(read.document)
    if values["year"] != inventory.year:
        _refuse_taken_year(inventory.factory, values["year"])
    for key, value in values.items():
        setattr(inventory, key, value)
    inventory.save()
    return inventory


def delete_inventory(actor: Actor, inventory: Inventory) -> None:
    """Delete an inventory with its lines and their claims; refused while it is locked or
    while an assessment uses it."""
    _write_allowed(actor, inventory.factory)
    with transaction.atomic():
        locked = editable_inventory(inventory.pk)
        try:
            locked.delete()
        except ProtectedError as error:
            kinds = sorted({_(str(obj._meta.verbose_name)) for obj in error.protected_objects})
            message = _("{inventory} is used by: {kinds}; delete those first.")
            raise Conflict(message.format(inventory=locked, kinds=", ".join(kinds))) from None


def _refuse_taken_year(factory: Factory, year: int) -> None:
    if Inventory.objects.filter(factory=factory, year=year).exists():
        raise _year_taken(factory, year)


def _year_taken(factory: Factory, year: int) -> Conflict:
    message = _("{factory} already has an inventory for {year}.")
    return Conflict(
        message.format(factory=factory.name, year=year),
        [FieldError("/year", _("an inventory for {year} exists already").format(year=year))],
    )


# Lines


def add_line(actor: Actor, inventory: Inventory, section: str, fields: Fields) -> Model:
    """A new last line of the section (`energy`, `credits`, ...), checked in the inventory's
    document; a ranged instrument claims its serials across the platform."""
    _write_allowed(actor, inventory.factory)
    return retrying_transaction(lambda: _add_line(inventory.pk, section, fields))


def _add_line(inventory_pk: int, section: str, fields: Fields) -> Model:
    inventory = editable_inventory(inventory_pk)
    document = changes.inventory_document(inventory)
    lines = document.setdefault(section, [])
    index = len(lines)
    lines.append(changes.present(fields))
    registries = selectors.registry_directory()
    paths = changes.entry_paths(section, index)
    read = changes.check(document, inventory.factor_set, paths, registries=registries)
    model = LINE_MODELS[section]
    last = model.objects.filter(inventory=inventory).aggregate(last=Max("position"))["last"]
    line: Model = model.objects.create(
        inventory=inventory,
        position=0 if last is None else last + 1,
        **line_values(section, read.document[section][index]),
    )
    _claim(line, section, index, read.document, registries)
    return line


def update_line(actor: Actor, line: Any, section: str, fields: Fields, *, partial: bool) -> Model:
    """Change a line (PATCH: the fields given; PUT: all of them); its serial claim is released
    and made again for the new range, all or nothing."""
    _write_allowed(actor, line.inventory.factory)
    return retrying_transaction(lambda: _update_line(line, section, fields, partial))


def _update_line(line: Any, section: str, fields: Fields, partial: bool) -> Model:
    inventory = editable_inventory(line.inventory_id)
    model = LINE_MODELS[section]
    stored = model.objects.filter(pk=line.pk, inventory=inventory).first()
    if stored is None:
        raise NotFound(_("The line was deleted meanwhile."))
    index = model.objects.filter(inventory=inventory, position__lt=stored.position).count()
    document = changes.inventory_document(inventory)
    document[section][index] = changes.merged(document[section][index], fields, partial=partial)
    registries = selectors.registry_directory()
    paths = changes.entry_paths(section, index)
    read = changes.check(document, inventory.factor_set, paths, registries=registries)
    for key, value in line_values(section, read.document[section][index]).items():
        setattr(stored, key, value)
    stored.save()
    if section in RANGED_SECTIONS:
        SerialClaim.objects.filter(**{_owner_field(section): stored}).delete()
        _claim(stored, section, index, read.document, registries)
    result: Model = stored
    return result


def delete_line(actor: Actor, line: Any, section: str) -> None:
    """Delete a line; its serial claim goes with it (the range may be claimed again)."""
    _write_allowed(actor, line.inventory.factory)
    with transaction.atomic():
        inventory = editable_inventory(line.inventory_id)
        LINE_MODELS[section].objects.filter(pk=line.pk, inventory=inventory).delete()


def _owner_field(section: str) -> str:
    return "green" if section == "green_electricity" else "credit"


def _claim(
    line: Any, section: str, index: int, document: Mapping[str, Any], registries: RegistryDirectory
) -> None:
    if section not in RANGED_SECTIONS:
        return
    claims = [
        claim
        for claim in document_claims(document, registries)
        if (claim.section, claim.index) == (section, index)
    ]
    errors = claim_serials([(claim, line) for claim in claims])
    if errors:
        paths = changes.entry_paths(section, index)
        raise AlreadyClaimed(
            _("The serial range is already claimed."),
            [FieldError(paths(error.path), error.message) for error in errors],
        )
