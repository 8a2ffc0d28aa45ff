from django.urls import path

from assessments.views import assessments as views

urlpatterns = [
    path("assessments/<id:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<id:pk>/submit/", views.assessment_submit, name="assessment-submit"),
]
