from rest_framework.routers import DefaultRouter

from emissions.api.views import FactoryViewSet, InventoryViewSet

router = DefaultRouter(trailing_slash=True)
router.register("factories", FactoryViewSet, basename="factory")
router.register("inventories", InventoryViewSet, basename="inventory")

urlpatterns = router.urls
