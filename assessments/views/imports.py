"""Spreadsheet and dossier imports: template, upload, progress and preview, confirm, the error
workbook, and the dossier upload of a new factory or year. Views parse, check, call one
service or selector, render."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors
from assessments.forms.imports import DossierUploadForm, ImportUploadForm
from assessments.import_preview import change_lines
from assessments.services import import_jobs
from assessments.services.dossier import export_dossier, import_dossier
from emissions import import_selectors
from emissions import selectors as emission_selectors
from emissions.dossier import DossierInvalid, document_to_json, parse_dossier_bytes
from emissions.models import ImportJob, Inventory
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import WRITE_ROLES, organisation_ids, role_in
from zerocarbon.errors import MAX_LISTED_ERRORS, DomainError, NotFound, PermissionDenied
from zerocarbon.middleware import body_limit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required: a signed-in user


def _inventory(request: HttpRequest, pk: int) -> Inventory:
    try:
        return emission_selectors.inventory_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _job(request: HttpRequest, pk: int) -> ImportJob:
    try:
        return import_selectors.import_job_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def inventory_template(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    content = import_jobs.inventory_template(inventory)
    filename = f"zerocarbon-{inventory.factory.credit_code}-{inventory.year}.xlsx"
    return _download(content, filename)


@login_required
def assessment_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment as a `zerocarbon.dossier/1` file, exactly as the API and the
    `export_dossier` command write it (numbers exact)."""
    try:
        assessment = selectors.assessment_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    inventory = assessment.inventory
    content = document_to_json(export_dossier(assessment)).encode("utf-8")
    filename = f"zerocarbon-{inventory.factory.credit_code}-{inventory.year}.json"
    return _download(content, filename, "application/json")


@body_limit("dossier")
@login_required
def inventory_import(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_jobs.start_import(
                _user(request), inventory, name=upload.name or "", content=upload.read()
            )
        except PermissionDenied as denied:
            raise DjangoPermissionDenied(denied.message) from None
        except DomainError as error:
            for problem in error.errors or ():
                form.add_error("file", problem.message)
            if not error.errors:
                form.add_error("file", error.message)
        else:
            return redirect("import-detail", pk=job.pk)
    context = {
        "inventory": inventory,
        "form": form,
        "jobs": import_selectors.recent_imports(request.user, inventory),
        "can_write": role_in(request.user, inventory.factory.organisation) in WRITE_ROLES,
    }
    return render(request, "imports/upload.html", context)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    errors = job.errors[:MAX_LISTED_ERRORS]
    context = {
        "job": job,
        "inventory": job.inventory,
        "errors": errors,
        "more_errors": max(0, len(job.errors) - len(errors)),
        "changes": change_lines(job.changes[:MAX_LISTED_ERRORS]),
        "more_changes": max(0, len(job.changes) - MAX_LISTED_ERRORS),
    }
    if request.headers.get("HX-Request"):
        return render(request, "imports/_job.html", context)
    return render(request, "imports/detail.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        inventory = import_jobs.confirm_import(request.user, job)
    except PermissionDenied as denied:
        raise DjangoPermissionDenied(denied.message) from None
    except DomainError as error:
        details = "; ".join(problem.message for problem in error.errors[:5])
        messages.error(request, f"{error.message} {details}".strip())
        return redirect("import-detail", pk=pk)
    messages.success(request, _("The draft was replaced by {name}.").format(name=job.filename))
    return redirect("inventory-edit", pk=inventory.pk)


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.kind != ImportJob.Kind.SPREADSHEET or not job.errors:
        raise Http404
    filename = job.filename.rsplit(".", 1)[0] + "-errors.xlsx"
    return _download(import_jobs.error_workbook(job), filename)


def _writable_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids(request.user, WRITE_ROLES))


@body_limit("dossier")
@login_required
def dossier_upload(request: HttpRequest) -> HttpResponse:
    """A dossier file: a new factory or year is imported at once; one whose factory and year
    exist already goes to the preview of what would change, confirmed there."""
    organisations = _writable_organisations(request)
    form = DossierUploadForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        organisation = form.cleaned_data["organisation"]
        try:
            data = parse_dossier_bytes(content)
            existing = import_jobs.existing_inventory(organisation, data)
            if existing is not None:
                job = import_jobs.start_import(
                    _user(request), existing, name=upload.name or "dossier.json", content=content
                )
                return redirect("import-detail", pk=job.pk)
            assessment = import_dossier(organisation, data, as_of=timezone.localdate())
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
