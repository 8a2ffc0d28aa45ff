"""Factory pages: the list, create and edit, and the credit code checked as typed.

A factory's own page (its inventories with their assessments and levels) reads the
assessments app and so lives above it: assessments/views/dashboard.py `factory_detail`.
Views parse, check, call one service or selector, render; every write goes through
emissions.services.records, which checks the values as a dossier's `factory`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from emissions import selectors
from emissions.forms import CREDIT_CODE_CHECK, FactoryForm
from emissions.identifiers import credit_code_problem
from emissions.models import Factory
from emissions.services import records
from zerocarbon import errors
from zerocarbon.accounts.tenancy import require_write

PAGE_SIZE = 25


def page_numbers(page: Page[Any]) -> Iterator[str | int]:
    """The page links to show: the first and last, two either side of this one, gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@login_required
def factory_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.factory_list(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "page_numbers": page_numbers(page),
        "writable": set(
            selectors.writable_organisations(request.user).values_list("pk", flat=True)
        ),
    }
    return render(request, "emissions/factory_list.html", context)


@login_required
def factory_create(request: HttpRequest) -> HttpResponse:
    organisations = selectors.writable_organisations(request.user)
    if not organisations:
        raise PermissionDenied(_("Your role may not create factories."))
    form = FactoryForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen_organisation()
        fields = form.factory_fields()
        factory = _written(form, lambda: records.create_factory(request.user, organisation, fields))
        if factory is not None:
            messages.success(request, _("Factory {name} created.").format(name=factory.name))
            return redirect("factory-detail", pk=factory.pk)
    return render(request, "emissions/factory_form.html", _form_context(form, None))


@login_required
def factory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    factory = _writable_factory(request, pk)
    form = FactoryForm(request.POST or None, initial=selectors.factory_entry(factory))
    if request.method == "POST" and form.is_valid():
        fields = form.factory_fields()
        written = _written(
            form, lambda: records.update_factory(request.user, factory, fields, partial=False)
        )
        if written is not None:
            messages.success(request, _("Factory {name} saved.").format(name=written.name))
            return redirect("factory-detail", pk=written.pk)
    return render(request, "emissions/factory_form.html", _form_context(form, factory))


@login_required
@require_GET
def factory_check_code(request: HttpRequest) -> HttpResponse:
    """The answer under the credit code field as it is typed: ✓ or what is wrong with it."""
    code = request.GET.get("credit_code", "").strip()
    context = {"code": code, "problem": credit_code_problem(code) if code else None}
    return render(request, "emissions/_credit_code_check.html", context)


def writable_ids(request: HttpRequest) -> set[int]:
    """The organisations whose data the user may change: their write buttons show."""
    return set(selectors.writable_organisations(request.user).values_list("pk", flat=True))


def _form_context(form: FactoryForm, factory: Factory | None) -> dict[str, object]:
    return {"form": form, "factory": factory, "check_target": CREDIT_CODE_CHECK}


def _writable_factory(request: HttpRequest, pk: int) -> Factory:
    """The actor's factory (404 for another organisation's), if their role may change it
    (403 otherwise)."""
    try:
        factory = selectors.factory_for(request.user, pk)
        require_write(request.user, factory.organisation, factory=factory)
    except errors.NotFound:
        raise Http404 from None
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None
    return factory


def _written(form: FactoryForm, write: Callable[[], Factory]) -> Factory | None:
    """The factory written, or None with the service's refusal at the form's fields."""
    try:
        return write()
    except (errors.ValidationFailed, errors.Conflict) as refused:
        form.add_service_errors(refused.message, refused.errors)
    except errors.NotFound:
        raise Http404 from None
    except errors.PermissionDenied as denied:
        raise PermissionDenied(denied.message) from None
    return None
