"""The consultant's and auditor's pages, one module of routes per area of the workspace."""

import zerocarbon.converters  # noqa: F401  (registers <id:…>)
from assessments.urls import (
    answers,
    assessments,
    dashboard,
    editor,
    evaluations,
    history,
    imports,
    results,
    reviews,
)

urlpatterns = [
    *dashboard.urlpatterns,
    *assessments.urlpatterns,
    *editor.urlpatterns,
    *answers.urlpatterns,
    *results.urlpatterns,
    *evaluations.urlpatterns,
    *imports.urlpatterns,
    *history.urlpatterns,
    *reviews.urlpatterns,
]
