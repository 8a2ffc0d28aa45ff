"""The submitting organisation's side of a review: a reply on a round, from the assessment
page (which shows every round: assessments/views/assessments.py). Thin: parse, check, call
the review service, go back to the page with what happened.

Consultants and admins of the organisation may reply (viewers get 403); anyone who cannot see
the assessment gets 404, as for a round that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import review_selectors, selectors
from assessments.forms.assessments import ReplyForm
from assessments.models import Review
from assessments.services import review as reviews
from zerocarbon.accounts.tenancy import require_write
from zerocarbon.errors import DomainError, NotFound, PermissionDenied


@login_required
@require_POST
def review_reply(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    review = _round(request, pk, review_pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        message = _("Write your reply (at most {limit} characters).")
        messages.error(request, message.format(limit=reviews.TEXT_MAX_LENGTH))
    else:
        try:
            reviews.comment(
                request.user,
                review,
                target=form.cleaned_data["target"],
                text=form.cleaned_data["text"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            message = _("Your reply is on round {number}; {body} is told by e-mail.")
            messages.success(
                request, message.format(number=review.number, body=review.certification_body.name)
            )
    return redirect(reverse("assessment-detail", args=[pk]) + "#review")


def _round(request: HttpRequest, pk: int, review_pk: int) -> Review:
    """A round of the actor's assessment (404 otherwise) that the actor may answer (403)."""
    try:
        assessment = selectors.assessment_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    found = [r for r in review_selectors.reviews_of(request.user, assessment) if r.pk == review_pk]
    if not found:
        raise Http404
    inventory = assessment.inventory
    try:
        require_write(request.user, inventory.factory.organisation, factory=inventory.factory)
    except PermissionDenied as denied:
        raise Forbidden(denied.message) from None
    return found[0]
