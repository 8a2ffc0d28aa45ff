"""`make bench`: every benchmark in this folder, one after the other."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCRIPTS = (
    "bench_accounting.py",
    "bench_evaluation.py",
    "bench_import.py",
    "bench_batch.py",
    "bench_readings.py",
    "bench_pdf.py",
)
for script in SCRIPTS:
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True)  # noqa: S603
