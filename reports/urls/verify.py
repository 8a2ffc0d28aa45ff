"""The public verification pages: /verify/, /verify/list/, /verify/<number>/."""

from django.urls import URLPattern, path

from reports import verify_views

urlpatterns: list[URLPattern] = [
    path("verify/", verify_views.verify_search, name="verify-search"),
    path("verify/list/", verify_views.verify_list, name="verify-list"),
    path("verify/<str:number>/", verify_views.verify_certificate, name="verify-certificate"),
]
