"""The emissions resources of the REST API; zerocarbon/api_urls.py puts every app's on one
router, so that one API root lists them all."""

from django.urls import path

import zerocarbon.converters  # noqa: F401  (registers <id:…>)
from emissions.api.meters import InventoryMeteringView, MeterViewSet
from emissions.api.records import ROUTES as RECORD_ROUTES
from emissions.api.views import FactoryViewSet, InventoryViewSet

ROUTES = [
    ("factories", FactoryViewSet, "factory"),
    ("inventories", InventoryViewSet, "inventory"),
    *RECORD_ROUTES,
    ("meters", MeterViewSet, "meter"),
]

urlpatterns = [
    path(
        "inventories/<id:pk>/metering/",
        InventoryMeteringView.as_view(),
        name="inventory-metering",
    ),
]
