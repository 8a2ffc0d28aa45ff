"""Reads of the assessments app, scoped to the actor's organisations (404 otherwise)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.evaluation.present import Presented, present
from assessments.models import Answer, Assessment, Evaluation, Rubric
from assessments.rubric_editions import scoring_rubric
from assessments.services.dossier import (
    FullDossier,
    References,
    export_dossier,
    read_full_dossier,
)
from emissions import selectors as emission_selectors
from emissions.accounting.factors import FactorSet as KernelFactorSet
from emissions.models import FactorSet, Inventory
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


# The API's lists read what a list item shows, never the large JSON columns: a page of 50
# would otherwise decode 50 rubric documents, or 50 results, inputs and factor values.
_LARGE_EVALUATION_COLUMNS = ("result", "inputs", "factor_values")


def assessment_list_for(actor: Actor) -> QuerySet[Assessment]:
    """The actor's assessments as a list shows them: factory, inventory year and the rubric's
    code and edition (not its document)."""
    queryset = Assessment.objects.select_related("inventory__factory", "rubric").defer(
        "rubric__document"
    )
    return scope(queryset, actor, via=_VIA_ASSESSMENT)


def evaluation_list_for(actor: Actor) -> QuerySet[Evaluation]:
    """The actor's evaluations as a list shows them: versions, score, level and digests;
    the record itself (result, inputs, factor values) is one evaluation's own page."""
    queryset = Evaluation.objects.defer(*_LARGE_EVALUATION_COLUMNS)
    return scope(queryset, actor, via=f"assessment__{_VIA_ASSESSMENT}")


def evaluation_for(actor: Actor, pk: int) -> Evaluation:
    """An evaluation of the actor's organisations, or of an assessment submitted to one of
    the actor's certification bodies for review (404 otherwise)."""
    try:
        return get_scoped(
            Evaluation.objects.all(), actor, via=f"assessment__{_VIA_ASSESSMENT}", pk=pk
        )
    except NotFound:
        from assessments import review_selectors  # it reads through this module

        audited = review_selectors.audited_evaluation(actor, pk)
        if audited is None:
            raise
        return audited


def latest_evaluation(assessment: Assessment, *, submitted_only: bool = False) -> Evaluation | None:
    """The newest evaluation; with `submitted_only`, of what was submitted (not a review's
    approved adjustment of it, which rates the dossier without its rejected claims)."""
    rows = assessment.evaluations.order_by("-created_at", "-pk")
    return (rows.filter(adjusts=None) if submitted_only else rows).first()


def evaluation_failure(assessment: Assessment) -> str:
    """Why the assessment's evaluation failed, in the active language (the page's, or the
    API answer's); a failure recorded before there were texts by language has only its one."""
    texts: Mapping[str, str] = assessment.evaluation_error_texts or {}
    return texts.get(_active_language(), "") or assessment.evaluation_error


def _active_language() -> str:
    """The active language as a code of settings.LANGUAGES ("" when none is)."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return ""


def evaluation_input(
    assessment: Assessment,
    *,
    as_of: date,
    document: dict[str, Any] | None = None,
    factor_set: FactorSet | None = None,
    rubric: Rubric | None = None,
    references: References | None = None,
) -> FullDossier:
    """The frozen input of every evaluation of a stored assessment: its dossier (or a changed
    copy of it, `document`) read as of `as_of` with its inventory's factor set and its own
    rubric edition. The worker, the live preview and what-if all start here and go on to
    `evaluate_full`; the caller checked read permission (the assessment came from a scoped
    selector). Raises DossierRejected listing every error. `factor_set`, `rubric`: another
    published set or edition than the assessment's (a re-rating's preview). `references`:
    the registries and rubrics a run of many assessments reads once (a re-rating's chunk);
    read afresh if not given."""
    return read_full_dossier(
        document or export_dossier(assessment),
        as_of=as_of,
        factor_set=factor_set or assessment.inventory.factor_set,
        rubric=rubric or assessment.rubric,
        references=references,
    )


def answers_of(assessment: Assessment) -> dict[str, Answer]:
    """The assessment's stored answers by item id, each with its evidence files."""
    answers = assessment.answers.prefetch_related("evidence")
    return {answer.item_id: answer for answer in answers}


def latest_assessment_of(inventory: Inventory) -> Assessment | None:
    """The latest assessment of an inventory (the caller's selector scoped it), or None."""
    return (
        Assessment.objects.filter(inventory=inventory)
        .select_related("inventory__factory__organisation", "inventory__factor_set", "rubric")
        .order_by("-created_at", "-pk")
        .first()
    )


# The dashboard and the factory page: a factory's years with their latest assessment and
# evaluation, in a fixed number of queries however many factories and years there are. Only
# the columns shown are read; of the result only the two keys a row needs (never `inputs`,
# `result` or `factor_values` whole).


@dataclass(frozen=True)
class YearStanding:
    """An inventory year as lists show it: its newest assessment and that one's newest
    evaluation, if any."""

    inventory_pk: int
    factory_pk: int
    year: int
    boundary: str
    inventory_status: str
    assessment_pk: int | None = None
    assessment_status: str | None = None
    evaluation_pk: int | None = None
    star_level: int | None = None
    total_score: Decimal | None = None
    zero_carbon: bool | None = None
    boundary_total_tco2e: Decimal | None = None
    next_level: int | None = None  # the level the evaluation's shortfalls are towards

    @property
    def status_label(self) -> str:
        if self.assessment_status is None:
            return _("Not assessed")
        return str(Assessment.Status(self.assessment_status).label)

    @property
    def boundary_label(self) -> str:
        return str(Inventory.Boundary(self.boundary).label)

    @property
    def locked(self) -> bool:
        return self.inventory_status == Inventory.Status.LOCKED


def year_standings(actor: Actor, factory_ids: Sequence[int]) -> dict[int, list[YearStanding]]:
    """Each factory's years, oldest first (three queries)."""
    rows = list(
        emission_selectors.inventories_for(actor)
        .filter(factory_id__in=list(factory_ids))
        .order_by("factory_id", "year")
        .values("pk", "factory_id", "year", "boundary", "status")
    )
    assessments = _newest_assessments([row["pk"] for row in rows])
    evaluations = _newest_evaluations([a["pk"] for a in assessments.values()])
    standings: dict[int, list[YearStanding]] = {pk: [] for pk in factory_ids}
    for row in rows:
        assessment = assessments.get(row["pk"], {})
        evaluation = evaluations.get(assessment.get("pk", 0), {})
        standings[row["factory_id"]].append(_standing(row, assessment, evaluation))
    return standings


def _standing(
    row: Mapping[str, Any], assessment: Mapping[str, Any], evaluation: Mapping[str, Any]
) -> YearStanding:
    return YearStanding(
        inventory_pk=row["pk"],
        factory_pk=row["factory_id"],
        year=row["year"],
        boundary=row["boundary"],
        inventory_status=row["status"],
        assessment_pk=assessment.get("pk"),
        assessment_status=assessment.get("status"),
        evaluation_pk=evaluation.get("pk"),
        star_level=evaluation.get("star_level"),
        total_score=evaluation.get("total_score"),
        zero_carbon=evaluation.get("zero_carbon"),
        boundary_total_tco2e=_exact(evaluation.get("boundary_total")),
        next_level=_whole(evaluation.get("next_level")),
    )


def _newest_assessments(inventory_ids: list[int]) -> dict[int, Mapping[str, Any]]:
    newest = (
        Assessment.objects.filter(inventory_id=OuterRef("inventory_id"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    rows = (
        Assessment.objects.filter(inventory_id__in=inventory_ids, pk=Subquery(newest))
        .order_by()
        .values("pk", "inventory_id", "status")
    )
    return {row["inventory_id"]: row for row in rows}


def _newest_evaluations(
    assessment_ids: list[int], *, standing: bool = True
) -> dict[int, Mapping[str, Any]]:
    """The newest evaluation of each assessment: what a YearStanding shows, or with
    `standing` False only its next level (each key read out of the result costs the
    database a pass over every row's JSON)."""
    newest = (
        Evaluation.objects.filter(assessment_id=OuterRef("assessment_id"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    rows = Evaluation.objects.filter(assessment_id__in=assessment_ids, pk=Subquery(newest))
    shown = ("star_level", "total_score", "zero_carbon") if standing else ()
    keys = {"boundary_total": KT("result__emissions__boundary_total")} if standing else {}
    values = rows.order_by().values(
        "pk", "assessment_id", *shown, **keys, next_level=KT("result__next_level__level")
    )
    return {row["assessment_id"]: row for row in values}


def _exact(value: object) -> Decimal | None:
    """A JSON number read as text (PostgreSQL) or as a number (SQLite), as a Decimal."""
    return None if value is None else Decimal(str(value))


def _whole(value: object) -> int | None:
    return None if value is None else int(str(value))


class AttentionKind(StrEnum):
    """What an inventory year needs, most urgent first."""

    FAILED = "failed"
    DRAFT = "draft"
    UNASSESSED = "unassessed"
    SHORTFALL = "shortfall"


_ATTENTION_RANK = {kind: rank for rank, kind in enumerate(AttentionKind)}


@dataclass(frozen=True)
class Attention:
    kind: AttentionKind
    factory_pk: int
    factory_name: str
    factory_name_en: str
    organisation_pk: int
    inventory_pk: int
    year: int
    assessment_pk: int | None
    next_level: int | None

    @property
    def name(self) -> str:
        return self.factory_name

    @property
    def name_en(self) -> str:
        return self.factory_name_en


def attention_for(actor: Actor, *, limit: int) -> tuple[list[Attention], int]:
    """The inventory years of all the actor's factories that need someone to act, most
    urgent first (at most `limit`), and how many there are in all (three queries: the
    years, their newest assessments, those assessments' newest evaluations). A failed
    evaluation, a draft not yet submitted and an inventory without an assessment count in
    every year; next-level shortfalls only in a factory's latest year."""
    rows = list(
        emission_selectors.inventories_for(actor)
        .order_by("factory__name", "factory_id", "-year")
        .values(
            "pk", "year", "factory_id", "factory__name", "factory__name_en",
            "factory__organisation_id",
        )
    )  # fmt: skip
    assessments = _newest_assessments([row["pk"] for row in rows])
    evaluations = _newest_evaluations([a["pk"] for a in assessments.values()], standing=False)
    latest_year: dict[int, int] = {}
    for row in rows:  # each factory's years come newest first
        latest_year.setdefault(row["factory_id"], row["year"])
    found: list[Attention] = []
    for row in rows:
        assessment = assessments.get(row["pk"], {})
        next_level = _whole(evaluations.get(assessment.get("pk", 0), {}).get("next_level"))
        kind = _attention_kind(
            assessment.get("status"), next_level, row["year"] == latest_year[row["factory_id"]]
        )
        if kind is not None:
            found.append(_attention(kind, row, assessment.get("pk"), next_level))
    found.sort(key=lambda item: _ATTENTION_RANK[item.kind])  # stable: the name order stays
    return found[:limit], len(found)


def _attention_kind(
    status: str | None, next_level: int | None, latest_year: bool
) -> AttentionKind | None:
    if status == Assessment.Status.FAILED:
        return AttentionKind.FAILED
    if status == Assessment.Status.DRAFT:
        return AttentionKind.DRAFT
    if status is None:
        return AttentionKind.UNASSESSED
    if next_level is not None and latest_year and status == Assessment.Status.EVALUATED:
        return AttentionKind.SHORTFALL
    return None


def _attention(
    kind: AttentionKind, row: Mapping[str, Any], assessment_pk: int | None, next_level: int | None
) -> Attention:
    return Attention(
        kind=kind,
        factory_pk=row["factory_id"],
        factory_name=row["factory__name"],
        factory_name_en=row["factory__name_en"],
        organisation_pk=row["factory__organisation_id"],
        inventory_pk=row["pk"],
        year=row["year"],
        assessment_pk=assessment_pk,
        next_level=next_level,
    )


# The stored record of evaluations, as the assessment page shows them (assessments.explain).
_HISTORY_FIELDS = ("pk", "assessment_id", "created_at", "as_of", "total_score", "star_level")


def evaluation_history(assessment: Assessment) -> list[Evaluation]:
    """The assessment's evaluations, oldest first (version 1 first), without their large JSON
    columns (result, inputs, factor values): one query however large the inventory."""
    rows = assessment.evaluations.filter(adjusts=None)  # a review's approved result is no version
    return list(rows.only(*_HISTORY_FIELDS).order_by("created_at", "pk"))


def recorded_evaluation(pk: int) -> Evaluation:
    """One evaluation with its whole record (the caller scoped it: it came from a list above)."""
    return Evaluation.objects.get(pk=pk)


def presented_evaluation(evaluation: Evaluation, *, zh: bool) -> Presented:
    """An evaluation as its page presents it, from the record alone: the rubric edition and
    factor set it names, not the newest ones (the caller scoped it)."""
    edition = recorded_rubric(evaluation.rubric_code, evaluation.rubric_edition)
    factors = recorded_factor_set(evaluation.factor_set_version)
    fuel_names = {code: fuel.name_zh for code, fuel in factors.fuels.items()} if factors else {}
    return present(
        evaluation.result,
        evaluation.inputs,
        sha256=evaluation.sha256,
        rubric=scoring_rubric(edition) if edition else None,
        fuel_names=fuel_names,
        zh=zh,
    )


def recorded_factor_set(version: str) -> KernelFactorSet | None:
    """The factor set an evaluation recorded, by version (published sets never change)."""
    found = FactorSet.objects.filter(version=version).first()
    return emission_selectors.kernel_factor_set(found) if found else None


def recorded_rubric(code: str, edition: str) -> Rubric | None:
    """The rubric edition an evaluation recorded (its names and rules), not the newest one."""
    return Rubric.objects.filter(code=code, edition=edition).first()
