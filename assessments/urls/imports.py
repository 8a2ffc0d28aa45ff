from django.urls import path

from assessments.views import imports as views

urlpatterns = [
    path("assessments/<id:pk>/dossier.json", views.assessment_dossier, name="assessment-dossier"),
    path(
        "inventories/<id:pk>/spreadsheet-template.xlsx",
        views.inventory_template,
        name="inventory-template",
    ),
    path("inventories/<id:pk>/import/", views.inventory_import, name="inventory-import"),
    path("imports/<id:pk>/", views.import_detail, name="import-detail"),
    path("imports/<id:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<id:pk>/errors.xlsx", views.import_errors, name="import-errors"),
    path("dossiers/upload/", views.dossier_upload, name="dossier-upload"),
]
