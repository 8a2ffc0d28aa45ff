"""REST views of an inventory's lines: energy records, process emissions, refrigerants, scope 3
entries, reduction measures, green-electricity instruments and carbon credits.

Flat resources (`/api/v1/energy-records/?inventory=ID`), each line naming its `inventory`:
ids are global, so a nested URL would only repeat one to be checked; one filter serves every
list; and a client reaches a line by the id it was given, as it does a meter. Each write is
checked by the dossier's rules in the inventory's document (emissions.services.records).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from emissions import selectors
from emissions.api import serializers as s
from emissions.api.fields import parse_body, refuse_move, required_reference
from emissions.api.filters import LineFilter
from emissions.models import (
    CarbonCredit,
    EnergyRecord,
    GreenElectricityInstrument,
    ProcessEmission,
    ReductionMeasure,
    RefrigerantRecord,
    Scope3Entry,
)
from emissions.services import records
from zerocarbon.converters import ID_PATTERN

_CHECKED = (
    "The line is checked by the dossier's rules in its inventory's document, as a dossier "
    "import checks it; errors name the fields of the body (`/unit`), or the path of another "
    "line it now clashes with. 409 `locked` while the inventory is under evaluation or review."
)
_CLAIMED = (
    " Serial ranges are claimed across the platform: a range claimed by any other line is "
    "refused (400 `already_claimed`); an update releases the old range and claims the new "
    "one, a deletion releases it."
)


def line_schema(
    tag: str, what: str, body: type[serializers.Serializer[Any]], shown: type[Any]
) -> Any:
    """The OpenAPI description of one line resource (a class decorator)."""
    checked = _CHECKED + (_CLAIMED if tag == "instruments" else "")
    return extend_schema_view(
        list=extend_schema(tags=[tag], description=f"Your {what}s, in document order."),
        retrieve=extend_schema(tags=[tag], description=f"One {what}."),
        create=extend_schema(
            tags=[tag],
            request=body,
            responses={201: shown},
            description=f"A new {what}, last in its inventory. {checked}",
        ),
        update=extend_schema(tags=[tag], request=body, description=f"Replace a {what}. {checked}"),
        partial_update=extend_schema(
            tags=[tag], request=body, description=f"Change the fields given. {checked}"
        ),
        destroy=extend_schema(tags=[tag], description=f"Delete a {what}. {checked}"),
    )


class LineViewSet(viewsets.ModelViewSet[Any]):
    section: ClassVar[str]  # the dossier section (`energy`, `credits`, ...)
    model: ClassVar[type[Model]]
    input_class: ClassVar[type[s.LineInput]]
    lookup_value_regex = ID_PATTERN
    filterset_class = LineFilter

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.lines_for(self.request.user, self.model)

    def get_object(self) -> Any:
        return selectors.line_for(self.request.user, self.model, int(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = parse_body(self.input_class, request.data)
        inventory_id = required_reference(data, "inventory", _("an inventory"))
        inventory = selectors.inventory_for(request.user, inventory_id)
        line = records.add_line(request.user, inventory, self.section, data)
        return Response(self.get_serializer(line).data, status=status.HTTP_201_CREATED)

    def update(
        self, request: Request, *args: Any, partial: bool = False, **kwargs: Any
    ) -> Response:
        line = self.get_object()
        data = parse_body(self.input_class, request.data)
        refuse_move(data, "inventory", line.inventory_id)
        line = records.update_line(request.user, line, self.section, data, partial=partial)
        return Response(self.get_serializer(line).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, partial=True)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        records.delete_line(request.user, self.get_object(), self.section)
        return Response(status=status.HTTP_204_NO_CONTENT)


@line_schema("records", "energy record", s.EnergyRecordInput, s.EnergyRecordSerializer)
class EnergyRecordViewSet(LineViewSet):
    section, model, input_class = "energy", EnergyRecord, s.EnergyRecordInput
    serializer_class = s.EnergyRecordSerializer
    queryset = EnergyRecord.objects.none()  # the model, for the schema; get_queryset scopes


@line_schema("records", "process emission", s.ProcessEmissionInput, s.ProcessEmissionSerializer)
class ProcessEmissionViewSet(LineViewSet):
    section, model, input_class = "process_emissions", ProcessEmission, s.ProcessEmissionInput
    serializer_class = s.ProcessEmissionSerializer
    queryset = ProcessEmission.objects.none()


@line_schema("records", "refrigerant record", s.RefrigerantInput, s.RefrigerantSerializer)
class RefrigerantViewSet(LineViewSet):
    section, model, input_class = "refrigerants", RefrigerantRecord, s.RefrigerantInput
    serializer_class = s.RefrigerantSerializer
    queryset = RefrigerantRecord.objects.none()


@line_schema("records", "scope 3 entry", s.Scope3EntryInput, s.Scope3EntrySerializer)
class Scope3EntryViewSet(LineViewSet):
    section, model, input_class = "scope3", Scope3Entry, s.Scope3EntryInput
    serializer_class = s.Scope3EntrySerializer
    queryset = Scope3Entry.objects.none()


@line_schema("records", "reduction measure", s.ReductionMeasureInput, s.ReductionMeasureSerializer)
class ReductionMeasureViewSet(LineViewSet):
    section, model, input_class = "reduction_measures", ReductionMeasure, s.ReductionMeasureInput
    serializer_class = s.ReductionMeasureSerializer
    queryset = ReductionMeasure.objects.none()


@line_schema(
    "instruments",
    "green-electricity instrument",
    s.GreenInstrumentInput,
    s.GreenInstrumentSerializer,
)
class GreenInstrumentViewSet(LineViewSet):
    section, model = "green_electricity", GreenElectricityInstrument
    input_class = s.GreenInstrumentInput
    serializer_class = s.GreenInstrumentSerializer
    queryset = GreenElectricityInstrument.objects.none()


@line_schema("instruments", "carbon credit", s.CreditInput, s.CreditSerializer)
class CreditViewSet(LineViewSet):
    section, model, input_class = "credits", CarbonCredit, s.CreditInput
    serializer_class = s.CreditSerializer
    queryset = CarbonCredit.objects.none()


ROUTES = [
    ("energy-records", EnergyRecordViewSet, "energy-record"),
    ("process-emissions", ProcessEmissionViewSet, "process-emission"),
    ("refrigerants", RefrigerantViewSet, "refrigerant"),
    ("scope3-entries", Scope3EntryViewSet, "scope3-entry"),
    ("reduction-measures", ReductionMeasureViewSet, "reduction-measure"),
    ("green-instruments", GreenInstrumentViewSet, "green-instrument"),
    ("credits", CreditViewSet, "credit"),
]
