"""REST views of assessments, evaluations and dossiers. Thin: parse, check, call, shape."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import review_selectors, selectors
from assessments.api.filters import AssessmentFilter, EvaluationFilter
from assessments.api.serializers import (
    AssessmentInput,
    AssessmentSerializer,
    EvaluationSerializer,
    EvaluationSummarySerializer,
    ReviewSerializer,
    SubmitSerializer,
    WhatIfSerializer,
)
from assessments.evaluation.whatif import Changes
from assessments.models import Assessment, Evaluation
from assessments.services import evaluation, workflow
from assessments.services.dossier import export_dossier, import_dossier
from emissions import selectors as emission_selectors
from emissions.api.fields import parse_body, required_reference
from zerocarbon.accounts.tenancy import require_write
from zerocarbon.converters import ID_PATTERN
from zerocarbon.errors import FieldError, ValidationFailed
from zerocarbon.middleware import body_limit
from zerocarbon.page_cache import CachedReadMixin
from zerocarbon.query_params import required_param

ZERO = Decimal(0)
# A zerocarbon.dossier/1 document; its own JSON schema is emissions/dossier/dossier.schema.json.
DOSSIER_DOCUMENT = OpenApiTypes.OBJECT
DOSSIER = "a `zerocarbon.dossier/1` document (emissions/dossier/dossier.schema.json)"
ID = OpenApiParameter(
    "id",
    {"type": "string", "pattern": f"^{ID_PATTERN}$"},
    OpenApiParameter.PATH,
    description="database id, 1–18 digits",
)


def json_response(result: dict[str, Any], http_status: int = 200) -> Response:
    """Decimals as exact JSON numbers: the renderer writes them (zerocarbon.renderers)."""
    return Response(result, status=http_status)


@extend_schema(tags=["assessments"])
@extend_schema_view(
    list=extend_schema(description="Your organisations' assessments and their status."),
    retrieve=extend_schema(
        description="One assessment; `evaluation_error` says why an evaluation failed."
    ),
    create=extend_schema(
        request=AssessmentInput,
        responses={201: AssessmentSerializer},
        description="A draft assessment of an inventory against a rubric, with the gates and "
        "answers of its dossier: the inventory's dossier with them is read as an import reads "
        "it, and errors are at its paths (`/gates/G1`, `/answers/ENE-1`). One per inventory "
        "and rubric (409). Submit it to evaluate it: the inventory is then locked until the "
        "assessment is reopened.",
    ),
)
class AssessmentViewSet(CachedReadMixin, viewsets.ReadOnlyModelViewSet[Assessment]):
    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()  # the model, for the schema; get_queryset scopes
    lookup_value_regex = ID_PATTERN  # /api/v1/assessments/abc/ is an unknown URL: 404
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        if self.action == "list":
            return selectors.assessment_list_for(self.request.user)
        return selectors.assessments_for(self.request.user)

    def get_object(self) -> Assessment:
        return selectors.assessment_for(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request) -> Response:
        data = parse_body(AssessmentInput, request.data)
        inventory_id = required_reference(data, "inventory", _("an inventory"))
        inventory = emission_selectors.inventory_for(request.user, inventory_id)
        assessment = workflow.create_assessment(request.user, inventory, data)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SubmitSerializer,
        responses={202: AssessmentSerializer},
        description="Submit for evaluation on the worker. `evaluation_queued` false: accepted "
        "and recorded, the platform queues it when the task queue answers again. With "
        "`certification_body` the submission opens a round of that body's review, which joins "
        "its queue once the evaluation is recorded (a slug that names no certification body: "
        "400 at `/certification_body`).",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        params = SubmitSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        assessment = workflow.submit_assessment(
            request.user,
            self.get_object(),
            as_of=params.validated_data.get("as_of"),
            certification_body=params.validated_data.get("certification_body"),
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=None,
        responses={200: AssessmentSerializer},
        description="Reopen an assessment for changes.",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        assessment = workflow.reopen_assessment(request.user, self.get_object())
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(
        request=WhatIfSerializer,
        responses={200: OpenApiTypes.OBJECT},
        description="The result the assessment would get with these changes; nothing is saved. "
        "Numbers are exact: JSON numbers with all their digits.",
    )
    @action(detail=True, methods=["post"], url_path="what-if")
    def what_if(self, request: Request, pk: str) -> Response:
        params = WhatIfSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        changes = Changes(
            extra_green_mwh=data.get("extra_green_mwh", ZERO),
            extra_credits_tco2e=data.get("extra_credits_tco2e", ZERO),
            extra_removals_tco2e=data.get("extra_removals_tco2e", ZERO),
            answers=data.get("answers", {}),
        )
        return json_response(
            evaluation.what_if(self.get_object(), changes, as_of=data.get("as_of"))
        )

    @extend_schema(
        responses={200: EvaluationSummarySerializer(many=True)},
        description="The assessment's evaluation records, newest first.",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def evaluations(self, request: Request, pk: str) -> Response:
        rows = self.get_object().evaluations.order_by("-created_at", "-pk")
        return Response(EvaluationSummarySerializer(rows, many=True).data)

    @extend_schema(
        responses={200: ReviewSerializer(many=True)},
        description="The rounds of the assessment's review by certification bodies, newest "
        "first, each with its decisions on evidence files and gates and its history "
        "(comments are events with action `commented`).",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def reviews(self, request: Request, pk: str) -> Response:
        rounds = review_selectors.rounds_of(request.user, self.get_object())
        return Response(ReviewSerializer([r.review for r in rounds], many=True).data)

    @extend_schema(
        tags=["assessments", "dossiers"],
        responses={200: DOSSIER_DOCUMENT},
        description=f"Export the assessment as {DOSSIER}.",
    )
    @action(detail=True, methods=["get"])
    def dossier(self, request: Request, pk: str) -> Response:
        return Response(export_dossier(self.get_object()))


@extend_schema(tags=["evaluations"])
@extend_schema_view(
    list=extend_schema(
        responses={200: EvaluationSummarySerializer(many=True)},
        description="Evaluation records of your organisations' assessments, without the record "
        "itself: versions, score, level and digests. `GET /api/v1/evaluations/ID/` has the "
        "result, the inputs snapshot and the factor values.",
    ),
    retrieve=extend_schema(
        description="One evaluation: result (exact numbers), inputs snapshot, versions, SHA-256."
    ),
)
class EvaluationViewSet(CachedReadMixin, viewsets.ReadOnlyModelViewSet[Evaluation]):
    serializer_class = EvaluationSerializer
    queryset = Evaluation.objects.none()  # the model, for the schema; get_queryset scopes
    lookup_value_regex = ID_PATTERN
    filterset_class = EvaluationFilter

    def get_queryset(self) -> QuerySet[Evaluation]:
        if self.action == "list":
            return selectors.evaluation_list_for(self.request.user)
        return selectors.evaluations_for(self.request.user)

    def get_serializer_class(self) -> type[EvaluationSummarySerializer]:
        return EvaluationSummarySerializer if self.action == "list" else EvaluationSerializer

    def get_object(self) -> Evaluation:
        return selectors.evaluation_for(self.request.user, int(self.kwargs["pk"]))


def _as_of(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            _("as_of must be a date YYYY-MM-DD."),
            [FieldError("as_of", _("{value!r} is not a date").format(value=text))],
        ) from None


class InventoryDossierView(APIView):
    """GET /api/v1/inventories/ID/dossier/: the dossier of the inventory's latest assessment
    (a dossier holds gates and answers, so it is an assessment's; here, not in emissions)."""

    @extend_schema(
        tags=["inventories", "dossiers"],
        parameters=[ID],
        responses={200: DOSSIER_DOCUMENT},
        description=f"Export the inventory as {DOSSIER}, with the gates and answers of its "
        "latest assessment; 404 when no assessment uses it yet.",
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(export_dossier(selectors.inventory_assessment_for(request.user, pk)))


@body_limit("dossier")
class DossierImportView(APIView):
    """POST /api/v1/dossiers/?organisation=SLUG with a zerocarbon.dossier/1 body → 201."""

    @extend_schema(
        tags=["dossiers"],
        parameters=[
            OpenApiParameter("organisation", str, required=True, description="organisation slug"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="reading date (today)"),
        ],
        request=DOSSIER_DOCUMENT,
        responses={201: AssessmentSerializer},
        description=f"Import {DOSSIER}: factory, inventory and assessment in one transaction. "
        "A 400 lists every problem with its JSON path; the body may have 16 MiB.",
    )
    def post(self, request: Request) -> Response:
        slug = required_param(
            request, "organisation", _("the slug of the organisation the dossier is imported into")
        )
        organisation = emission_selectors.organisation_by_slug(
            request.user, slug, path="organisation"
        )
        require_write(request.user, organisation)
        as_of = _as_of(request.query_params.get("as_of"))
        assessment = import_dossier(organisation, request.data, as_of=as_of)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)
