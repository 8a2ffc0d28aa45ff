"""The dashboard (my factories, what needs my attention) and a factory's own page.

Both read in a fixed number of queries however many factories, years and evaluations there
are: a page of factories, their years in three queries (assessments.selectors
`year_standings`), the attention list in three. Views parse, call the selectors, render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.evaluation.charts import sparkline
from assessments.selectors import YearStanding
from emissions import selectors as emission_selectors
from emissions.models import Factory
from emissions.views import page_numbers, writable_ids
from zerocarbon.accounts.models import Membership
from zerocarbon.accounts.tenancy import organisation_ids
from zerocarbon.errors import NotFound
from zerocarbon.page_cache import cached_page
from zerocarbon.templatetags import num

PAGE_SIZE = 25
ATTENTION_LIMIT = 10


@dataclass(frozen=True)
class FactoryRow:
    factory: Factory
    latest: YearStanding | None  # the factory's latest year
    rated: YearStanding | None  # its latest year with an evaluation
    trend: SafeString | None  # boundary totals by year, as a sparkline


@login_required
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    factories = emission_selectors.factories_for(request.user).order_by("name", "pk")
    page = Paginator(factories, PAGE_SIZE).get_page(request.GET.get("page"))
    standings = selectors.year_standings(request.user, [factory.pk for factory in page])
    if not page.paginator.count and _reviewer(request):  # an auditor's work is the queue
        return redirect("review-queue")
    attention, attention_total = selectors.attention_for(request.user, limit=ATTENTION_LIMIT)
    context = {
        "page": page,
        "page_numbers": page_numbers(page),
        "rows": [factory_row(factory, standings[factory.pk]) for factory in page],
        "attention": attention,
        "attention_more": attention_total - len(attention),
        "writable": writable_ids(request),
        "reviewer": False,
    }
    return render(request, "assessments/dashboard.html", context)


@login_required
@cached_page
def factory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        factory = emission_selectors.factory_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    years = selectors.year_standings(request.user, [factory.pk])[factory.pk]
    context = {
        "factory": factory,
        "row": factory_row(factory, years),
        "years": years[::-1],
        "can_write": factory.organisation_id in writable_ids(request),
    }
    return render(request, "emissions/factory_detail.html", context)


def factory_row(factory: Factory, years: Sequence[YearStanding]) -> FactoryRow:
    rated = [year for year in years if year.evaluation_pk is not None]
    return FactoryRow(
        factory=factory,
        latest=years[-1] if years else None,
        rated=rated[-1] if rated else None,
        trend=trend_chart(rated),
    )


def trend_chart(rated: Sequence[YearStanding]) -> SafeString | None:
    """A sparkline of the boundary total from the first to the last rated year (a year
    without an evaluation is a gap); None when no year has one."""
    totals = {year.year: year.boundary_total_tco2e for year in rated}
    if not any(value is not None for value in totals.values()):
        return None
    span = range(min(totals), max(totals) + 1)
    values: list[Decimal | None] = [totals.get(year) for year in span]
    described = "; ".join(
        f"{year}: {num(value)}" for year, value in totals.items() if value is not None
    )
    label = _("Emissions within the boundary by year, tCO2e: {values}").format(values=described)
    # The chart module escapes every value and label it writes into the SVG.
    return mark_safe(sparkline(values, label=label))  # noqa: S308


def _reviewer(request: HttpRequest) -> bool:
    """The user reviews for a certification body (asked only for the empty dashboard)."""
    return bool(organisation_ids(request.user, [Membership.Role.AUDITOR]))
