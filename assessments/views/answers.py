"""Declared gates, rubric answers and evidence files.

Issue 9: being built; each view answers 404 until it is."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def assessment_answers(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def assessment_gates(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def inventory_evidence(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404
