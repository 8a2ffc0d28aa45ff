"""The inventory editor: a new inventory of a factory, and the editor of one year, section by
section (issue 9). Views parse, check, call one service or selector, render.

`editor_context` is the frame every editor page shares (templates/editor/layout.html): the
gates, answers and evidence pages of assessments/views/answers.py use it too."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors
from assessments.forms import editor as forms
from assessments.forms import editor_table as table
from assessments.models import Assessment
from assessments.services.inventories import start_inventory
from emissions import selectors as emission_selectors
from emissions.dossier import to_jsonable
from emissions.dossier.claims import RANGED_SECTIONS
from emissions.dossier.layout import SECTION_KEYS
from emissions.dossier.registries import NO_DIRECTORY, RegistryDirectory
from emissions.models import Factory, Inventory
from emissions.services import sections
from zerocarbon.accounts.tenancy import WRITE_ROLES, Actor, role_in
from zerocarbon.errors import Conflict, DomainError, NotFound
from zerocarbon.errors import PermissionDenied as RoleRefused
from zerocarbon.templatetags import anchor

# The sections of the editor, in the order of the navigation: the inventory's own (saved by
# inventory-section) and the assessment's (gates, answers: their own pages), then evidence.
INVENTORY_SECTIONS: dict[str, Any] = {
    "header": gettext_lazy("Year and boundary"),
    "energy": gettext_lazy("Energy"),
    "process_emissions": gettext_lazy("Process emissions"),
    "refrigerants": gettext_lazy("Refrigerants"),
    "scope3": gettext_lazy("Scope 3"),
    "production": gettext_lazy("Production and baseline"),
    "reduction_measures": gettext_lazy("Reduction measures"),
    "green_electricity": gettext_lazy("Green electricity"),
    "credits": gettext_lazy("Credits"),
}
ASSESSMENT_SECTIONS: dict[str, Any] = {
    "gates": gettext_lazy("Declared gates"),
    "answers": gettext_lazy("Rubric answers"),
}


def may_write(request: HttpRequest, inventory: Inventory) -> bool:
    """The user's role may change the inventory's organisation's data (consultant, admin)."""
    return role_in(request.user, inventory.factory.organisation) in WRITE_ROLES


def can_write(request: HttpRequest, inventory: Inventory) -> bool:
    """The user may change this inventory now: a consultant or admin of its organisation,
    and the inventory is not locked for evaluation or review."""
    if inventory.status == Inventory.Status.LOCKED:
        return False
    return may_write(request, inventory)


def section_links(
    inventory: Inventory, assessment: Assessment | None, errors: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """The navigation: {key, label, url, errors} per section; the assessment's sections only
    when there is an assessment."""
    counts = errors or {}
    links = [
        {
            "key": key,
            "label": label,
            "url": reverse("inventory-section", args=[inventory.pk, key]),
            "errors": counts.get(key, 0),
        }
        for key, label in INVENTORY_SECTIONS.items()
    ]
    if assessment is not None:
        links += [
            {
                "key": key,
                "label": label,
                "url": reverse(f"assessment-{key}", args=[assessment.pk]),
                "errors": counts.get(key, 0),
            }
            for key, label in ASSESSMENT_SECTIONS.items()
        ]
    evidence = reverse("inventory-evidence", args=[inventory.pk])
    links.append(
        {
            "key": "evidence",
            "label": gettext_lazy("Evidence files"),
            "url": evidence,
            "errors": counts.get("evidence", 0),
        }
    )
    return links


def editor_context(
    request: HttpRequest,
    inventory: Inventory,
    assessment: Assessment | None,
    current: str,
    *,
    errors: dict[str, int] | None = None,
) -> dict[str, Any]:
    """What templates/editor/layout.html needs: inventory, assessment (may be None),
    sections, current (the section key), can_write (the user may change the inventory now),
    writer (their role may write), locked (under evaluation or review: read-only)."""
    locked = inventory.status == Inventory.Status.LOCKED
    writer = may_write(request, inventory)
    return {
        "inventory": inventory,
        "assessment": assessment,
        "sections": section_links(inventory, assessment, errors),
        "current": current,
        "can_write": writer and not locked,
        "writer": writer,
        "locked": locked,
    }


# Pages


@login_required
def inventory_edit(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    """The editor of a year, opened at its first section."""
    return inventory_section(request, pk, section="header")


@login_required
def inventory_section(request: HttpRequest, pk: int, section: str = "header") -> HttpResponse:
    """One section: GET shows it; POST `action=add` adds a blank row (nothing saved), any
    other POST saves the section as a whole (htmx: the section again with HX-Trigger
    inventory-changed; without JS: a redirect back)."""
    if section not in INVENTORY_SECTIONS:
        raise Http404
    inventory, assessment = _inventory(request, pk)
    if request.method != "POST":
        return _render(request, SectionPage(inventory, assessment, section))
    if not may_write(request, inventory):
        raise Forbidden(_("Your role may only read this organisation's data."))
    if inventory.status == Inventory.Status.LOCKED:
        return _refuse_locked(request, inventory, assessment, section)
    page = SectionPage(inventory, assessment, section, posted=request.POST)
    if request.POST.get("action") == "add":
        # Only a list section has lines to add; the others are shown again as they came.
        if section in SECTION_KEYS:
            page.rows.append(forms.blank_row(section))
        return _render(request, page)
    return _save(request, page)


@login_required
def inventory_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new year of the factory: its inventory and draft assessment, then the editor."""
    factory = _factory(request, pk)
    if request.method != "POST":
        last_year = timezone.localdate().year - 1
        return _render_create(request, factory, forms.HeaderForm.new(last_year))
    form = forms.HeaderForm(request.POST)
    try:
        assessment = start_inventory(request.user, factory, form.document_fields())
    except DomainError as error:
        others = form.add_errors(forms.errors_by_path(error.errors))
        return _render_create(request, factory, form, error=error, others=others)
    messages.success(request, _("Inventory {year} created.").format(year=assessment.inventory.year))
    return redirect("inventory-edit", pk=assessment.inventory_id)


# Loading and permission


def _inventory(request: HttpRequest, pk: int) -> tuple[Inventory, Assessment | None]:
    try:
        inventory = emission_selectors.inventory_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    return inventory, selectors.latest_assessment_of(inventory)


def _factory(request: HttpRequest, pk: int) -> Factory:
    try:
        factory = emission_selectors.factory_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    if role_in(request.user, factory.organisation) not in WRITE_ROLES:
        raise Forbidden(_("Your role may only read this organisation's data."))
    return factory


def _refuse_locked(
    request: HttpRequest, inventory: Inventory, assessment: Assessment | None, section: str
) -> HttpResponse:
    """A locked inventory refuses every write (409), before anything is read from the form."""
    page = SectionPage(inventory, assessment, section)
    page.refusal = _("{inventory} is locked: it is under evaluation or review.").format(
        inventory=inventory
    )
    return _render(request, page, status=409)


# A section as shown


FIELD_FORMS: dict[str, type[forms.HeaderForm] | type[forms.ProductionForm]] = {
    "header": forms.HeaderForm,
    "production": forms.ProductionForm,
}


class SectionPage:
    """One section of the editor: its form (own fields) or its rows (a list section), as
    stored or as posted, and what a refused save said, each error at its field."""

    def __init__(
        self,
        inventory: Inventory,
        assessment: Assessment | None,
        section: str,
        *,
        posted: QueryDict | None = None,
    ) -> None:
        self.inventory, self.assessment, self.section = inventory, assessment, section
        self.errors: forms.Errors = {}
        self.counts: dict[str, int] = {}
        self.message = self.refusal = ""
        self.saved = False
        self.form: forms.HeaderForm | forms.ProductionForm | None = None
        self.rows: list[forms.Row] = []
        if section in FIELD_FORMS:
            form_class = FIELD_FORMS[section]
            self.form = form_class(posted) if posted is not None else form_class.of(inventory)
        elif posted is not None:
            adding = posted.get("action") == "add"
            self.rows = forms.rows_from_post(section, posted, keep_blank=adding)
        else:
            stored = to_jsonable(emission_selectors.inventory_document(inventory))
            self.rows = forms.rows_from_document(section, stored.get(section, []))

    def save(self, actor: Actor) -> None:
        if self.form is not None:
            sections.save_fields(actor, self.inventory, self.section, self.form.document_fields())
        else:
            entries = forms.entries_of(self.section, self.rows)
            sections.replace_section(actor, self.inventory, self.section, entries)

    def refused(self, error: DomainError) -> None:
        self.message = error.message
        errors = forms.errors_by_path(error.errors)
        self.counts = _counts(errors)
        self.errors = self.form.add_errors(errors) if self.form is not None else errors

    def context(self, request: HttpRequest) -> dict[str, Any]:
        context = editor_context(
            request, self.inventory, self.assessment, self.section, errors=self.counts
        )
        context |= {
            "section": self.section,
            "label": INVENTORY_SECTIONS[self.section],
            "section_url": reverse("inventory-section", args=[self.inventory.pk, self.section]),
            "form": self.form,
            "message": self.message,
            "refusal": self.refusal,
            "saved": self.saved,
            "hidden": self.section == "scope3" and self.inventory.boundary == "I",
            "stored_count": len(self.rows),
        }
        shown: set[str] = set()
        if self.form is None:
            shown = self._table(context)
        context["elsewhere"] = _elsewhere(self.inventory, self.errors, shown)
        return context

    def _table(self, context: dict[str, Any]) -> set[str]:
        options = table.Options.of(
            emission_selectors.kernel_factor_set(self.inventory.factor_set),
            self.inventory.gwp_set,
            _directory(self.section),
        )
        rows = list(self.rows)
        if context["can_write"] and not (rows and rows[-1].blank):
            rows.append(forms.blank_row(self.section))  # the plain extra row: no JS needed
        columns = table.columns(self.section, options)
        context |= {
            "columns": columns,
            "table": table.table(self.section, rows, columns, self.errors),
            "row_count": len(rows),
            "registries": options.registries,
            "registry_list": table.REGISTRY_LIST,
        }
        return table.shown_paths(self.section, rows, columns)


def _directory(section: str) -> RegistryDirectory:
    if section in RANGED_SECTIONS:
        return emission_selectors.registry_directory()
    return NO_DIRECTORY


def section_of(path: str) -> str | None:
    """The editor section that shows a document path (`/baseline_year`: production)."""
    first = path.strip("/").split("/")[0]
    for section, keys in sections.HEADER_FIELDS.items():
        if first in keys:
            return section
    return first if first in INVENTORY_SECTIONS else None


def _counts(errors: forms.Errors) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path, found_messages in errors.items():
        section = section_of(path)
        if section is not None:
            counts[section] = counts.get(section, 0) + len(found_messages)
    return counts


def _elsewhere(inventory: Inventory, errors: forms.Errors, shown: set[str]) -> list[dict[str, Any]]:
    """Errors no field of this section shows: each with a link to the field that does."""
    found = []
    for path, found_messages in errors.items():
        if path in shown:
            continue
        section = section_of(path)
        url = ""
        if section is not None:
            url = reverse("inventory-section", args=[inventory.pk, section])
            url += "#" + anchor(path)
        found.append({"path": path, "messages": found_messages, "url": url})
    return found


# Answers


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render(request: HttpRequest, page: SectionPage, *, status: int = 200) -> HttpResponse:
    template = "editor/section_partial.html" if _htmx(request) else "editor/section.html"
    return render(request, template, page.context(request), status=status)


def _save(request: HttpRequest, page: SectionPage) -> HttpResponse:
    try:
        page.save(request.user)
    except DomainError as error:
        page.refused(error)
        return _render(request, page, status=_status(error))
    url = reverse("inventory-section", args=[page.inventory.pk, page.section])
    if not _htmx(request):
        messages.success(request, _("Saved."))
        return redirect(url)
    inventory, assessment = _inventory(request, page.inventory.pk)
    fresh = SectionPage(inventory, assessment, page.section)
    fresh.saved = True
    response = _render(request, fresh)
    response["HX-Trigger"] = "inventory-changed"
    return response


def _status(error: DomainError) -> int:
    """The status of a refused write shown as a page: 400 (at its fields) or 409; a refusal
    that is no page (another tenant's, a role's) raises as Django's 404 or 403."""
    if isinstance(error, NotFound):
        raise Http404 from None
    if isinstance(error, RoleRefused):
        raise Forbidden(error.message)
    return 409 if isinstance(error, Conflict) else 400


def _render_create(
    request: HttpRequest,
    factory: Factory,
    form: forms.HeaderForm,
    *,
    error: DomainError | None = None,
    others: forms.Errors | None = None,
) -> HttpResponse:
    context = {"factory": factory, "form": form, "error": error, "others": others or {}}
    status = 200 if error is None else _status(error)
    return render(request, "editor/create.html", context, status=status)
