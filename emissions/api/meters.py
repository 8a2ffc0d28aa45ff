"""REST views of meters, their readings, monthly roll-up and data quality. Thin: parse,
check, call one service or selector, shape the answer."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from emissions import metering_selectors as selectors
from emissions.api.serializers import ExactModelSerializer
from emissions.ingest.readings import parse_range
from emissions.limits import CODE_MAX_LENGTH, TEXT_MAX_LENGTH
from emissions.models import Meter, MeterMonth, Reading
from emissions.selectors import inventory_for
from emissions.services import readings as services
from zerocarbon.converters import ID_PATTERN
from zerocarbon.errors import FieldError, ValidationFailed
from zerocarbon.middleware import body_limit


class _RawBody(BaseParser):
    """The body as bytes: the readings service reads JSON and CSV itself, row by row and
    much faster than the general JSON parser (emissions/ingest/readings.py)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream.read() if stream is not None else b""


class JsonRows(_RawBody):
    media_type = "application/json"


class CsvRows(_RawBody):
    media_type = "text/csv"


class MeterSerializer(serializers.ModelSerializer[Meter]):
    class Meta:
        model = Meter
        fields = [
            "id",
            "factory",
            "carrier",
            "unit",
            "external_id",
            "kind",
            "name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeterInputSerializer(serializers.Serializer[Any]):
    factory = serializers.IntegerField(min_value=1)
    carrier = serializers.CharField(max_length=CODE_MAX_LENGTH)
    unit = serializers.CharField(max_length=CODE_MAX_LENGTH)
    external_id = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=Meter.Kind.choices, default=Meter.Kind.INTERVAL)
    name = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)


class ReadingSerializer(ExactModelSerializer):
    class Meta:
        model = Reading
        fields = [
            "id",
            "start",
            "end",
            "value",
            "estimated",
            "register_start",
            "register_end",
            "recorded_at",
        ]
        read_only_fields = fields


class MonthSerializer(ExactModelSerializer):
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = MeterMonth
        fields = [
            "month",
            "value",
            "estimated_value",
            "covered_seconds",
            "month_seconds",
            "coverage",
            "readings",
        ]
        read_only_fields = fields

    def get_coverage(self, month: MeterMonth) -> Any:
        return selectors.coverage(month)


BATCH_ANSWER = {
    "type": "object",
    "properties": {
        "created": {"type": "integer"},
        "updated": {"type": "integer"},
        "unchanged": {"type": "integer"},
        "rejected": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "index": {"type": "integer"},
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "path": {"type": "string"},
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
        "register_resets": {"type": "array", "items": {"type": "integer"}},
    },
}
ROWS = {
    "type": "array",
    "maxItems": 50000,
    "items": {
        "type": "object",
        "properties": {
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": "string", "format": "date-time"},
            "value": {"type": "number", "minimum": 0},
            "estimated": {"type": "boolean"},
            "unit": {"type": "string"},
            "timestamp": {"type": "string", "format": "date-time"},
            "reading": {"type": "number", "minimum": 0},
        },
    },
}
_BATCH_PARAMS = [
    OpenApiParameter("atomic", OpenApiTypes.BOOL, description="all rows or none (false)"),
    OpenApiParameter("unit", str, description="unit of every row without its own (the meter's)"),
]
_EXAMPLE = OpenApiExample(
    "two quarter hours",
    value=[
        {"start": "2025-03-01T00:00:00+08:00", "end": "2025-03-01T00:15:00+08:00", "value": 12.5},
        {"start": "2025-03-01T00:15:00+08:00", "end": "2025-03-01T00:30:00+08:00", "value": 12.25},
    ],
    request_only=True,
)
_BATCH_DOC = (
    "A JSON list (or CSV text with a header line) of at most 50,000 rows: `start`, `end`, "
    "`value`, optional `estimated` and `unit`; cumulative meters `timestamp`, `reading`. "
    "Naive timestamps are read in Asia/Shanghai. Keyed on (meter, start, end): the same batch "
    "again changes nothing. Valid rows are written and invalid ones listed with their index, "
    "unless `atomic=true`."
)


@extend_schema(tags=["meters"])
class MeterViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Meter],
):
    serializer_class = MeterSerializer
    queryset = Meter.objects.none()  # the model, for the schema; get_queryset scopes
    lookup_value_regex = ID_PATTERN
    filterset_fields = ["factory", "carrier", "kind", "external_id"]

    def get_queryset(self) -> QuerySet[Meter]:
        return selectors.meters_for(self.request.user)

    def get_object(self) -> Meter:
        return selectors.meter_for(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        request=MeterInputSerializer,
        responses={201: MeterSerializer},
        description="A meter of one of your factories.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = MeterInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        factory = selectors.factory_for_input(request.user, params.validated_data["factory"])
        meter = services.create_meter(request.user, factory, params.validated_data)
        return Response(MeterSerializer(meter).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATETIME),
            OpenApiParameter("end", OpenApiTypes.DATETIME),
        ],
        responses={200: ReadingSerializer(many=True)},
        description="Stored readings, oldest first; ?start=&end= narrow them to a range.",
    )
    @extend_schema(
        methods=["POST"],
        request={"application/json": ROWS, "text/csv": OpenApiTypes.STR},
        parameters=_BATCH_PARAMS,
        responses={200: BATCH_ANSWER},
        examples=[_EXAMPLE],
        description=_BATCH_DOC,
    )
    @extend_schema(
        methods=["PUT"],
        request={"application/json": ROWS, "text/csv": OpenApiTypes.STR},
        parameters=_BATCH_PARAMS,
        responses={200: BATCH_ANSWER},
        description="As POST, and a stored interval sent with another value is "
        "corrected (`updated`); its previous value is kept.",
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATETIME, required=True),
            OpenApiParameter("end", OpenApiTypes.DATETIME, required=True),
        ],
        responses={200: {"type": "object", "properties": {"deleted": {"type": "integer"}}}},
        description="Remove the readings lying wholly inside [start, end).",
    )
    @action(
        detail=True, methods=["get", "post", "put", "delete"], parser_classes=[JsonRows, CsvRows]
    )
    def readings(self, request: Request, pk: str) -> Response:
        meter = self.get_object()
        if request.method == "GET":
            rows = selectors.readings_of(meter, request.query_params)
            page = self.paginate_queryset(cast(Any, rows))
            return self.get_paginated_response(ReadingSerializer(page, many=True).data)
        if request.method == "DELETE":
            start, end = parse_range(
                request.query_params.get("start"), request.query_params.get("end")
            )
            return Response({"deleted": services.delete_readings(request.user, meter, start, end)})
        result = services.record_readings(
            request.user,
            meter,
            cast(bytes, request.data),
            request.content_type,
            atomic=_flag(request, "atomic"),
            correct=request.method == "PUT",
            unit=request.query_params.get("unit", ""),
        )
        return Response(result.as_dict())

    @extend_schema(
        parameters=[OpenApiParameter("year", int)],
        responses={200: MonthSerializer(many=True)},
        description="The monthly roll-up (Asia/Shanghai months, by time share).",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def months(self, request: Request, pk: str) -> Response:
        rows = selectors.months_of(self.get_object(), _year(request, required=False))
        return Response(MonthSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={200: OpenApiTypes.OBJECT},
        description="Gaps, overlaps, zero streaks, spikes, estimated share, coverage "
        "and the score 1–5 of the meter's readings in a calendar year.",
    )
    @action(detail=True, methods=["get"])
    def quality(self, request: Request, pk: str) -> Response:
        return Response(selectors.meter_quality(self.get_object(), _required_year(request)))


def _flag(request: Request, name: str) -> bool:
    text = request.query_params.get(name, "false").strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    raise ValidationFailed(
        _("The query parameter {name} is true or false.").format(name=name),
        [FieldError(name, _("true or false"))],
    )


def _required_year(request: Request) -> int:
    year = _year(request, required=True)
    assert year is not None  # noqa: S101 - _year raises when a required year is missing
    return year


def _year(request: Request, *, required: bool) -> int | None:
    text = request.query_params.get("year", "").strip()
    if not text:
        if not required:
            return None
        raise ValidationFailed(
            _("The query parameter year is required."),
            [FieldError("year", _("this query parameter is required"))],
        )
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValidationFailed(
            _("The query parameter year is a year such as 2025."),
            [FieldError("year", _("a year from 2000 to 2100"))],
        )
    return int(text)


body_limit("readings")(MeterViewSet)


class InventoryMeteringView(APIView):
    """GET /api/v1/inventories/ID/metering/: what the factory's meters say about the year."""

    @extend_schema(
        tags=["inventories", "meters"],
        parameters=[
            OpenApiParameter(
                "id", {"type": "string", "pattern": f"^{ID_PATTERN}$"}, OpenApiParameter.PATH
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
        description="Per metered carrier: the 12 monthly values with their coverage, the "
        "metered total next to the entered one and the difference; data quality per meter and "
        "the inventory's score 1–5; warnings when meters do not cover the whole year.",
    )
    def get(self, request: Request, pk: int) -> Response:
        inventory = inventory_for(request.user, pk)
        return Response(selectors.inventory_metering(inventory))
