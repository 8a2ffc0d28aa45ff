"""One evaluation seam: every route to a result reads its input through one selector and runs
the kernel through one entry point, `services.dossier.evaluate_full`."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from assessments import selectors
from assessments.batch import file_line
from assessments.evaluation.engine import Evaluated, result_json
from assessments.evaluation.whatif import Changes
from assessments.models import Assessment
from assessments.services import dossier
from assessments.services import evaluation as evaluation_service
from assessments.services.dossier import FullDossier, export_dossier

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)


class Spy:
    """Counts the calls of the entry point (and of the selector), keeping what they gave."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entry: list[Evaluated] = []
        self.inputs: list[FullDossier] = []
        entry, select = dossier.evaluate_full, selectors.evaluation_input

        def evaluate_full(*args: Any, **kwargs: Any) -> Evaluated:
            self.entry.append(entry(*args, **kwargs))
            return self.entry[-1]

        def evaluation_input(*args: Any, **kwargs: Any) -> FullDossier:
            self.inputs.append(select(*args, **kwargs))
            return self.inputs[-1]

        monkeypatch.setattr(dossier, "evaluate_full", evaluate_full)
        monkeypatch.setattr(selectors, "evaluation_input", evaluation_input)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(monkeypatch)


@pytest.fixture
def dossier_file(demo: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "suzhou.json"
    path.write_text(json.dumps(export_dossier(demo["suzhou"]), ensure_ascii=False), "utf-8")
    return path


def _submitted(assessment: Assessment) -> Assessment:
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted", as_of=AS_OF)
    return Assessment.objects.get(pk=assessment.pk)


def test_the_worker_reads_the_selectors_input_and_runs_the_one_entry_point(
    demo: dict[str, Any], spy: Spy
) -> None:
    evaluation = evaluation_service.evaluate_assessment(_submitted(demo["suzhou"]).pk)
    assert evaluation is not None
    assert (len(spy.inputs), len(spy.entry)) == (1, 1)
    assert evaluation.input_sha256 == spy.entry[0].input_sha256


def test_the_preview_gives_what_the_worker_records_for_the_same_inputs(
    demo: dict[str, Any], alice: User, spy: Spy
) -> None:
    preview = evaluation_service.preview(alice, demo["suzhou"], as_of=AS_OF)
    recorded = evaluation_service.evaluate_assessment(_submitted(demo["suzhou"]).pk)
    assert recorded is not None
    assert (len(spy.inputs), len(spy.entry)) == (2, 2)
    assert preview.input_sha256 == recorded.input_sha256
    assert result_json(preview.result) == result_json(recorded.result)


def test_a_what_if_without_changes_rates_like_the_preview(
    demo: dict[str, Any], alice: User, spy: Spy
) -> None:
    preview = evaluation_service.preview(alice, demo["suzhou"], as_of=AS_OF)
    what_if = evaluation_service.what_if(demo["suzhou"], Changes(), as_of=AS_OF)
    assert (len(spy.inputs), len(spy.entry)) == (2, 2)
    # The what-if is hashed with its changes, so only the hash differs.
    without_hash = {key: value for key, value in what_if.items() if key != "input_sha256"}
    assert result_json(without_hash) == result_json(
        {key: value for key, value in preview.result.items() if key != "input_sha256"}
    )


def test_the_command_and_a_batch_give_the_stored_assessments_result_for_its_exported_dossier(
    demo: dict[str, Any], alice: User, dossier_file: Path, spy: Spy
) -> None:
    preview = evaluation_service.preview(alice, demo["suzhou"], as_of=AS_OF)
    out = StringIO()
    call_command("evaluate_dossier", str(dossier_file), "--as-of", AS_OF.isoformat(), stdout=out)
    batch = json.loads(file_line(str(dossier_file), as_of=AS_OF).text)
    assert len(spy.entry) == 3  # preview, command, batch: all through the one entry point
    assert json.loads(out.getvalue()) == json.loads(result_json(preview.result))
    assert batch["result"] == json.loads(result_json(preview.result))


def test_the_preview_of_a_draft_saves_nothing(demo: dict[str, Any], alice: User) -> None:
    evaluation_service.preview(alice, demo["suzhou"])
    assert not demo["suzhou"].evaluations.exists()
    assert Assessment.objects.get(pk=demo["suzhou"].pk).status == Assessment.Status.DRAFT
