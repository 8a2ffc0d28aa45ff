"""The import service on PostgreSQL with generated dossiers: it stores a dossier whole or
refuses it with paths, writing nothing; what it stores it exports exactly.

Each example runs in a savepoint that is rolled back, so examples are independent (no serial
stays claimed, no factory stays behind) although they share the test's database fixtures.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from assessments.evaluation.engine import canonical
from assessments.models import Answer, Assessment
from assessments.services.dossier import (
    FullDossier,
    export_dossier,
    import_dossier,
    read_full_dossier,
)
from emissions.accounting import exact_json
from emissions.dossier import parse_dossier_text
from emissions.dossier.layout import FREE_SECTIONS
from emissions.models import Factory, Inventory, SerialClaim
from tests.properties.budget import budget
from tests.properties.checks import assert_errors_with_paths, rolled_back
from tests.properties.findings import EXPORT_DIFFERS, SERVER_ERRORS, TINY_RATIO, run_first
from tests.properties.hostile import hostile_dossiers
from tests.properties.strategies import AS_OF, valid_dossiers
from zerocarbon.accounts.models import Organisation
from zerocarbon.errors import DomainError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
STORED = (Factory, Inventory, Assessment, SerialClaim, Answer)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in STORED}


def without_free_sections(full: FullDossier) -> dict[str, Any]:
    return {k: v for k, v in full.read.document.items() if k not in FREE_SECTIONS}


def assert_exported_exactly(assessment: Assessment, data: object) -> None:
    """Export, write as a file, read again: the same normalised document. Answers are stored
    as JSON with decimals as strings (docs/decisions.md 26), so `answers` is compared as the
    rubric reads it and as the input hash sees it (`canonical`), everything else as is."""
    text = exact_json.dumps(export_dossier(assessment), indent=2)
    again = read_full_dossier(parse_dossier_text(text), as_of=AS_OF)
    first = read_full_dossier(data, as_of=AS_OF)
    assert without_free_sections(again) == without_free_sections(first)
    assert canonical(again.read.document) == canonical(first.read.document)
    assert (again.answers, dict(again.gates)) == (first.answers, dict(first.gates))


def import_or_refuse(organisation: Organisation, data: object) -> Assessment | None:
    """The stored assessment, or None when refused as the contract says: a DomainError with
    paths and nothing written."""
    before = row_counts()
    try:
        assessment = import_dossier(organisation, data, as_of=AS_OF)
    except DomainError as error:
        assert_errors_with_paths(error.errors, data)
        assert row_counts() == before, "a refused import left rows behind"
        event(f"refused: {type(error).__name__}")
        return None
    event("stored")
    return assessment


@given(data=valid_dossiers())
@run_first("data", *EXPORT_DIFFERS)
@budget(0.25, django_fixtures=True)
def test_every_valid_dossier_is_stored_and_exported_exactly(
    orgs: dict[str, Organisation], data: Any
) -> None:
    with rolled_back():
        try:
            assessment = import_dossier(orgs["org-a"], data, as_of=AS_OF)
        except DomainError as error:
            raise AssertionError(f"a valid dossier was refused: {error.errors}") from None
        assert_exported_exactly(assessment, data)


@given(data=hostile_dossiers())
@run_first("data", *SERVER_ERRORS, TINY_RATIO)
@budget(0.25, django_fixtures=True)
def test_a_hostile_dossier_is_stored_whole_or_refused_without_a_trace(
    orgs: dict[str, Organisation], data: Any
) -> None:
    with rolled_back():
        assessment = import_or_refuse(orgs["org-a"], data)
        if assessment is not None:
            assert_exported_exactly(assessment, data)


@given(
    first=valid_dossiers(),
    second=st.one_of(valid_dossiers(), hostile_dossiers()),
    same_organisation=st.booleans(),
)
@budget(0.1, django_fixtures=True)
def test_a_dossier_after_another_is_stored_whole_or_refused_without_a_trace(
    orgs: dict[str, Organisation], first: Any, second: Any, same_organisation: bool
) -> None:
    """The second import meets the first one's factory, year and claimed serial ranges
    (platform-wide, whichever organisation): a conflict is a refusal, never a server error."""
    with rolled_back():
        import_dossier(orgs["org-a"], first, as_of=AS_OF)
        import_or_refuse(orgs["org-a" if same_organisation else "org-b"], second)
