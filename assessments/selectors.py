"""Reads of the assessments app, scoped to the actor's organisations (404 otherwise)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.models import Assessment, Evaluation
from emissions import selectors as emission_selectors
from zerocarbon.accounts.tenancy import Actor, get_scoped, scope
from zerocarbon.errors import NotFound

_VIA_ASSESSMENT = "inventory__factory__organisation"


def assessments_for(actor: Actor) -> QuerySet[Assessment]:
    queryset = Assessment.objects.select_related("inventory__factory__organisation", "rubric")
    return scope(queryset, actor, via=_VIA_ASSESSMENT)


def assessment_for(actor: Actor, pk: int) -> Assessment:
    queryset = Assessment.objects.select_related(
        "inventory__factory__organisation", "inventory__factor_set", "rubric"
    )
    return get_scoped(queryset, actor, via=_VIA_ASSESSMENT, pk=pk)


def inventory_assessment_for(actor: Actor, inventory_pk: int) -> Assessment:
    """The latest assessment of an inventory of the actor's: its dossier is the inventory's.
    404 for another organisation's inventory and for one that no assessment uses yet."""
    inventory = emission_selectors.inventory_for(actor, inventory_pk)
    latest = (
        Assessment.objects.filter(inventory=inventory)
        .select_related("inventory__factory__organisation", "inventory__factor_set", "rubric")
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        raise NotFound(_("This inventory has no assessment yet; a dossier needs its gates."))
    return latest


def evaluations_for(actor: Actor) -> QuerySet[Evaluation]:
    return scope(
        Evaluation.objects.select_related("assessment"), actor, via=f"assessment__{_VIA_ASSESSMENT}"
    )


def evaluation_for(actor: Actor, pk: int) -> Evaluation:
    return get_scoped(Evaluation.objects.all(), actor, via=f"assessment__{_VIA_ASSESSMENT}", pk=pk)


def latest_evaluation(assessment: Assessment) -> Evaluation | None:
    return assessment.evaluations.order_by("-created_at", "-pk").first()
