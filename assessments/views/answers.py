"""Declared gates, rubric answers and evidence files: three sections of the inventory editor
(issue 9). Views parse, check, call one service or selector, render.

A save answers, with htmx, the section again (HX-Trigger `inventory-changed`: the live
panel refreshes); without JS, a redirect back. A refused save shows the form as typed with
every message at its field: 400 for a broken rule, 409 while the inventory is locked, 403
for a viewer; another organisation's assessment or file is a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as Forbidden
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import selectors
from assessments.forms.answers import (
    AnswersForm,
    EvidenceUploadForm,
    GatesForm,
    kind_label,
    upload_help,
)
from assessments.models import Assessment
from assessments.rubric_editions import scoring_rubric
from assessments.services import answers as service
from assessments.views.editor import editor_context, may_write
from emissions import selectors as emission_selectors
from emissions.models import Inventory
from zerocarbon.errors import Conflict, DomainError, FieldError, NotFound
from zerocarbon.errors import PermissionDenied as RoleRefused
from zerocarbon.middleware import body_limit


@body_limit("evidence")  # new evidence files come with the answers
@login_required
def assessment_answers(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    """Every rubric item by indicator, with its rule, provenance, answer, note and evidence."""
    assessment = _assessment(request, pk)
    form = _answers_form(request, assessment)
    if request.method != "POST":
        return _page(request, "answers", assessment, form)

    def save() -> object:
        return service.save_answers(
            _user(request),
            assessment,
            form.answers(),
            notes=form.notes(),
            evidence=form.evidence(),
            uploads=form.uploads(),
        )

    return _submit(request, "answers", assessment, form, save)


@login_required
def assessment_gates(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    """The declared gates (G1, G2) to tick; the gates the platform computes, for reading."""
    assessment = _assessment(request, pk)
    form = _gates_form(request, assessment)
    if request.method != "POST":
        return _page(request, "gates", assessment, form)

    def save() -> object:
        return service.save_gates(request.user, assessment, form.gates())

    return _submit(request, "gates", assessment, form, save)


@body_limit("evidence")
@login_required
def inventory_evidence(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    """The inventory's evidence files and the upload of a new one."""
    inventory = _inventory(request, pk)
    form = EvidenceUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _evidence_page(request, inventory, form)
    _refuse_write(request, inventory)
    if not form.is_valid():
        return _evidence_page(request, inventory, form, status=400)
    try:
        document = service.upload_evidence(
            _user(request),
            inventory,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            reference=form.reference_or_name(),
        )
    except DomainError as error:
        status = _status(error)
        elsewhere = form.add_service_errors(error.errors)
        return _evidence_page(
            request, inventory, form, error=error, elsewhere=elsewhere, status=status
        )
    message = _("Evidence file {reference} stored.").format(reference=document.reference)
    messages.success(request, message)
    return redirect("inventory-evidence", pk=inventory.pk)


@body_limit("evidence")
@require_POST
@login_required
def evidence_replace(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    """Another file under an evidence file's reference (a draft's only): a file the review
    rejected is corrected so, and every claim citing the reference keeps citing it."""
    try:
        document = emission_selectors.evidence_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    inventory = document.inventory
    _refuse_write(request, inventory)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(
            request,
            _("Choose the file that replaces {reference}.").format(reference=document.reference),
        )
        return redirect("inventory-evidence", pk=inventory.pk)
    try:
        service.replace_evidence(_user(request), document, upload=upload)
    except DomainError as error:
        _status(error)
        details = "; ".join(e.message for e in error.errors)
        messages.error(request, f"{error.message} {details}".strip())
    else:
        message = _("The file of {reference} is replaced.").format(reference=document.reference)
        messages.success(request, message)
    return redirect("inventory-evidence", pk=inventory.pk)


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, to its organisation only (never a public media address)."""
    try:
        document = emission_selectors.evidence_for(request.user, pk)
        stream = document.file.open("rb")
    except NotFound:
        raise Http404 from None
    except FileNotFoundError:
        raise Http404(_("The stored file is missing; upload it again.")) from None
    name = document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(stream, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


# Loading and permission


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required: a signed-in user


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    try:
        return selectors.assessment_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _inventory(request: HttpRequest, pk: int) -> Inventory:
    try:
        return emission_selectors.inventory_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _refuse_write(request: HttpRequest, inventory: Inventory) -> None:
    """A viewer's write is forbidden (403); a locked inventory's goes on to the service,
    which refuses it with its reason (409)."""
    if not may_write(request, inventory):
        raise Forbidden(_("Your role may only read this organisation's data."))


def _status(error: DomainError) -> int:
    if isinstance(error, NotFound):
        raise Http404 from None
    if isinstance(error, RoleRefused):
        raise Forbidden(error.message)
    return 409 if isinstance(error, Conflict) else 400


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# Answers and gates


def _answers_form(
    request: HttpRequest, assessment: Assessment, *, bound: bool = True
) -> AnswersForm:
    posted = bound and request.method == "POST"
    return AnswersForm(
        scoring_rubric(assessment.rubric),
        selectors.answers_of(assessment),
        list(emission_selectors.evidence_of(assessment.inventory)),
        request.POST if posted else None,
        request.FILES if posted else None,
    )


def _gates_form(request: HttpRequest, assessment: Assessment, *, bound: bool = True) -> GatesForm:
    data = request.POST if bound and request.method == "POST" else None
    return GatesForm(scoring_rubric(assessment.rubric), assessment.declared_gates, data)


def _submit(
    request: HttpRequest,
    section: str,
    assessment: Assessment,
    form: AnswersForm | GatesForm,
    save: Callable[[], Any],
) -> HttpResponse:
    _refuse_write(request, assessment.inventory)
    if not form.is_valid():
        return _page(request, section, assessment, form, status=400)
    try:
        save()
    except DomainError as error:
        status = _status(error)
        elsewhere = form.add_service_errors(error.errors)
        return _page(
            request, section, assessment, form, error=error, elsewhere=elsewhere, status=status
        )
    if not _htmx(request):
        messages.success(request, _("Saved."))
        return redirect(f"assessment-{section}", pk=assessment.pk)
    fresh = _assessment(request, assessment.pk)
    make = _answers_form if section == "answers" else _gates_form
    again = make(request, fresh, bound=False)
    response = _page(request, section, fresh, again, saved=True)
    response["HX-Trigger"] = "inventory-changed"
    return response


def _page(
    request: HttpRequest,
    section: str,
    assessment: Assessment,
    form: Form,
    *,
    error: DomainError | None = None,
    elsewhere: Sequence[FieldError] = (),
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = editor_context(request, assessment.inventory, assessment, section)
    context |= {"form": form, "saved": saved, **_refusal(form, error, elsewhere)}
    if isinstance(form, AnswersForm):
        context |= {"groups": form.groups(), "upload_help": upload_help()}
    name = f"editor/_{section}.html" if _htmx(request) else f"editor/{section}.html"
    return render(request, name, context, status=status)


def _refusal(
    form: Form, error: DomainError | None, elsewhere: Sequence[FieldError]
) -> dict[str, Any]:
    """What editor/_notices.html shows above the form: the service's summary (`message`)
    and the errors of no field with their document paths (`elsewhere`)."""
    others = [{"path": e.path, "url": None, "messages": [e.message]} for e in elsewhere]
    others += [{"path": "", "url": None, "messages": [str(m)]} for m in form.non_field_errors()]
    return {"message": error.message if error is not None else "", "elsewhere": others}


# Evidence


def _evidence_page(
    request: HttpRequest,
    inventory: Inventory,
    form: EvidenceUploadForm,
    *,
    error: DomainError | None = None,
    elsewhere: Sequence[FieldError] = (),
    status: int = 200,
) -> HttpResponse:
    assessment = selectors.latest_assessment_of(inventory)
    context = editor_context(request, inventory, assessment, "evidence")
    documents = list(emission_selectors.evidence_of(inventory))
    context |= {
        "form": form,
        "documents": [(document, kind_label(document.kind)) for document in documents],
        **_refusal(form, error, elsewhere),
        "max_bytes": int(settings.EVIDENCE_MAX_BYTES),
    }
    return render(request, "editor/evidence.html", context, status=status)
