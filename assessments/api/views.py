"""REST views of assessments, evaluations and dossiers. Thin: parse, check, call, shape."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors, services
from assessments.api.serializers import (
    AssessmentSerializer,
    EvaluationSerializer,
    EvaluationSummarySerializer,
    SubmitSerializer,
    WhatIfSerializer,
)
from assessments.dossier import export_dossier, import_dossier
from assessments.models import Assessment, Evaluation
from assessments.whatif import Changes, what_if
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import get_scoped, require_write
from zerocarbon.converters import ID_PATTERN
from zerocarbon.errors import FieldError, ValidationFailed
from zerocarbon.middleware import body_limit

ZERO = Decimal(0)


def json_response(result: dict[str, Any], http_status: int = 200) -> Response:
    """Decimals as exact JSON numbers: the renderer writes them (zerocarbon.renderers)."""
    return Response(result, status=http_status)


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet[Assessment]):
    serializer_class = AssessmentSerializer
    lookup_value_regex = ID_PATTERN  # /api/assessments/abc/ is an unknown URL: 404

    def get_queryset(self) -> QuerySet[Assessment]:
        return selectors.assessments_for(self.request.user)

    def get_object(self) -> Assessment:
        return selectors.assessment_for(self.request.user, int(self.kwargs["pk"]))

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        params = SubmitSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        assessment = services.submit_assessment(
            request.user, self.get_object(), as_of=params.validated_data.get("as_of")
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        assessment = services.reopen_assessment(request.user, self.get_object())
        return Response(AssessmentSerializer(assessment).data)

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
        return json_response(what_if(self.get_object(), changes, as_of=data.get("as_of")))

    @action(detail=True, methods=["get"])
    def evaluations(self, request: Request, pk: str) -> Response:
        rows = self.get_object().evaluations.order_by("-created_at", "-pk")
        return Response(EvaluationSummarySerializer(rows, many=True).data)

    @action(detail=True, methods=["get"])
    def dossier(self, request: Request, pk: str) -> Response:
        return Response(export_dossier(self.get_object()))


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet[Evaluation]):
    serializer_class = EvaluationSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Evaluation]:
        return selectors.evaluations_for(self.request.user)

    def get_object(self) -> Evaluation:
        return selectors.evaluation_for(self.request.user, int(self.kwargs["pk"]))


def _as_of(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            "as_of must be a date YYYY-MM-DD.", [FieldError("as_of", f"{text!r} is not a date")]
        ) from None


@body_limit("dossier")
class DossierImportView(APIView):
    """POST /api/dossiers/?organisation=SLUG with a zerocarbon.dossier/1 body → 201."""

    def post(self, request: Request) -> Response:
        organisation = get_scoped(
            Organisation.objects.all(),
            request.user,
            via="pk",
            slug=request.query_params.get("organisation", ""),
        )
        require_write(request.user, organisation)
        as_of = _as_of(request.query_params.get("as_of"))
        assessment = import_dossier(organisation, request.data, as_of=as_of)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)
