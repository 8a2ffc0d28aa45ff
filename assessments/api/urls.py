from django.urls import path
from rest_framework.routers import DefaultRouter

from assessments.api.views import AssessmentViewSet, DossierImportView, EvaluationViewSet

router = DefaultRouter(trailing_slash=True)
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("evaluations", EvaluationViewSet, basename="evaluation")

urlpatterns = [path("dossiers/", DossierImportView.as_view(), name="dossier-import"), *router.urls]
