"""The PDFs of an evaluation: request one (POST), follow it (an htmx fragment that polls only
while a render is queued or running), download it (only for those who may see the
evaluation: 404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from reports import pdf_selectors, rendering
from zerocarbon.errors import NotFound, ValidationFailed

FRAGMENT = "reports/_pdf_status.html"


def _language(request: HttpRequest) -> str:
    wanted = request.POST.get("language") or get_language() or "zh-hans"
    return "zh-hans" if wanted.lower().startswith("zh") else wanted


def _fragment(request: HttpRequest, pk: int, status: int = 200, error: str = "") -> HttpResponse:
    try:
        panel = pdf_selectors.pdf_panel(request.user, pk)
    except NotFound:
        raise Http404 from None
    context = {"panel": panel, "error": error}
    return render(request, FRAGMENT, context, status=status)


@login_required
@require_POST
def request_pdf(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
    kind = request.POST.get("kind", "")
    try:
        rendering.request_render(request.user, pk, kind=kind, language=_language(request))
    except NotFound:
        raise Http404 from None
    except ValidationFailed as failed:
        return _fragment(request, pk, status=400, error=failed.errors[0].message)
    if request.headers.get("HX-Request"):
        return _fragment(request, pk)
    return redirect("evaluation-detail", pk)


@login_required
@require_GET
def pdf_status(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
    return _fragment(request, pk)


@login_required
@require_GET
def pdf_download(request: HttpRequest, pk: int, **kwargs: Any) -> FileResponse:
    try:
        row = pdf_selectors.pdf_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    name = f"{row.kind}-{row.evaluation_id}-{row.language}{'-draft' if row.draft else ''}.pdf"
    return FileResponse(
        row.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
