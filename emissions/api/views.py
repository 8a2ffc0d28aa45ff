"""Read-only REST views of factories and inventories, scoped to the caller's organisations."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from emissions import selectors
from emissions.api.serializers import FactorySerializer, InventorySerializer
from emissions.models import Factory, Inventory
from zerocarbon.converters import ID_PATTERN


@extend_schema(tags=["factories"])
@extend_schema_view(
    list=extend_schema(description="Your organisations' factories."),
    retrieve=extend_schema(description="One factory."),
)
class FactoryViewSet(viewsets.ReadOnlyModelViewSet[Factory]):
    serializer_class = FactorySerializer
    queryset = Factory.objects.none()  # the model, for the schema; get_queryset scopes
    lookup_value_regex = ID_PATTERN  # /api/v1/factories/abc/ is an unknown URL: 404

    def get_queryset(self) -> QuerySet[Factory]:
        return selectors.factories_for(self.request.user)


@extend_schema(tags=["inventories"])
@extend_schema_view(
    list=extend_schema(description="Your organisations' inventories."),
    retrieve=extend_schema(
        description="One inventory; its dossier is at /api/v1/inventories/ID/dossier/."
    ),
)
class InventoryViewSet(viewsets.ReadOnlyModelViewSet[Inventory]):
    serializer_class = InventorySerializer
    queryset = Inventory.objects.none()  # the model, for the schema; get_queryset scopes
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Inventory]:
        return selectors.inventories_for(self.request.user).select_related("factory__organisation")
