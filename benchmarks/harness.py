"""Shared helpers of the benchmark scripts: Django set-up, timing, summaries, the output file.

Every `bench_*.py` writes `{"figures": [...]}` to ZC_BENCH_OUT (or prints it when run alone)
so that `run_all.py` can put all figures in one table and in `results.json`. A figure is a list
of runs, never one number: the table shows their median and spread.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Import Django with the test settings (no debug toolbar, fast hashers) on DATABASE_URL."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.test")
    import django

    django.setup()


def figure(
    key: str,
    label: str,
    unit: str,
    runs: list[float],
    target: tuple[str, float] | None = None,
    note: str = "",
) -> dict[str, Any]:
    """One figure in the shape `run_all.py` reads; target is (">=" or "<=", value)."""
    if not runs:
        raise ValueError(f"figure {key} has no runs")
    return {
        "key": key,
        "label": label,
        "unit": unit,
        "runs": [float(run) for run in runs],
        "target": None if target is None else {"op": target[0], "value": target[1]},
        "note": note,
    }


def write(figures: list[dict[str, Any]]) -> None:
    """To ZC_BENCH_OUT under the harness; printed when the script runs alone."""
    text = json.dumps({"figures": figures}, indent=1, ensure_ascii=False)
    out = os.environ.get("ZC_BENCH_OUT")
    if out:
        Path(out).write_text(text, encoding="utf-8")
    for item in figures:
        print(f"{item['label']}: median {summary(item['runs'])['median']:.4g} {item['unit']}")


SETTLE_SECONDS = 60
QUIET_CORES = 0.33  # the rest of the machine's use, in cores, below which timing starts
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks() -> dict[int, tuple[str, int]]:
    """Every other process's name and CPU ticks so far (user + system, from /proc)."""
    ticks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            name = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        ticks[int(entry.name)] = (
            name.strip()[:70] or entry.name,
            int(fields[11]) + int(fields[12]),
        )
    return ticks


def others(before: dict[int, tuple[str, int]]) -> Iterator[tuple[str, float]]:
    """The other processes' CPU seconds since `before`, busiest first (new ones counted whole)."""
    used = []
    for pid, (name, ticks) in cpu_ticks().items():
        spent = (ticks - before.get(pid, (name, 0))[1]) / TICKS
        if spent > 0:
            used.append((name, spent))
    return iter(sorted(used, key=lambda item: -item[1]))


def settle() -> tuple[float, float]:
    """Wait until the other processes use under QUIET_CORES cores over a second (at most
    SETTLE_SECONDS); the seconds waited and their last use in cores. Under `make bench` a
    script may start while the previous ones still keep PostgreSQL and the workers busy, and
    on two vCPUs that slows even a figure measured in CPU time (a shared physical core)."""
    start, cores = time.perf_counter(), 0.0
    while time.perf_counter() - start < SETTLE_SECONDS:
        before, began = cpu_ticks(), time.perf_counter()
        time.sleep(1)
        cores = sum(spent for _name, spent in others(before)) / (time.perf_counter() - began)
        if cores < QUIET_CORES:
            break
    return time.perf_counter() - start, cores


def settled() -> None:
    """`settle`, and print how long it waited."""
    waited, cores = settle()
    print(f"waited {waited:.0f} s for the machine to settle; others then used {cores:.2f} cores")


def seconds_of(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: the sample at share of the sorted list (no interpolation)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(runs: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(runs),
        "min": min(runs),
        "max": max(runs),
        "q1": percentile(runs, 0.25),
        "q3": percentile(runs, 0.75),
    }


def verdict(runs: list[float], target: dict[str, Any] | None) -> str:
    """PASS or MISS of the median against the target; "-" for a figure without one."""
    if target is None:
        return "-"
    median = statistics.median(runs)
    passed = median >= target["value"] if target["op"] == ">=" else median <= target["value"]
    return "PASS" if passed else "MISS"


def status_kib(pid: int, field: str) -> int:
    """A field of /proc/PID/status in KiB (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


def reset_peak(pid: int) -> None:
    """VmHWM := current RSS, so the next peak is that of the work that follows."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


RATED_DOSSIER = ROOT / "assessments" / "demo_data" / "demo-rated-dossier.json"
AS_OF = "2025-06-30"


def rated_dossier(template: dict[str, Any], series: int, number: int) -> dict[str, Any]:
    """The rated example as factory NUMBER (< 1000) of SERIES (one digit, one per script):
    its own credit code and instrument serials (a serial range may be claimed once), so that
    many copies import side by side."""
    import copy

    from emissions.identifiers import credit_code_check_character

    data = copy.deepcopy(template)
    first = f"{credit_prefix(series)}{number:07d}"
    data["factory"]["credit_code"] = first + credit_code_check_character(first)
    data["factory"]["name"] = f"{data['factory']['name']} {number}"
    green, credit = data["green_electricity"][0], data["credits"][0]
    green["serial_from"] = f"GEC{series}{number:07d}00001"
    green["serial_to"] = f"GEC{series}{number:07d}08000"
    credit["serial_from"] = f"CCER-{series}{number:03d}-2023-000001"
    credit["serial_to"] = f"CCER-{series}{number:03d}-2023-004700"
    return data


def credit_prefix(series: int) -> str:
    return f"9132021{series}MA"


def load_rated_factories(
    count: int, series: int, *, organisation: str = "org-a", consultant: str = "alice"
) -> list[int]:
    """COUNT submitted and evaluated factories of `organisation`, submitted by its
    `consultant` (the rated example, imported and evaluated in this process); returns their
    assessment ids. Kept when already loaded."""
    from datetime import date

    from django.apps import apps

    from assessments.models import Assessment
    from assessments.services.dossier import import_dossier
    from assessments.services.workflow import submit_assessment
    from zerocarbon.accounts.demo import load_demo_accounts
    from zerocarbon.celery import app

    orgs = load_demo_accounts()
    submitter = apps.get_model("auth", "User").objects.get(username=consultant)
    template = json.loads(RATED_DOSSIER.read_text(encoding="utf-8"))
    prefix = credit_prefix(series)
    mine = Assessment.objects.filter(inventory__factory__credit_code__startswith=prefix)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the set-up's evaluations run here, not on the workers
    try:
        for number in range(mine.count(), count):
            data = rated_dossier(template, series, number)
            assessment = import_dossier(orgs[organisation], data, as_of=date.fromisoformat(AS_OF))
            submit_assessment(submitter, assessment, as_of=date.fromisoformat(AS_OF))
    finally:
        app.conf.task_always_eager = eager
    return list(mine.order_by("pk").values_list("pk", flat=True))
