"""The auditor's pages: the queue of her certification bodies, a review page, and its writes
(decide on a claim, comment, end the round, revoke a certificate). Thin: parse, call one
service or selector, answer. A write refused for a reason the auditor can act on comes back
to the review page with the reason, at the item it concerns (400/403/409 with the page).

Anyone who is not an auditor of the review's body gets 404, as for a review that does not
exist; the organisation that submitted it gets 403 on writes (it may see the review on its
assessment page, not decide it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import review_selectors
from assessments.models import Review
from assessments.services import review as reviews
from reports import review_pages, services
from reports.forms import QueueFilterForm, ReasonForm
from reports.models import Certificate
from zerocarbon.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

OUTCOMES = {
    "approve": services.approve_review,
    "request_changes": reviews.request_changes,
    "reject": reviews.reject,
}


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    context = review_pages.queue_page(request.user, QueueFilterForm(request.GET or None))
    return render(request, "reports/review/queue.html", context)


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _review(request, pk))


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = _writable(request, pk)
    post = request.POST
    return _act(
        request,
        review,
        lambda: reviews.decide(
            request.user,
            review,
            subject=post.get("subject", ""),
            key=post.get("key", ""),
            verdict=post.get("verdict", ""),
            note=post.get("note", ""),
        ),
        target=f"{post.get('subject', '')}:{post.get('key', '')}",
    )


@login_required
@require_POST
def review_comment(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    target = request.POST.get("target", "")
    action = lambda: reviews.comment(  # noqa: E731
        request.user, review, target=target, text=request.POST.get("text", "")
    )
    return _act(request, review, action, target=f"comment:{target}")


@login_required
@require_POST
def review_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    review = _writable(request, pk)
    outcome = OUTCOMES.get(request.POST.get("outcome", ""))
    if outcome is None:
        return _page(
            request, review, status=400, error=_("Choose approve, request changes or reject.")
        )
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    return _act(request, review, lambda: outcome(request.user, review, reason), target="outcome")


@login_required
@require_GET
def review_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """An evidence file of the reviewed inventory, opened in the browser (PDF and images
    inline, anything else downloaded)."""
    _review(request, pk)
    try:
        document = review_selectors.audited_evidence(request.user, evidence_pk)
    except NotFound:
        raise Http404 from None
    name = document.file.name.rsplit("/", 1)[-1]
    inline = name.lower().endswith((".pdf", ".png", ".jpg", ".jpeg"))
    return FileResponse(document.file.open("rb"), as_attachment=not inline, filename=name)


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke the certificate of an approved round (from its review page)."""
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None:
        raise Http404
    approved = Review.objects.filter(approved_evaluation_id=certificate.evaluation_id).first()
    if approved is None:
        raise Http404
    review = _review(request, approved.pk)
    reason = request.POST.get("reason", "")
    done = _("Certificate {number} is revoked.").format(number=certificate.number)
    action = lambda: services.revoke_as_auditor(request.user, certificate, reason)  # noqa: E731
    return _act(request, review, action, target="revoke", done=done)


def _review(request: HttpRequest, pk: int) -> Review:
    """The review for an auditor of its body (404 for anyone else, its organisation too)."""
    try:
        return review_selectors.review_to_audit(request.user, pk)
    except NotFound:
        raise Http404 from None


def _writable(request: HttpRequest, pk: int) -> Review:
    review = Review.objects.select_related("certification_body").filter(pk=pk).first()
    if review is None:
        raise Http404
    try:
        reviews.require_auditor(request.user, review)
    except PermissionDenied as denied:
        raise Forbidden(denied.message) from None
    except NotFound:
        raise Http404 from None
    return _review(request, pk)


def _act(
    request: HttpRequest, review: Review, action: Any, *, target: str, done: str = ""
) -> HttpResponse:
    """Do `action`; back to the page at `target` (with `done` said), or the page again with
    the refusal at `target`."""
    try:
        action()
    except ValidationFailed as failed:
        return _page(
            request, review, status=400, error=failed.message, errors=failed.errors, target=target
        )
    except PermissionDenied as denied:
        return _page(request, review, status=403, error=denied.message, target=target)
    except Conflict as conflict:
        return _page(request, review, status=409, error=conflict.message, target=target)
    except NotFound:  # no such claim in this round
        raise Http404 from None
    if done:
        messages.success(request, done)
    return redirect(f"{review_pages.url(review)}#{review_pages.anchor(target)}")


def _page(
    request: HttpRequest, review: Review, *, status: int = 200, **refusal: Any
) -> HttpResponse:
    review = _review(request, review.pk)  # read again: a refused write changed nothing
    context = review_pages.review_page(request.user, review) | {"refusal": refusal}
    return render(request, "reports/review/detail.html", context, status=status)
