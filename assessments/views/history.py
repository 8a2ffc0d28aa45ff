"""The change history of an assessment, a page at a time (loaded into the assessment page by
htmx). Whoever may see the assessment sees its history; nobody can change it here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import selectors
from assessments.history import change_history
from zerocarbon.errors import NotFound


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Http404
    return int(raw)


@login_required
@require_GET
def assessment_history(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request)
    try:
        assessment = selectors.assessment_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    trail = change_history(assessment, page)
    context = {"assessment": assessment, "trail": trail}
    return render(request, "assessments/_history.html", context)
