"""Reads of the assessments app, scoped to the actor's organisations (404 otherwise)."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.models import Assessment, Evaluation
from zerocarbon.accounts.tenancy import Actor, get_scoped, scope

_VIA_ASSESSMENT = "inventory__factory__organisation"


def assessments_for(actor: Actor) -> QuerySet[Assessment]:
    queryset = Assessment.objects.select_related("inventory__factory__organisation", "rubric")
    return scope(queryset, actor, via=_VIA_ASSESSMENT)


def assessment_for(actor: Actor, pk: int) -> Assessment:
    queryset = Assessment.objects.select_related(
        "inventory__factory__organisation", "inventory__factor_set", "rubric"
    )
    return get_scoped(queryset, actor, via=_VIA_ASSESSMENT, pk=pk)


def evaluations_for(actor: Actor) -> QuerySet[Evaluation]:
    return scope(
        Evaluation.objects.select_related("assessment"), actor, via=f"assessment__{_VIA_ASSESSMENT}"
    )


def evaluation_for(actor: Actor, pk: int) -> Evaluation:
    return get_scoped(Evaluation.objects.all(), actor, via=f"assessment__{_VIA_ASSESSMENT}", pk=pk)


def latest_evaluation(assessment: Assessment) -> Evaluation | None:
    return assessment.evaluations.order_by("-created_at", "-pk").first()
