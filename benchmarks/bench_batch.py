"""Batch evaluation on the command line: 500 dossier files, one `evaluate_dossier` process.

Target: well under a minute. Writes variations of the demo dossiers (other quantities) to a
temporary folder, then times `manage.py evaluate_dossier FILE… --format jsonl` in a
subprocess, start-up included, and checks that it printed one result line per file. Runs
against DATABASE_URL (migrated first; nothing is written by the command).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_batch.py [files]
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402

DEMOS = sorted((ROOT / "assessments" / "demo_data").glob("*.json"))


def variation(number: int, rng: random.Random) -> dict[str, object]:
    """A demo dossier with every energy quantity scaled by 0.5-1.5 (monthly lines dropped)."""
    data = json.loads(DEMOS[number % len(DEMOS)].read_text(encoding="utf-8"))
    for line in data["energy"]:
        scale = Decimal(rng.randint(500, 1500)) / 1000
        line["quantity"] = str(Decimal(line["quantity"]) * scale)
        line.pop("monthly", None)
    return dict(data)


def write_files(folder: Path, count: int) -> list[str]:
    rng = random.Random(20250630)
    paths = []
    for number in range(count):
        path = folder / f"dossier-{number:04d}.json"
        path.write_text(json.dumps(variation(number, rng), ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def run(paths: list[str]) -> float:
    """Wall seconds of one `evaluate_dossier … --format jsonl` process, start-up included."""
    command = [sys.executable, str(ROOT / "manage.py"), "evaluate_dossier", *paths]
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - fixed argv, our own command
        [*command, "--as-of", "2025-06-30", "--format", "jsonl"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    results = [line for line in done.stdout.splitlines() if '"result":' in line]
    if done.returncode != 0 or len(results) != len(paths):
        raise SystemExit(f"exit {done.returncode}, {len(results)} results\n{done.stderr}")
    return seconds


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    call_command("migrate", verbosity=0)

    fresh, batch = [], []
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(Path(folder), count)
        for _round in range(rounds):
            fresh.append(run(paths[:1]))
            batch.append(run(paths))
    rates = [(count - 1) / (whole - alone) for whole, alone in zip(batch, fresh, strict=True)]

    harness.write([
        harness.figure("batch_dossiers_per_s", "evaluate_dossier after start-up", "dossiers/s",
                       rates, (">=", 500), f"({count} files − 1 file) / (wall − 1-file wall), "
                       "one process = one core"),
        harness.figure("batch_fresh_process_s", "evaluate_dossier fresh process, 1 file", "s",
                       fresh, ("<=", 0.5), "start-up, read, evaluate, print"),
        harness.figure("batch_wall_s", f"evaluate_dossier {count} files, wall", "s", batch,
                       None, "start-up included"),
    ])  # fmt: skip


if __name__ == "__main__":
    main()
