"""Reads of the emissions app, always scoped to the actor's organisations."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from django.db.models import Count, Max, Model, QuerySet
from django.utils.translation import gettext as _

from emissions.accounting.factors import FactorSet as KernelFactorSet
from emissions.accounting.formatting import amount
from emissions.accounting.library import factor_set_from_dict
from emissions.dossier.layout import SECTION_KEYS, TOP_LEVEL_KEYS
from emissions.dossier.registries import Registry as KernelRegistry
from emissions.dossier.registries import RegistryDirectory
from emissions.factor_library import DEFAULT_VERSION, document_of
from emissions.models import EvidenceDocument, FactorSet, Factory, Inventory, Registry
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import WRITE_ROLES, Actor, get_scoped, organisation_ids, scope
from zerocarbon.errors import FieldError, NotFound, ValidationFailed

L = TypeVar("L", bound=Model)
_VIA_LINE = "inventory__factory__organisation"
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,64}")


def factories_for(actor: Actor) -> QuerySet[Factory]:
    return scope(Factory.objects.select_related("organisation"), actor)


def factory_for(actor: Actor, pk: int) -> Factory:
    return get_scoped(Factory.objects.select_related("organisation"), actor, pk=pk)


def factory_list(actor: Actor) -> QuerySet[Factory]:
    """The actor's factories for a list page, in a stable order (pages never overlap), each
    with its number of inventories and latest year."""
    return (
        factories_for(actor)
        .annotate(inventory_count=Count("inventories"), latest_year=Max("inventories__year"))
        .order_by("name", "pk")
    )


def writable_organisations(actor: Actor) -> QuerySet[Organisation]:
    """The organisations in which the actor may create a factory (admin or consultant of an
    organisation that owns factories)."""
    return Organisation.objects.filter(pk__in=organisation_ids(actor, WRITE_ROLES)).exclude(
        kind=Organisation.Kind.CERTIFICATION_BODY
    )


def inventories_for(actor: Actor) -> QuerySet[Inventory]:
    return scope(
        Inventory.objects.select_related("factory", "factor_set"),
        actor,
        via="factory__organisation",
    )


def inventory_for(actor: Actor, pk: int) -> Inventory:
    return get_scoped(
        Inventory.objects.select_related("factory__organisation", "factor_set"),
        actor,
        via="factory__organisation",
        pk=pk,
    )


def lines_for(actor: Actor, model: type[L]) -> QuerySet[L]:
    """The actor's lines of one kind (energy records, credits, ...), in document order."""
    return scope(model._default_manager.all(), actor, via=_VIA_LINE).order_by(
        "inventory_id", "position"
    )


def line_for(actor: Actor, model: type[L], pk: int) -> L:
    queryset = model._default_manager.select_related("inventory__factory__organisation")
    return get_scoped(queryset, actor, via=_VIA_LINE, pk=pk)


def evidence_of(inventory: Inventory) -> QuerySet[EvidenceDocument]:
    """An inventory's evidence files by reference (the caller's selector scoped it)."""
    return EvidenceDocument.objects.filter(inventory=inventory).select_related("uploaded_by")


def evidence_for(actor: Actor, pk: int) -> EvidenceDocument:
    """One evidence file of the actor's organisations (404 otherwise): downloads go here."""
    queryset = EvidenceDocument.objects.select_related("inventory__factory__organisation")
    return get_scoped(queryset, actor, via=_VIA_LINE, pk=pk)


def organisation_by_slug(actor: Actor, slug: object, *, path: str) -> Organisation:
    """One of the actor's organisations named by its slug (given at `path`): 400 for text
    that cannot be a slug, 404 for another organisation's or none."""
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        message = _("expected the slug of one of your organisations, such as org-a")
        raise ValidationFailed(
            _("The organisation is not given by its slug."), [FieldError(path, message)]
        )
    return get_scoped(Organisation.objects.all(), actor, via="pk", slug=slug)


def writable_organisation(actor: Actor, slug: object | None, *, path: str) -> Organisation:
    """The organisation a new object goes to: the one named, or the actor's only one (its
    own for an API key). Someone in several organisations must name one."""
    if slug is not None:
        return organisation_by_slug(actor, slug, path=path)
    candidates = organisation_ids(actor, WRITE_ROLES) or organisation_ids(actor)
    if not candidates:
        raise NotFound(_("You belong to no organisation."))
    if len(candidates) > 1:
        message = _("required: you belong to several organisations; give the slug of one")
        raise ValidationFailed(
            _("Say which organisation this belongs to."), [FieldError(path, message)]
        )
    return Organisation.objects.get(pk=candidates[0])


def default_factor_set() -> FactorSet:
    found = FactorSet.objects.filter(
        version=DEFAULT_VERSION, status=FactorSet.Status.PUBLISHED
    ).first()
    if found is None:
        found = (
            FactorSet.objects.filter(status=FactorSet.Status.PUBLISHED)
            .order_by("-published_at")
            .first()
        )
    if found is None:
        raise NotFound(_("No published factor set: run the migrations (they publish CN-2025.1)."))
    return found


@lru_cache(maxsize=16)
def _kernel_factor_set(pk: int, version: str) -> KernelFactorSet:
    return factor_set_from_dict(document_of(FactorSet.objects.get(pk=pk)))


def kernel_factor_set(factor_set: FactorSet) -> KernelFactorSet:
    """The kernel's frozen view. Published sets never change, so they are cached; a draft is
    read afresh every time."""
    if factor_set.is_published:
        return _kernel_factor_set(factor_set.pk, factor_set.version)
    return factor_set_from_dict(document_of(factor_set))


def registry_directory() -> RegistryDirectory:
    """The registries and aliases admins maintain, as the dossier reader resolves them. Read
    afresh each time, so that an admin's change applies at once: one query, the registries
    joined to their aliases, in the order the kernel reads them (registry name, then alias)."""
    rows = Registry.objects.order_by("name", "pk", "aliases__alias")
    aliases: dict[int, tuple[str, list[str]]] = {}
    for pk, name, alias in rows.values_list("pk", "name", "aliases__alias"):
        names = aliases.setdefault(pk, (name, []))[1]
        if alias is not None:  # a registry without aliases: one row, alias NULL
            names.append(alias)
    return RegistryDirectory.of(
        KernelRegistry(name, tuple(names)) for name, names in aliases.values()
    )


def plain_decimal(value: Decimal) -> Decimal:
    """Storage padding removed (12.400000 -> 12.4) without scientific notation (8E+3)."""
    return Decimal(amount(value))


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, list):  # monthly values, stored as the decimal strings given
        return [Decimal(v) for v in value]
    return value


def _entry(obj: Model | dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    get = obj.get if isinstance(obj, dict) else (lambda key: getattr(obj, key, None))
    entry = {key: _value(get(key)) for key in keys}
    return {key: value for key, value in entry.items() if value is not None and value != ""}


def factory_entry(factory: Factory) -> dict[str, Any]:
    """The factory as the `factory` object of a normalised dossier document."""
    return _entry(factory, SECTION_KEYS["factory"])


def inventory_document(inventory: Inventory) -> dict[str, Any]:
    """The inventory part of a `zerocarbon.dossier/1` document, normalised as the reader
    produces it (so import → export → import gives equal data)."""
    document: dict[str, Any] = {
        "schema": "zerocarbon.dossier/1",
        "factory": factory_entry(inventory.factory),
        "year": inventory.year,
        "boundary": inventory.boundary,
        "gwp_set": inventory.gwp_set,
        "grid_factor_scope": inventory.grid_factor_scope,
    }
    for section in ("energy", "process_emissions", "refrigerants", "scope3"):
        document[section] = [
            _entry(line, SECTION_KEYS[section]) for line in getattr(inventory, section).all()
        ]
    if inventory.production_output is not None:
        document["production"] = _entry(
            {"output": inventory.production_output, "unit": inventory.production_unit},
            SECTION_KEYS["production"],
        )
    if inventory.baseline_year is not None:
        document["baseline"] = _entry(
            {
                "year": inventory.baseline_year,
                "emissions_tco2e": inventory.baseline_emissions_tco2e,
                "output": inventory.baseline_output,
            },
            SECTION_KEYS["baseline"],
        )
    for section in ("reduction_measures", "green_electricity", "credits"):
        document[section] = [
            _entry(line, SECTION_KEYS[section]) for line in getattr(inventory, section).all()
        ]
    return {
        key: document[key]
        for key in TOP_LEVEL_KEYS
        if key in document and (document[key] != [] or key == "energy")
    }
