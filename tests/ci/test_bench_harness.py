"""The benchmarks' harness names what else used the CPU while a benchmark timed, and waits a
bounded time for the machine to settle (the render and the batch benchmarks use both)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("harness", ROOT / "benchmarks" / "harness.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SPIN_THEN_SLEEP = "import time;e=time.time()+1\nwhile time.time()<e:pass\ntime.sleep(60)"


def test_a_busy_process_is_named_with_the_cpu_it_used(bench: ModuleType) -> None:
    before = bench.cpu_ticks()
    busy = subprocess.Popen([sys.executable, "-c", SPIN_THEN_SLEEP])  # noqa: S603
    try:
        time.sleep(2)
        # Named by its command line as the benchmark shows it (cut at 70 characters, so how
        # much of the script shows depends on where the interpreter lives).
        named = " ".join([sys.executable, "-c", SPIN_THEN_SLEEP])[:70]
        used = [seconds for name, seconds in bench.others(before) if name == named]
    finally:
        busy.kill()
        busy.wait()
    assert len(used) == 1
    assert used[0] > 0.2  # about a second of spinning, on a shared machine


def test_settling_gives_up_after_its_bound(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "SETTLE_SECONDS", 2)
    monkeypatch.setattr(bench, "QUIET_CORES", -1)  # never quiet enough
    start = time.perf_counter()
    waited, cores = bench.settle()
    assert 2 <= waited < 4
    assert cores >= 0
    assert time.perf_counter() - start < 5
