"""Browser pages: an assessment with its evaluation explained line by line, and submission
(the dossier upload is in views/imports.py). Views parse, check, call one service or selector,
render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from assessments import review_selectors, selectors
from assessments.explain import assessment_page
from assessments.forms.assessments import ReplyForm, SubmitForm
from assessments.models import Assessment
from assessments.services import workflow
from zerocarbon.errors import DomainError, NotFound
from zerocarbon.page_cache import cached_page


def _assessment_or_404(request: HttpRequest, pk: int) -> Assessment:
    try:
        return selectors.assessment_for(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@cached_page
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    context = assessment_page(request.user, assessment)
    body = review_selectors.last_body(assessment)
    context["submit_form"] = SubmitForm(initial={"certification_body": body})
    context["rounds"] = rounds = review_selectors.rounds_of(request.user, assessment)
    approved = [r.review for r in rounds if r.review.approved_evaluation_id]
    context["approved_ids"] = {review.evaluation_id for review in approved}
    context["reply_form"] = ReplyForm()
    return render(request, "assessments/detail.html", context)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            submitted = workflow.submit_assessment(
                request.user,
                assessment,
                as_of=form.cleaned_data.get("as_of"),
                certification_body=form.cleaned_data.get("certification_body"),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            level, text = SUBMITTED[Assessment.Status(submitted.status)]
            messages.add_message(request, level, _(text))
    else:
        message = _("Not submitted: give a valid date and a listed certification body.")
        messages.error(request, message)
    return redirect("assessment-detail", pk=pk)


# What the submitter is told depends on where the evaluation is when the page comes back:
# without a broker (quickstart) it has run already; the page never says "running" after.
SUBMITTED: dict[Assessment.Status, tuple[int, str]] = {
    Assessment.Status.SUBMITTED: (
        messages.SUCCESS,
        gettext_noop("Submitted: the evaluation is queued; this page follows its progress."),
    ),
    Assessment.Status.EVALUATED: (messages.SUCCESS, gettext_noop("Submitted and evaluated.")),
    Assessment.Status.FAILED: (
        messages.ERROR,
        gettext_noop("Submitted, but the evaluation failed; the reason is below."),
    ),
}
