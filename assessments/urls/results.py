from django.urls import path

from assessments.views import results as views

urlpatterns = [
    path("assessments/<id:pk>/panel/", views.assessment_panel, name="assessment-panel"),
    path("assessments/<id:pk>/what-if/", views.assessment_what_if, name="assessment-what-if"),
    path("assessments/<id:pk>/status/", views.assessment_status, name="assessment-status"),
    path(
        "assessments/<id:pk>/new-version/",
        views.assessment_new_version,
        name="assessment-new-version",
    ),
    path("assessments/<id:pk>/discard-draft/", views.assessment_discard, name="assessment-discard"),
    path("inventories/<id:pk>/delete/", views.inventory_delete, name="inventory-delete"),
]
