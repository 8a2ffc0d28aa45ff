"""The dossier commands list at most MAX_LISTED_ERRORS errors on stderr, then how many more."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import example
from zerocarbon.errors import MAX_LISTED_ERRORS

pytestmark = pytest.mark.django_db


def dossier_with_errors(tmp_path: Path, entries: int) -> Path:
    """A dossier file whose energy list has `entries` rows with three unknown keys each."""
    data = example("demo-dossier")
    row = {"carrier": "grid_electricity", "quantity": "1", "unit": "MWh", "a": 1, "b": 2, "c": 3}
    data["energy"] = [row] * entries
    path = tmp_path / "many-errors.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_evaluate_dossier_lists_the_first_hundred_errors_and_how_many_more(
    tmp_path: Path,
) -> None:
    path = dossier_with_errors(tmp_path, 60)
    with pytest.raises(CommandError) as raised:
        call_command("evaluate_dossier", str(path), "--as-of", "2025-06-30")
    lines = str(raised.value).splitlines()
    assert raised.value.returncode == 2
    assert "180 errors" in lines[0]
    assert sum(line.startswith("  /energy/") for line in lines) == MAX_LISTED_ERRORS
    assert lines[-1] == "  … and 80 more (the first 100 of 180 are listed)"


def test_a_short_error_list_is_printed_whole(tmp_path: Path) -> None:
    path = dossier_with_errors(tmp_path, 2)
    with pytest.raises(CommandError) as raised:
        call_command("evaluate_dossier", str(path), "--as-of", "2025-06-30")
    lines = str(raised.value).splitlines()
    assert len(lines) == 1 + 6
    assert "more" not in lines[-1]
