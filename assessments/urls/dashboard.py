"""The dashboard and a factory's page: both show assessments and levels of factories."""

from django.urls import path

import zerocarbon.converters  # noqa: F401  (registers <id:…>)
from assessments.views import dashboard as views

urlpatterns = [
    path("", views.home, name="home"),
    path("factories/<id:pk>/", views.factory_detail, name="factory-detail"),
]
