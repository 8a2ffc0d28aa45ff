from django.contrib import admin
from django.urls import include, path

from zerocarbon import health
from zerocarbon.apps import discover_admin

# Before admin.site.urls is read: the admin modules register their models (zerocarbon/apps.py).
discover_admin()

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("zerocarbon.accounts.urls")),
    # Versioned: nothing answers at /api/ itself or its old unversioned addresses but the
    # API's JSON 404 (zerocarbon.error_views).
    path("api/v1/", include("zerocarbon.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("reports.urls")),
    path("", include("emissions.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ these answer the API's JSON error shape; elsewhere Django's usual pages.
handler400 = "zerocarbon.error_views.bad_request"
handler403 = "zerocarbon.error_views.permission_denied"
handler404 = "zerocarbon.error_views.page_not_found"
handler500 = "zerocarbon.error_views.server_error"
