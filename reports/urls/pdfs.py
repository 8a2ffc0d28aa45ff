"""PDFs of an evaluation: request a render, follow its progress, download it."""

from django.urls import URLPattern, path

from reports import pdf_views

urlpatterns: list[URLPattern] = [
    path("evaluations/<id:pk>/pdfs/", pdf_views.request_pdf, name="pdf-request"),
    path("evaluations/<id:pk>/pdfs/status/", pdf_views.pdf_status, name="pdf-status"),
    path("pdfs/<id:pk>/download/", pdf_views.pdf_download, name="pdf-download"),
]
