from django.urls import path

from assessments.views import evaluations as views

urlpatterns = [
    path("evaluations/<id:pk>/", views.evaluation_detail, name="evaluation-detail"),
]
