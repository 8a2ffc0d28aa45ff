from django.contrib import admin
from django.urls import include, path

from zerocarbon import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("zerocarbon.accounts.urls")),
    path("api/", include("emissions.api.urls")),
    path("api/", include("assessments.api.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
