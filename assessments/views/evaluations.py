"""A stored evaluation explained item by item, with charts.

Issue 9: being built; each view answers 404 until it is."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def evaluation_detail(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404
