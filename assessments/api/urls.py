"""The assessment resources of the REST API (mounted by zerocarbon/api_urls.py). The inventory
dossier lives here, not in emissions: a dossier holds the assessment's gates and answers."""

from django.urls import path

import zerocarbon.converters  # noqa: F401  (registers <id:…>)
from assessments.api.views import (
    AssessmentViewSet,
    DossierImportView,
    EvaluationViewSet,
    InventoryDossierView,
)

ROUTES = [
    ("assessments", AssessmentViewSet, "assessment"),
    ("evaluations", EvaluationViewSet, "evaluation"),
]

urlpatterns = [
    path("dossiers/", DossierImportView.as_view(), name="dossier-import"),
    path("inventories/<id:pk>/dossier/", InventoryDossierView.as_view(), name="inventory-dossier"),
]
