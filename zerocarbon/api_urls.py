"""REST API v1, mounted at /api/v1/ (zerocarbon/urls.py): every app's resources on one router,
whose root lists them together with the addresses that are not viewsets, the OpenAPI schema
and its Swagger UI (assets from our static files, drf-spectacular-sidecar)."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from assessments.api import urls as assessment_urls
from emissions.api import urls as emission_urls

# Listed at the API root next to the viewsets: prefix → URL name.
_NOT_VIEWSETS = {"dossiers": "dossier-import", "schema": "api-schema", "docs": "api-docs"}


class ApiRouter(DefaultRouter):
    def get_api_root_view(self, api_urls: Any = None) -> Any:
        list_name = self.routes[0].name
        root = {
            prefix: list_name.format(basename=basename) for prefix, _, basename in self.registry
        }
        return self.APIRootView.as_view(api_root_dict={**root, **_NOT_VIEWSETS})


router = ApiRouter(trailing_slash=True)
for prefix, viewset, basename in (*emission_urls.ROUTES, *assessment_urls.ROUTES):
    router.register(prefix, viewset, basename=basename)

# Swagger UI inserts one <style> element of its own at run time: on its page alone, inline
# styles are allowed (scripts stay our own files; decision 101).
_swagger = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", _swagger, name="api-docs"),
    *assessment_urls.urlpatterns,
    *emission_urls.urlpatterns,
    *router.urls,
]
