from django.urls import path

from assessments.views import editor as views

urlpatterns = [
    path("factories/<id:pk>/inventories/new/", views.inventory_create, name="inventory-create"),
    path("inventories/<id:pk>/edit/", views.inventory_edit, name="inventory-edit"),
    path(
        "inventories/<id:pk>/sections/<slug:section>/",
        views.inventory_section,
        name="inventory-section",
    ),
]
