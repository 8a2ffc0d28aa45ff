from django.urls import path

from assessments.views import reviews as views

urlpatterns = [
    path(
        "assessments/<id:pk>/reviews/<id:review_pk>/reply/",
        views.review_reply,
        name="assessment-review-reply",
    ),
]
