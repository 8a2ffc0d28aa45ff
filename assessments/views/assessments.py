"""Browser pages: the dashboard, an assessment with its evaluation explained line by line,
submission, and dossier upload. Views parse, check, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.dossier import import_dossier
from assessments.explain import explain_assessment
from assessments.forms.assessments import DossierUploadForm, SubmitForm
from assessments.models import Assessment
from emissions.dossier import DossierInvalid, parse_dossier_bytes
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import WRITE_ROLES, organisation_ids
from zerocarbon.errors import MAX_LISTED_ERRORS, DomainError, NotFound
from zerocarbon.middleware import body_limit


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    assessments = selectors.assessments_for(request.user).prefetch_related("evaluations")
    rows = [(a, selectors.latest_evaluation(a)) for a in assessments]
    return render(request, "assessments/dashboard.html", {"rows": rows})


def _assessment_or_404(request: HttpRequest, pk: int) -> Assessment:
    try:
        return selectors.assessment_for(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    context = explain_assessment(request.user, assessment)
    context["submit_form"] = SubmitForm()
    return render(request, "assessments/detail.html", context)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.submit_assessment(
                request.user, assessment, as_of=form.cleaned_data.get("as_of")
            )
            messages.success(request, _("Submitted; the evaluation is running."))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("assessment-detail", pk=pk)


def _writable_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids(request.user, WRITE_ROLES))


@body_limit("dossier")
@login_required
def dossier_upload(request: HttpRequest) -> HttpResponse:
    organisations = _writable_organisations(request)
    form = DossierUploadForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            data = parse_dossier_bytes(form.cleaned_data["file"].read())
            assessment = import_dossier(
                form.cleaned_data["organisation"], data, as_of=timezone.localdate()
            )
        except DossierInvalid as invalid:
            errors = [(e.path or "/", e.message) for e in invalid.errors]
        except DomainError as error:
            errors = [(e.path, e.message) for e in error.errors] or [("/", error.message)]
        else:
            message = _("Imported: {inventory}").format(inventory=assessment.inventory)
            messages.success(request, message)
            return redirect("assessment-detail", pk=assessment.pk)
    context = {
        "form": form,
        "errors": errors[:MAX_LISTED_ERRORS],
        "total_errors": len(errors),
        "more_errors": max(0, len(errors) - MAX_LISTED_ERRORS),
    }
    return render(request, "assessments/upload.html", context)
