"""Live result, what-if, versions and evaluation status (issue 9).

Views parse, check, call one service or selector, render. The panel computes one evaluation a
request (the live preview of the draft; none when the stored evaluation is current); what-if
computes the current result and the hypothetical one. Viewers see both (read-only
computations) but may not start a version, discard or delete (403); another organisation's
objects are 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors
from assessments.evaluation.engine import Evaluated
from assessments.evaluation.ladder import ladder
from assessments.forms.results import WhatIfForm
from assessments.models import Assessment
from assessments.rubric_editions import scoring_rubric
from assessments.services import evaluation, versions, workflow
from assessments.services.dossier import DossierRejected
from assessments.views.results_links import error_links, paths_in
from emissions import selectors as emission_selectors
from emissions.models import Inventory
from zerocarbon.accounts.tenancy import WRITE_ROLES, role_in
from zerocarbon.errors import DomainError, NotFound, PermissionDenied, ValidationFailed


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    try:
        return selectors.assessment_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _current(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    """The result to show now: the stored one while it is current (evaluated: the data is
    locked as rated), else the live preview of the draft; or the draft's dossier errors."""
    latest = selectors.latest_evaluation(assessment)
    if assessment.status == Assessment.Status.EVALUATED and latest is not None:
        return {"result": latest.result, "evaluation": latest, "live": False}
    try:
        evaluated: Evaluated = evaluation.preview(request.user, assessment)
    except DossierRejected as rejected:
        return {"rejected": rejected, "errors": error_links(assessment, rejected.errors)}
    return {"result": evaluated.result, "evaluation": None, "live": True}


def _context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    context: dict[str, Any] = {"assessment": assessment, "inventory": assessment.inventory}
    context |= _current(request, assessment)
    if "result" in context:
        context["ladder"] = ladder(context["result"], scoring_rubric(assessment.rubric))
    return context


@login_required
@require_GET
def assessment_panel(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return render(request, "assessments/_panel.html", _context(request, assessment))


@login_required
@require_http_methods(["GET", "POST"])
def assessment_what_if(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    rubric = scoring_rubric(assessment.rubric)
    form = WhatIfForm(request.POST or None, rubric=rubric)
    context = _context(request, assessment) | {"form": form}
    if request.method == "POST" and form.is_valid() and "result" in context:
        try:
            context["hypothetical"] = evaluation.what_if(assessment, form.changes())
        except ValidationFailed as invalid:
            form.add_answer_errors(invalid.errors)
        else:
            context["hypothetical_ladder"] = ladder(context["hypothetical"], rubric)
    return render(request, "assessments/_what_if.html", context)


@login_required
@require_GET
def assessment_status(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    context: dict[str, Any] = {
        "assessment": assessment,
        "evaluation": selectors.latest_evaluation(assessment),
        "polling": assessment.status == Assessment.Status.SUBMITTED,
    }
    if assessment.status == Assessment.Status.FAILED:
        context["failure"] = selectors.evaluation_failure(assessment)  # the page's language
        context["links"] = error_links(assessment, paths_in(context["failure"]))
    return render(request, "assessments/_status.html", context)


def _refused(request: HttpRequest, error: DomainError) -> None:
    """A viewer's attempt is a 403; a state that forbids it is said on the next page."""
    if isinstance(error, PermissionDenied):
        raise Forbidden(error.message)
    messages.error(request, error.message)


@login_required
@require_POST
def assessment_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    try:
        workflow.reopen_assessment(request.user, assessment)
    except DomainError as error:
        _refused(request, error)
        return redirect("assessment-detail", pk=pk)
    messages.success(request, _("A new version is open: edit the inventory, then submit it again."))
    return redirect("inventory-edit", pk=assessment.inventory_id)


@login_required
@require_POST
def assessment_discard(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    try:
        versions.discard_draft(request.user, assessment)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The draft changes were discarded: back to the last rating."))
    return redirect("assessment-detail", pk=pk)


def _inventory(request: HttpRequest, pk: int) -> Inventory:
    try:
        return emission_selectors.inventory_for(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def inventory_delete(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    if role_in(request.user, inventory.factory.organisation) not in WRITE_ROLES:
        raise Forbidden(_("Your role may only read this inventory."))
    if request.method == "POST":
        try:
            versions.delete_draft_inventory(request.user, inventory)
        except DomainError as error:
            _refused(request, error)
            return redirect("inventory-delete", pk=pk)
        messages.success(
            request, _("The inventory {year} was deleted.").format(year=inventory.year)
        )
        return redirect("factory-detail", pk=inventory.factory_id)
    context = {"inventory": inventory, "submitted": versions.was_submitted(inventory)}
    return render(request, "assessments/results_delete.html", context)
