"""Certificates, PDF reports and public verification: one module of routes per area."""

import zerocarbon.converters  # noqa: F401  (registers <id:…>)
from reports.urls import pdfs, review, verify

urlpatterns = [*verify.urlpatterns, *pdfs.urlpatterns, *review.urlpatterns]
