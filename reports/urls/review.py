"""The auditor's review: queue, review page, its writes, evidence files, revocation."""

from django.urls import URLPattern, path

from reports import review_views

urlpatterns: list[URLPattern] = [
    path("review/", review_views.review_queue, name="review-queue"),
    path("review/<id:pk>/", review_views.review_detail, name="review-detail"),
    path("review/<id:pk>/decide/", review_views.review_decide, name="review-decide"),
    path("review/<id:pk>/comment/", review_views.review_comment, name="review-comment"),
    path("review/<id:pk>/outcome/", review_views.review_outcome, name="review-outcome"),
    path(
        "review/<id:pk>/evidence/<id:evidence_pk>/",
        review_views.review_evidence,
        name="review-evidence",
    ),
    path(
        "certificates/<id:pk>/revoke/", review_views.certificate_revoke, name="certificate-revoke"
    ),
]
