"""A stored evaluation explained item by item, with charts: the record only, never live rows.

Views parse, check, call selectors, render; the page's shape is the kernel presenter's
(`assessments.evaluation.present`), which the PDF reports reuse.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from assessments import review_selectors, selectors
from assessments.evaluation.present import Presented
from assessments.models import Evaluation
from zerocarbon.accounts.tenancy import Actor
from zerocarbon.errors import NotFound


def _page(actor: Actor, pk: int, *, zh: bool) -> tuple[Evaluation, Presented]:
    """The evaluation (scoped: 404 for another tenant's) and its page, from the record alone:
    the rubric edition and factor set it names, not the newest ones."""
    try:
        evaluation = selectors.evaluation_for(actor, pk)
    except NotFound:
        raise Http404 from None
    page = selectors.presented_evaluation(evaluation, zh=zh)
    return evaluation, page


@login_required
def evaluation_detail(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
    zh = (get_language() or "").lower().startswith("zh")
    evaluation, page = _page(request.user, pk, zh=zh)
    figures = page.figures
    charts = {  # SVG text drawn by assessments.evaluation.charts from escaped values only
        name: mark_safe(getattr(figures, name))  # noqa: S308
        for name in ("emissions", "electricity", "neutralisation", "monthly_energy")
    }
    # An auditor reads it through her review: she has no assessment page to go back to.
    in_review = review_selectors.evaluation_review(request.user, evaluation)
    context = {"evaluation": evaluation, "page": page, "charts": charts, "in_review": in_review}
    return render(request, "assessments/evaluation.html", context)
