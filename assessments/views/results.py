"""Live result, what-if, versions and evaluation status.

Issue 9: being built; each view answers 404 until it is."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def assessment_panel(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def assessment_what_if(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def assessment_status(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def assessment_new_version(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def assessment_discard(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def inventory_delete(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404
