"""REST views of factories and inventories, scoped to the caller's organisations. Thin: parse,
call one selector or service, shape the answer; the services check and write."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from emissions import selectors
from emissions.api.fields import parse_body, refuse_move, required_reference
from emissions.api.filters import FactoryFilter, InventoryFilter
from emissions.api.serializers import (
    FactoryInput,
    FactorySerializer,
    InventoryInput,
    InventorySerializer,
)
from emissions.models import Factory, Inventory
from emissions.services import records
from zerocarbon.converters import ID_PATTERN
from zerocarbon.page_cache import CachedReadMixin

_CHECKED = (
    "Checked by the dossier's rules as its `factory` would be; errors name the fields of the "
    "body (`/province`)."
)
_LOCKED = "409 `locked` while one of its inventories is under evaluation or review."


@extend_schema(tags=["factories"])
@extend_schema_view(
    list=extend_schema(description="Your organisations' factories."),
    retrieve=extend_schema(description="One factory."),
    create=extend_schema(
        request=FactoryInput,
        responses={201: FactorySerializer},
        description="A new factory (consultants and admins). " + _CHECKED + " The grid "
        "region follows from the province; the credit code is unique in the organisation (409).",
    ),
    update=extend_schema(
        request=FactoryInput,
        description="Replace a factory's fields. " + _CHECKED + " " + _LOCKED,
    ),
    partial_update=extend_schema(
        request=FactoryInput,
        description="Change the fields given. " + _CHECKED + " " + _LOCKED,
    ),
)
class FactoryViewSet(CachedReadMixin, viewsets.ReadOnlyModelViewSet[Factory]):
    serializer_class = FactorySerializer
    queryset = Factory.objects.none()  # the model, for the schema; get_queryset scopes
    lookup_value_regex = ID_PATTERN  # /api/v1/factories/abc/ is an unknown URL: 404
    filterset_class = FactoryFilter

    def get_queryset(self) -> QuerySet[Factory]:
        return selectors.factories_for(self.request.user)

    def get_object(self) -> Factory:
        return selectors.factory_for(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request) -> Response:
        data = parse_body(FactoryInput, request.data)
        organisation = selectors.writable_organisation(
            request.user, data.pop("organisation", None), path="/organisation"
        )
        factory = records.create_factory(request.user, organisation, data)
        return Response(FactorySerializer(factory).data, status=status.HTTP_201_CREATED)

    def update(
        self, request: Request, *args: Any, partial: bool = False, **kwargs: Any
    ) -> Response:
        factory = self.get_object()
        data = parse_body(FactoryInput, request.data)
        refuse_move(data, "organisation", factory.organisation.slug)
        factory = records.update_factory(request.user, factory, data, partial=partial)
        return Response(FactorySerializer(factory).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, partial=True)


_INVENTORY_CHECKED = (
    "Checked by the dossier's rules in the inventory's document (a GWP set must have every "
    "gas of its lines, a baseline year may not follow the year); `production_output` is the "
    "dossier's production.output, and errors name the fields of the body."
)
_INVENTORY_LOCKED = "409 `locked` while it is under evaluation or review."


@extend_schema(tags=["inventories"])
@extend_schema_view(
    list=extend_schema(description="Your organisations' inventories."),
    retrieve=extend_schema(
        description="One inventory; its dossier is at /api/v1/inventories/ID/dossier/."
    ),
    create=extend_schema(
        request=InventoryInput,
        responses={201: InventorySerializer},
        description="A new inventory of a factory for one year (409 when the year has one), "
        "on the platform's default factor set, without lines. " + _INVENTORY_CHECKED,
    ),
    update=extend_schema(
        request=InventoryInput,
        description="Replace an inventory's own fields. "
        + _INVENTORY_CHECKED
        + " "
        + _INVENTORY_LOCKED,
    ),
    partial_update=extend_schema(
        request=InventoryInput,
        description="Change the fields given. " + _INVENTORY_CHECKED + " " + _INVENTORY_LOCKED,
    ),
    destroy=extend_schema(
        description="Delete an inventory with its lines, releasing their serial claims. "
        + _INVENTORY_LOCKED
        + " 409 too while an assessment uses it."
    ),
)
class InventoryViewSet(viewsets.ModelViewSet[Inventory]):
    serializer_class = InventorySerializer
    queryset = Inventory.objects.none()  # the model, for the schema; get_queryset scopes
    lookup_value_regex = ID_PATTERN
    filterset_class = InventoryFilter

    def get_queryset(self) -> QuerySet[Inventory]:
        return selectors.inventories_for(self.request.user).select_related("factory__organisation")

    def get_object(self) -> Inventory:
        return selectors.inventory_for(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = parse_body(InventoryInput, request.data)
        factory_id = required_reference(data, "factory", _("a factory"))
        factory = selectors.factory_for(request.user, factory_id)
        inventory = records.create_inventory(request.user, factory, data)
        return Response(InventorySerializer(inventory).data, status=status.HTTP_201_CREATED)

    def update(
        self, request: Request, *args: Any, partial: bool = False, **kwargs: Any
    ) -> Response:
        inventory = self.get_object()
        data = parse_body(InventoryInput, request.data)
        refuse_move(data, "factory", inventory.factory_id)
        inventory = records.update_inventory(request.user, inventory, data, partial=partial)
        return Response(InventorySerializer(inventory).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, partial=True)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        records.delete_inventory(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
