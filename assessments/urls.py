from django.urls import path

from assessments import views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment-submit"),
    path("dossiers/upload/", views.dossier_upload, name="dossier-upload"),
]
