"""Dossier import and export: a whole `zerocarbon.dossier/1` file in or out.

Reading is all-or-nothing and reports every problem with its JSON path: the inventory part is
checked by `emissions.dossier`, the rubric answers and declared gates by the scoring kernel.
The import writes the factory, the inventory and the assessment in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.evaluation.engine import Evaluated, evaluate
from assessments.models import Answer, Assessment, Rubric
from assessments.rubric_editions import scoring_rubric
from assessments.scoring import rubric as rubric_kernel
from assessments.scoring.answers import AnswerErrors, Answers, parse_answers, parse_gates
from emissions import selectors as emission_selectors
from emissions.dossier import DossierError, DossierInvalid, ReadDossier, read_dossier, to_jsonable
from emissions.dossier.layout import TOP_LEVEL_KEYS
from emissions.dossier.registries import RegistryDirectory
from emissions.history import record_created
from emissions.models import FactorSet, Inventory
from emissions.services.inventory import create_inventory
from zerocarbon.accounts.models import Organisation
from zerocarbon.db import retrying_transaction
from zerocarbon.errors import FieldError, ValidationFailed
from zerocarbon.version import CODE_VERSION


class DossierRejected(ValidationFailed):
    """The dossier breaks a reading rule; nothing was written."""


@dataclass(frozen=True)
class FullDossier:
    read: ReadDossier
    factor_set: FactorSet
    rubric: Rubric
    scoring_rubric: rubric_kernel.Rubric
    answers: Answers
    gates: Mapping[str, bool]
    registries: RegistryDirectory


def evaluate_full(
    full: FullDossier, *, as_of: date, metering: Mapping[str, Any] | None = None
) -> Evaluated:
    """The one way a read dossier is evaluated: the CLI, the worker and what-if all come here.
    `metering`: the stored inventory's meter coverage (emissions.metering_selectors), if any."""
    return evaluate(
        full.read,
        factors=emission_selectors.kernel_factor_set(full.factor_set),
        rubric=full.scoring_rubric,
        answers=full.answers,
        gates=full.gates,
        as_of=as_of,
        code_version=CODE_VERSION,
        metering=metering,
    )


def _rubric_for(code: str) -> Rubric | None:
    return Rubric.objects.filter(code=code, status="published").order_by("-edition").first()


@dataclass
class References:
    """The reference data a run of many dossiers reads once: the default factor set, the
    registries and the latest published edition of each rubric code asked for. One batch
    evaluates every file against the same references, and looking them up again for each
    file was two thirds of the batch's database time (4 queries a file)."""

    factor_set: FactorSet
    registries: RegistryDirectory
    rubrics: dict[str, Rubric | None]

    @classmethod
    def current(cls) -> References:
        registries = emission_selectors.registry_directory()
        return cls(emission_selectors.default_factor_set(), registries, {})

    def rubric(self, code: str) -> Rubric | None:
        if code not in self.rubrics:
            self.rubrics[code] = _rubric_for(code)
        return self.rubrics[code]


def read_full_dossier(
    data: object,
    *,
    as_of: date,
    factor_set: FactorSet | None = None,
    references: References | None = None,
    rubric: Rubric | None = None,
) -> FullDossier:
    """Check a parsed dossier completely; raises DossierRejected listing every error.
    `references`: those of a batch (read once for all its files); read afresh if not given.
    `rubric`: the edition to read it with (a stored assessment's own, or a re-rating's);
    by default the latest published edition of the rubric code the dossier names."""
    if references is None:
        found = factor_set or emission_selectors.default_factor_set()
        registries = emission_selectors.registry_directory()
        references = References(found, registries, {})
    factor_set = factor_set or references.factor_set
    registries = references.registries
    factors = emission_selectors.kernel_factor_set(factor_set)
    try:
        read = read_dossier(data, factors=factors, as_of=as_of, registries=registries)
    except DossierInvalid as invalid:
        raise _rejected(invalid.errors) from None
    rubric = rubric or references.rubric(read.rubric_code)
    if rubric is None:
        message = _("no published rubric with code {code!r}").format(code=read.rubric_code)
        raise _rejected([DossierError("/rubric", message)])
    kernel_rubric = scoring_rubric(rubric)
    errors: list[tuple[str, str]] = []
    answers, gates = Answers(), {}
    try:
        answers = parse_answers(kernel_rubric, read.answers_raw)
    except AnswerErrors as error:
        errors += error.errors
    try:
        gates = dict(parse_gates(kernel_rubric, read.gates_raw))
    except AnswerErrors as error:
        errors += error.errors
    if errors:
        raise _rejected([DossierError(path, message) for path, message in sorted(errors)])
    return FullDossier(read, factor_set, rubric, kernel_rubric, answers, gates, registries)


def _rejected(errors: list[DossierError]) -> DossierRejected:
    count = len(errors)
    message = ngettext(
        "The dossier is invalid ({count} error); nothing was saved.",
        "The dossier is invalid ({count} errors); nothing was saved.",
        count,
    )
    return DossierRejected(
        message.format(count=count), [FieldError(error.path, error.message) for error in errors]
    )


def import_dossier(organisation: Organisation, data: object, *, as_of: date) -> Assessment:
    """Read and store a whole dossier (factory, inventory, claims, assessment, answers) in one
    transaction. Two imports racing for the same certificates can deadlock inside PostgreSQL;
    the loser is run again, and then finds the ranges claimed (a 400 naming them)."""
    full = read_full_dossier(data, as_of=as_of)
    return retrying_transaction(lambda: _store_dossier(organisation, full))


def _store_dossier(organisation: Organisation, full: FullDossier) -> Assessment:
    inventory = create_inventory(organisation, full.read.document, full.factor_set, full.registries)
    return store_assessment(inventory, full)


def store_assessment(inventory: Inventory, full: FullDossier) -> Assessment:
    """The assessment of `inventory` with the read dossier's rubric, declared gates and
    answers (their history recorded), in the caller's transaction."""
    assessment = Assessment.objects.create(
        inventory=inventory, rubric=full.rubric, declared_gates=dict(full.read.gates_raw)
    )
    record_created(
        Answer.objects.bulk_create(
            Answer(assessment=assessment, item_id=item_id, value=value)
            for item_id, value in full.read.answers_raw.items()
        )
    )
    return assessment


def export_dossier(assessment: Assessment) -> dict[str, Any]:
    """The complete dossier of an assessment as JSON-ready data, in the format's key order."""
    document = emission_selectors.inventory_document(assessment.inventory)
    document["rubric"] = assessment.rubric.code
    document["gates"] = dict(assessment.declared_gates)
    answers = {answer.item_id: answer.value for answer in assessment.answers.all()}
    if answers:
        document["answers"] = answers
    return to_jsonable({key: document[key] for key in TOP_LEVEL_KEYS if key in document})
