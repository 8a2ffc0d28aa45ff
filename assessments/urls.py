from django.urls import path

import zerocarbon.converters  # noqa: F401  (registers <id:…>)
from assessments import views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("assessments/<id:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<id:pk>/submit/", views.assessment_submit, name="assessment-submit"),
    path("dossiers/upload/", views.dossier_upload, name="dossier-upload"),
]
