"""The public verification pages (no login): a certificate by its number, a downloaded PDF
checked against the record, and the listing organisations opt into.

Every page counts towards one rate per client address (VERIFY_REQUESTS_PER_MINUTE, with
django-ratelimit); over it the answer is a 429 page that says so. The pages show only what
`reports.selectors.PublicCertificate` holds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from reports import selectors
from reports.forms import NumberForm, PdfCheckForm

View = Callable[..., HttpResponse]
RATE_GROUP = "verify"


def rate_limited(view: View) -> View:
    """Answer 429 once the client address has made more than the rate's requests this minute."""

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = f"{settings.VERIFY_REQUESTS_PER_MINUTE}/m"
        if is_ratelimited(request, group=RATE_GROUP, key="ip", rate=rate, increment=True):
            context = {"rate": settings.VERIFY_REQUESTS_PER_MINUTE}
            response = render(request, "reports/verify_limited.html", context, status=429)
            response["Retry-After"] = "60"
            return response
        return view(request, *args, **kwargs)

    return limited


@require_GET
@rate_limited
def verify_search(request: HttpRequest) -> HttpResponse:
    """The number form; a number given (`?number=`) leads to its certificate's page."""
    form = NumberForm(request.GET or None)
    if form.is_valid():
        return redirect("verify-certificate", number=form.cleaned_data["number"])
    return render(request, "reports/verify_search.html", {"form": form})


@require_http_methods(["GET", "POST"])
@rate_limited
def verify_certificate(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.public_certificate(number)
    if certificate is None:
        context = {"number": number, "form": NumberForm(initial={"number": number})}
        return render(request, "reports/verify_unknown.html", context, status=404)
    form = PdfCheckForm(request.POST, request.FILES) if request.method == "POST" else PdfCheckForm()
    authentic = None
    if form.is_bound and form.is_valid():
        authentic = selectors.is_authentic_copy(number, form.cleaned_data["file"].chunks())
    context = {"certificate": certificate, "form": form, "authentic": authentic}
    return render(request, "reports/verify.html", context)


@require_GET
@rate_limited
def verify_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/verify_list.html", {"certificates": selectors.public_listing()})
