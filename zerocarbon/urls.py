from django.contrib import admin
from django.urls import include, path

from zerocarbon import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("zerocarbon.accounts.urls")),
    path("admin/", admin.site.urls),
]
