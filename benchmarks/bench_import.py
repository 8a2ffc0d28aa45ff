"""A dossier of 20,000 credit lines (the list limit): parse, read (every reading rule,
including the O(n log n) overlap sweep), import (lines and claims in bulk, the claims checked
by the database constraint), then evaluate it — seconds for each step, and the import again
with every range already claimed (the refusal path that looks each claim up).

Issue 7: the overlap check used to be quadratic (20,000 lines took 110 s and hit the worker's
time limit). Runs against DATABASE_URL inside one transaction that is rolled back.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_import.py [lines]
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from assessments.services.dossier import import_dossier, read_full_dossier  # noqa: E402
from assessments.services.evaluation import compute  # noqa: E402
from emissions.dossier import parse_dossier_text  # noqa: E402
from zerocarbon.accounts.demo import load_demo_accounts  # noqa: E402
from zerocarbon.errors import ValidationFailed  # noqa: E402

AS_OF = date(2025, 6, 30)


def dossier(lines: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "assessments" / "demo_data" / "demo-dossier.json").read_text(encoding="utf-8")
    )
    template = data["credits"][0]
    data["credits"] = [
        dict(template, serial_from=f"CCER-0001-2023-{index * 10 + 1:09d}",
             serial_to=f"CCER-0001-2023-{index * 10 + 2:09d}", quantity_tco2e="2")
        for index in range(lines)
    ]  # fmt: skip
    return data


TIMES: dict[str, float] = {}


def timed(what: str, work: Any) -> Any:
    start = time.perf_counter()
    try:
        return work()
    finally:
        TIMES[what] = time.perf_counter() - start
        print(f"{what}: {TIMES[what]:.2f} s", flush=True)


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    call_command("migrate", verbosity=0)
    text = json.dumps(dossier(lines), ensure_ascii=False)
    print(f"database: {connection.vendor}; credit lines: {lines}; JSON {len(text) / 1e6:.1f} MB")
    with transaction.atomic():
        orgs = load_demo_accounts()
        data = timed("parse", lambda: parse_dossier_text(text))
        timed("read (all reading rules)", lambda: read_full_dossier(data, as_of=AS_OF))
        assessment = timed("import", lambda: import_dossier(orgs["org-a"], data, as_of=AS_OF))
        evaluated = timed("evaluate", lambda: compute(assessment, as_of=AS_OF))
        print(f"  credit offset {evaluated.result['metrics']['credit_offset_tco2e']} tCO2e")
        other = json.loads(text)
        other["factory"].update(name="另一家工厂", credit_code="91320214MA1WXJM00Y")
        try:
            timed("import again, every range claimed", lambda: import_dossier(
                orgs["org-b"], other, as_of=AS_OF))  # fmt: skip
        except ValidationFailed as error:
            print(f"  refused with {len(error.errors)} errors")
        transaction.set_rollback(True)
    harness.write([
        harness.figure(f"import_{number}_s", f"{lines:,} credit lines: {what}", "s", [seconds],
                       None, "one run (the dossier is large)")
        for number, (what, seconds) in enumerate(TIMES.items())
    ])  # fmt: skip


if __name__ == "__main__":
    main()
