"""Spreadsheet and dossier imports: template, upload, preview, confirm.

Issue 9: being built; each view answers 404 until it is."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def inventory_template(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def inventory_import(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def import_detail(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def import_confirm(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404


def import_errors(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    raise Http404
