"""What an evaluation costs in queries: a stored one a fixed, pinned number; a batch of
dossier files its references once, however many files; the registries one query."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.batch import batch_lines
from assessments.demo import load_demo
from assessments.models import Assessment
from assessments.services.evaluation import evaluate_assessment
from emissions import selectors as emission_selectors
from emissions.models import FactorSet, Registry, RegistryAlias
from emissions.registry_library import directory_of
from emissions.selectors import registry_directory
from tests.conftest import DEMO_DATA
from zerocarbon.errors import NotFound

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 6, 30)

# Lock, existing-row check, insert, status update, its history row, the review hook and their
# savepoints, after reading the assessment with its factory and factor set, the inventory's
# sections and answers, the registries, the rubric edition and the meters. Was 24.
STORED_EVALUATION_QUERIES = 22


def test_a_stored_evaluation_takes_the_pinned_number_of_queries(
    django_assert_max_num_queries: object,
) -> None:
    assessments = load_demo()
    Assessment.objects.update(status="submitted", as_of=AS_OF)
    evaluate_assessment(assessments[0].pk)  # warms the caches of published reference data
    with django_assert_max_num_queries(STORED_EVALUATION_QUERIES):  # type: ignore[operator]
        assert evaluate_assessment(assessments[1].pk) is not None


def _files(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    paths: list[str] = []
    for path in sorted(DEMO_DATA.glob("*.json"))[:1] * count:
        target = folder / f"{len(paths)}-{path.name}"
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        paths.append(str(target))
    return paths


def _batch_queries(paths: list[str]) -> tuple[int, list[str]]:
    list(batch_lines(paths[:1], as_of=AS_OF))  # warms the caches, as the first file does
    with CaptureQueriesContext(connection) as queries:
        texts = [line.text for line in batch_lines(paths, as_of=AS_OF)]
    return len(queries), texts


def test_a_batch_reads_its_references_once_however_many_files(tmp_path: Path) -> None:
    load_demo()
    one, _ = _batch_queries(_files(tmp_path / "one", 1))
    many, texts = _batch_queries(_files(tmp_path / "many", 5))
    assert one == many == 3  # factor set, registries, rubric edition
    assert len({json.dumps(json.loads(text)["result"]) for text in texts}) == 1


def test_a_batch_without_a_published_factor_set_says_so_on_every_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def none_published() -> FactorSet:
        raise NotFound("No published factor set")

    monkeypatch.setattr(emission_selectors, "default_factor_set", none_published)
    paths = _files(tmp_path / "files", 2)
    lines = [json.loads(line.text) for line in batch_lines(paths, as_of=AS_OF)]
    assert [line["file"] for line in lines] == paths
    assert all("errors" in line and "result" not in line for line in lines)


def test_the_registries_are_read_in_one_query_as_the_prefetch_read_them() -> None:
    shipped = Registry.objects.order_by("name")[0]  # the seeded ones, with their aliases
    Registry.objects.create(name="A registry without aliases", key="lonely-registry")
    RegistryAlias.objects.create(registry=shipped, alias="zz alias", key="zz-alias")
    with CaptureQueriesContext(connection) as queries:
        directory = registry_directory()
    assert len(queries) == 1
    assert directory == directory_of(Registry.objects.prefetch_related("aliases"))
    assert directory.key("ZZ alias") == directory.key(shipped.name)
    assert not directory.is_unknown("A registry without aliases")
