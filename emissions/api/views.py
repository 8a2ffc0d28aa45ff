"""Read-only REST views of factories and inventories, scoped to the caller's organisations."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from emissions import selectors
from emissions.api.serializers import FactorySerializer, InventorySerializer
from emissions.models import Factory, Inventory
from zerocarbon.converters import ID_PATTERN


class FactoryViewSet(viewsets.ReadOnlyModelViewSet[Factory]):
    serializer_class = FactorySerializer
    lookup_value_regex = ID_PATTERN  # /api/factories/abc/ is an unknown URL: 404

    def get_queryset(self) -> QuerySet[Factory]:
        return selectors.factories_for(self.request.user)


class InventoryViewSet(viewsets.ReadOnlyModelViewSet[Inventory]):
    serializer_class = InventorySerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Inventory]:
        return selectors.inventories_for(self.request.user).select_related("factory__organisation")
