"""`evaluate_dossier --format jsonl`: many files in one process, one JSON line each."""

from __future__ import annotations

import gc
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from assessments.batch import batch_lines
from emissions.accounting import exact_json
from tests.conftest import DEMO_DATA, run_manage

pytestmark = pytest.mark.django_db

BIG = "999999999999999999.999999999999"
TINY = "0.000000000001"


def run(*args: str) -> tuple[str, int]:
    """stdout and exit code of `evaluate_dossier … --as-of 2025-06-30`."""
    out = StringIO()
    try:
        call_command("evaluate_dossier", *args, "--as-of", "2025-06-30", stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def demo(name: str = "demo-dossier") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO_DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


def write(folder: Path, name: str, data: object) -> str:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def lines(out: str) -> list[dict[str, Any]]:
    assert out.endswith("\n")
    return [exact_json.loads(line) for line in out.splitlines()]


def extreme(quantity: str) -> dict[str, Any]:
    data = demo()
    for line in data["energy"]:
        line["quantity"] = quantity
        line.pop("monthly", None)
    data["process_emissions"][0]["quantity"] = quantity
    data["refrigerants"][0]["quantity"] = quantity
    data["scope3"][0]["tco2e"] = quantity
    data["scope3"][1]["quantity"] = quantity
    data["scope3"][1]["factor_tco2e_per_unit"] = quantity
    data["production"]["output"] = quantity
    data["baseline"]["emissions_tco2e"] = quantity
    data["baseline"]["output"] = quantity
    data["reduction_measures"][0]["reduction_tco2e"] = quantity
    return data


def test_each_file_gives_one_line_with_the_result_the_json_format_prints(
    tmp_path: Path,
) -> None:
    rated = str(DEMO_DATA / "demo-rated-dossier.json")
    single, _ = run(rated)
    out, code = run(rated, str(DEMO_DATA / "demo-dossier.json"), "--format", "jsonl")
    first, second = lines(out)
    assert code == 0
    assert first == {"file": rated, "result": exact_json.loads(single)}
    assert second["file"] == str(DEMO_DATA / "demo-dossier.json")
    assert "\n" not in out.rstrip("\n").split("\n")[0]
    assert "  " not in out  # one line, no indentation


def test_valid_invalid_and_missing_files_come_back_in_order_with_exit_2(
    tmp_path: Path,
) -> None:
    bad = demo()
    bad["energy"][0]["unit"] = "t"
    bad["year"] = 2031
    not_json = tmp_path / "not-json.json"
    not_json.write_text('{"schema": ', encoding="utf-8")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"name": "café"}'.encode("latin-1"))
    files = [
        str(DEMO_DATA / "demo-dossier.json"),
        write(tmp_path, "bad.json", bad),
        str(tmp_path / "missing.json"),
        str(not_json),
        str(latin1),
        str(tmp_path),  # a folder: unreadable
        str(DEMO_DATA / "demo-rated-dossier.json"),
    ]
    out, code = run(*files, "--format", "jsonl")
    got = lines(out)
    assert code == 2
    assert [line["file"] for line in got] == files
    assert [("result" in line) for line in got] == [True, False, False, False, False, False, True]
    assert {e["path"] for e in got[1]["errors"]} >= {"/energy/0/unit", "/year"}
    assert got[1]["total"] == len(got[1]["errors"])
    assert got[2] == {
        "file": files[2],
        "errors": [{"path": "", "message": f"file not found: {files[2]}"}],
        "total": 1,
    }
    for line in got[3:6]:
        assert line["total"] == len(line["errors"]) >= 1
        assert set(line) == {"file", "errors", "total"}
        assert all(set(error) == {"path", "message"} for error in line["errors"])
    assert "not UTF-8" in got[4]["errors"][0]["message"]


def test_only_the_first_100_errors_are_listed_and_total_counts_them_all(
    tmp_path: Path,
) -> None:
    data = demo()
    data["energy"] = [{"carrier": "grid_electricity", "quantity": "1", "unit": "t"}] * 150
    out, code = run(write(tmp_path, "many.json", data), "--format", "jsonl")
    (line,) = lines(out)
    assert code == 2
    assert len(line["errors"]) == 100
    assert line["total"] >= 150


@pytest.mark.parametrize("quantity", [BIG, TINY, "0"])
def test_extreme_inputs_that_pass_the_reader_are_evaluated_and_written_exactly(
    tmp_path: Path, quantity: str
) -> None:
    path = write(tmp_path, "extreme.json", extreme(quantity))
    out, code = run(path, "--format", "jsonl")
    (line,) = lines(out)
    assert set(line) == {"file", "result"}, line.get("errors")
    assert code == 0
    assert not re.search(r"[:,\[]-?[0-9.]+[eE]", out)  # no number has an exponent
    single, _ = run(path)
    assert line["result"] == exact_json.loads(single)


def test_a_scope3_factor_at_the_limit_keeps_every_digit(tmp_path: Path) -> None:
    data = demo()
    data["scope3"][1]["quantity"] = BIG
    data["scope3"][1]["factor_tco2e_per_unit"] = BIG
    out, code = run(write(tmp_path, "scope3.json", data), "--format", "jsonl")
    (line,) = lines(out)
    assert code == 0
    # (1e18 - 1e-12)² = 1e36 - 2e6 + 1e-24, shown to the cent like every tCO2e: all 36 digits
    assert line["result"]["emissions"]["category_4"] == 10**36 - 2 * 10**6
    assert '"category_4":999999999999999999999999999998000000,' in out


def test_several_files_with_the_json_format_are_a_usage_error() -> None:
    out, code = run(
        str(DEMO_DATA / "demo-dossier.json"), str(DEMO_DATA / "demo-rated-dossier.json")
    )
    assert (out, code) == ("", 2)


# Transactional: the reference data this test's fixture seeds must be committed for the
# command's own process to read it (a transactional test before it may have flushed it).
@pytest.mark.django_db(transaction=True)
def test_stdout_of_the_real_command_holds_nothing_but_the_lines(tmp_path: Path) -> None:
    files = [str(DEMO_DATA / "demo-dossier.json"), str(tmp_path / "missing.json")]
    done = run_manage("evaluate_dossier", *files, "--format", "jsonl")
    assert done.returncode == 2, done.stderr
    assert [line["file"] for line in lines(done.stdout)] == files
    assert "1 of 2 files are invalid." in done.stderr


def test_a_batch_sets_what_came_before_aside_from_the_collector_and_hands_it_back() -> None:
    paths = [str(DEMO_DATA / "demo-dossier.json"), str(DEMO_DATA / "demo-rated-dossier.json")]
    assert gc.get_freeze_count() == 0
    frozen = []
    for line in batch_lines(paths, as_of=date(2025, 6, 30)):
        frozen.append(gc.get_freeze_count())
        assert not line.invalid
    assert min(frozen) > 0
    assert gc.get_freeze_count() == 0


def test_a_batch_left_early_hands_back_what_it_set_aside() -> None:
    lines_ = batch_lines([str(DEMO_DATA / "demo-dossier.json")] * 2, as_of=date(2025, 6, 30))
    next(lines_)
    lines_.close()
    assert gc.get_freeze_count() == 0
