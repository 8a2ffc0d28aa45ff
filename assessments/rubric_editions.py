"""Rubric editions between files, the database and the scoring kernel.

A rubric file is validated by the kernel (schema, then meaning) before anything is stored.
Loading the same edition twice with the same content is a no-op; with different content it
is refused: a published edition never changes, a changed table is a new edition.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Rubric
from assessments.scoring import rubric as kernel
from zerocarbon.errors import Conflict, FieldError, NotFound, ValidationFailed

DEFAULT_RUBRIC_CODE = "T/CECA-G 0171-2022"


def canonical_sha256(document: Any) -> str:
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def read_rubric_file(path: Path) -> dict[str, Any]:
    import yaml  # here: evaluating reads stored editions (JSON), only loading reads a file

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        message = _("{path}: cannot be read as YAML or JSON: {error}")
        raise ValidationFailed(message.format(path=path, error=error)) from None
    if not isinstance(document, dict):
        message = _("{path}: expected a mapping at the top of the file")
        raise ValidationFailed(message.format(path=path))
    # Through JSON once, so that what is stored is exactly what a JSONField gives back.
    loaded: dict[str, Any] = json.loads(json.dumps(document, default=str))
    return loaded


@transaction.atomic
def load_rubric_document(document: dict[str, Any]) -> tuple[Rubric, bool]:
    """Store a rubric edition; returns (rubric, created)."""
    try:
        parsed = kernel.rubric_from_dict(document)
    except kernel.RubricError as error:
        raise ValidationFailed(
            _("The rubric file is invalid."),
            [FieldError(path or "/", message) for path, message in error.problems],
        ) from None
    digest = canonical_sha256(document)
    existing = Rubric.objects.filter(code=parsed.code, edition=parsed.edition).first()
    if existing is not None:
        if existing.document_sha256 == digest:
            return existing, False
        message = _(
            "Rubric {code} edition {edition} is already loaded with other content; a published"
            " edition never changes — give the new tables a new edition."
        )
        raise Conflict(message.format(code=parsed.code, edition=parsed.edition))
    rubric = Rubric.objects.create(
        code=parsed.code,
        edition=parsed.edition,
        name=parsed.name.zh,
        status=parsed.status,
        document=document,
        document_sha256=digest,
    )
    return rubric, True


def publish_rubric(rubric: Rubric) -> bool:
    """A draft edition published (from then on frozen); False if it was published already.
    Its file was checked by the kernel when it was loaded."""
    return bool(Rubric.objects.filter(pk=rubric.pk, status="draft").update(status="published"))


def seed_default_rubric(rubric_model: Any) -> None:
    """Store the shipped edition unless present (data migration; tests after a flush).
    Takes the model class so that a migration can pass its historical model."""
    document = read_rubric_file(kernel.DEFAULT_RUBRIC_PATH)
    parsed = kernel.rubric_from_dict(document)
    if rubric_model.objects.filter(code=parsed.code, edition=parsed.edition).exists():
        return
    rubric_model.objects.create(
        code=parsed.code, edition=parsed.edition, name=parsed.name.zh, status=parsed.status,
        document=document, document_sha256=canonical_sha256(document),
    )  # fmt: skip


@lru_cache(maxsize=64)
def _parsed(rubric_pk: int, digest: str) -> kernel.Rubric:
    document = Rubric.objects.values_list("document", flat=True).get(pk=rubric_pk)
    return kernel.stored_rubric(document)


def scoring_rubric(rubric: Rubric) -> kernel.Rubric:
    """The kernel's view of a stored edition (cached: published editions never change)."""
    return _parsed(rubric.pk, rubric.document_sha256)


def latest_published(code: str = DEFAULT_RUBRIC_CODE) -> Rubric:
    rubric = Rubric.objects.filter(code=code, status="published").order_by("-edition").first()
    if rubric is None:
        raise NotFound(_("No published rubric with code {code!r} is loaded.").format(code=code))
    return rubric
