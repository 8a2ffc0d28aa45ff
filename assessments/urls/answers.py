from django.urls import path

from assessments.views import answers as views

urlpatterns = [
    path("assessments/<id:pk>/answers/", views.assessment_answers, name="assessment-answers"),
    path("assessments/<id:pk>/gates/", views.assessment_gates, name="assessment-gates"),
    path("inventories/<id:pk>/evidence/", views.inventory_evidence, name="inventory-evidence"),
    path("evidence/<id:pk>/download/", views.evidence_download, name="evidence-download"),
    path("evidence/<id:pk>/replace/", views.evidence_replace, name="evidence-replace"),
]
