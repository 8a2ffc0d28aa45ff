"""Factory pages: list, create, edit, the credit code checked as typed, a new inventory.

Issue 9: being built; each view answers 404 until it is."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def factory_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def factory_create(request: HttpRequest) -> HttpResponse:
    raise Http404


def factory_check_code(request: HttpRequest) -> HttpResponse:
    raise Http404


def factory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def factory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
