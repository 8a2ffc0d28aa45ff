"""The emissions resources of the REST API; zerocarbon/api_urls.py puts every app's on one
router, so that one API root lists them all."""

from emissions.api.views import FactoryViewSet, InventoryViewSet

ROUTES = [
    ("factories", FactoryViewSet, "factory"),
    ("inventories", InventoryViewSet, "inventory"),
]
