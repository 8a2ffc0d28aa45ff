from django.urls import path

from assessments.views import history as views

urlpatterns = [
    path("assessments/<id:pk>/history/", views.assessment_history, name="assessment-history"),
]
