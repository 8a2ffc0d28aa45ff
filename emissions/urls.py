"""Factory pages (the inventory of a year is created from its factory's page). The factory's
own page, `factory-detail` (/factories/<id>/), shows its assessments and levels: it is routed
with the pages of the assessments app (assessments/urls/dashboard.py), which may read both."""

from django.urls import path

import zerocarbon.converters  # noqa: F401  (registers <id:…>)
from emissions import views

urlpatterns = [
    path("factories/", views.factory_list, name="factory-list"),
    path("factories/new/", views.factory_create, name="factory-create"),
    path("factories/check-code/", views.factory_check_code, name="factory-check-code"),
    path("factories/<id:pk>/edit/", views.factory_edit, name="factory-edit"),
]
