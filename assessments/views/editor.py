"""The inventory editor.

Issue 9: being built; each view answers 404 until it is."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def inventory_edit(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def inventory_section(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def inventory_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
