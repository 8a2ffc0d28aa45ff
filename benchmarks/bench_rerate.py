"""Re-rating after a new factor set is published: factories per second on the workers.

Loads N rated factories (the rated example under N credit codes, evaluated in-process), then,
once per run, publishes a new factor set with another national grid factor, previews the
re-rating and confirms it, timing each phase from the request until the batch reports done.
Under `make bench` the chunks run on the harness's two Celery workers (CELERY_BROKER_URL);
alone, without a broker, they run in this process (one core). Target: ≥ 100 factories/s
with 2 workers (issue 11).

    DATABASE_URL=postgres://… [CELERY_BROKER_URL=redis://…] .venv/bin/python \\
        benchmarks/bench_rerate.py [factories] [runs]
"""

from __future__ import annotations

import copy
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.test")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402

from assessments.models import Assessment, RerateBatch  # noqa: E402
from assessments.services import rerate  # noqa: E402
from assessments.services.dossier import import_dossier  # noqa: E402
from assessments.services.workflow import submit_assessment  # noqa: E402
from emissions.factor_library import document_of, store_document  # noqa: E402
from emissions.identifiers import credit_code_check_character  # noqa: E402
from emissions.models import FactorSet  # noqa: E402
from zerocarbon.accounts.demo import load_demo_accounts  # noqa: E402
from zerocarbon.celery import app  # noqa: E402

EXAMPLE = Path(os.environ.get("ZC_EXAMPLES", ROOT.parent / "shared" / "examples"))
AS_OF = "2025-06-30"
PREFIX = "91320214MB"  # credit codes of this benchmark's factories


def _dossier(template: dict[str, Any], number: int) -> dict[str, Any]:
    data = copy.deepcopy(template)
    first = f"{PREFIX}{number:07d}"
    data["factory"]["credit_code"] = first + credit_code_check_character(first)
    green, credit = data["green_electricity"][0], data["credits"][0]
    green["serial_from"], green["serial_to"] = f"GEC9{number:07d}00001", f"GEC9{number:07d}08000"
    credit["serial_from"] = f"CCER-{9000 - number:04d}-2023-000001"
    credit["serial_to"] = f"CCER-{9000 - number:04d}-2023-004700"
    return data


def load(count: int) -> int:
    """N rated factories of org-a (those already loaded by an earlier run are kept)."""
    from datetime import date

    orgs = load_demo_accounts()
    alice = apps.get_model("auth", "User").objects.get(username="alice")
    template = json.loads((EXAMPLE / "demo-rated-dossier.json").read_text(encoding="utf-8"))
    have = Assessment.objects.filter(
        inventory__factory__credit_code__startswith=PREFIX, status="evaluated"
    ).count()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the evaluations of the set-up run here
    try:
        for number in range(have, count):
            assessment = import_dossier(
                orgs["org-a"], _dossier(template, number), as_of=date.fromisoformat(AS_OF)
            )
            submit_assessment(alice, assessment, as_of=date.fromisoformat(AS_OF))
    finally:
        app.conf.task_always_eager = eager
    return count


def publish_set(run: int) -> FactorSet:
    document = document_of(FactorSet.objects.get(version="CN-2025.1"))
    document["version"] = f"BENCH-{os.getpid()}-{run}"
    for line in document["grid_factors"]:
        if (line["scope"], line["year"], line["kind"]) == ("national", 2023, "location"):
            line["value_tco2_per_mwh"] = str(Decimal("0.6000") + Decimal(run) / 100)
    return store_document(lambda name: apps.get_model("emissions", name), document, publish=True)


def wait_for(batch: RerateBatch, status: str, timeout: float = 600) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        batch.refresh_from_db()
        if batch.status == status:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"re-rating {batch.pk} never became {status}: {rerate.progress(batch)}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    if not os.environ.get("CELERY_BROKER_URL"):
        app.conf.task_always_eager = True
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load(count)
    print(f"loaded {count} rated factories in {time.perf_counter() - started:.1f} s")
    previews, applies = [], []
    for run in range(runs):
        factor_set = publish_set(run)
        start = time.perf_counter()
        batch = rerate.start_preview(None, factor_set)
        preview = time.perf_counter() - start + wait_for(batch, RerateBatch.Status.PREVIEWED)
        changed = rerate.changed_items(batch).count()
        start = time.perf_counter()
        rerate.confirm(None, batch, batch.fingerprint)
        apply = time.perf_counter() - start + wait_for(batch, RerateBatch.Status.APPLIED)
        previews.append(batch.total / preview)
        applies.append(batch.total / apply)
        print(
            f"run {run}: {batch.total} in scope, {changed} change; preview {preview:.2f} s,"
            f" re-rating {apply:.2f} s ({applies[-1]:.0f} factories/s)"
        )
    workers = "2 workers" if os.environ.get("CELERY_BROKER_URL") else "in-process"
    write(
        [
            {
                "key": "rerate_factories_per_s",
                "label": f"re-rating {count} factories ({workers})",
                "unit": "factories/s",
                "runs": applies,
                "target": {"op": ">=", "value": 100},
                "note": "confirm → every evaluation recorded with the new set",
            },
            {
                "key": "rerate_preview_factories_per_s",
                "label": f"re-rating preview of {count} factories ({workers})",
                "unit": "factories/s",
                "runs": previews,
                "target": None,
                "note": "publish → the impact preview complete",
            },
        ]
    )


def write(figures: list[dict[str, Any]]) -> None:
    out = os.environ.get("ZC_BENCH_OUT")
    if out:
        Path(out).write_text(json.dumps({"figures": figures}, indent=1), encoding="utf-8")
    else:
        print(json.dumps({"figures": figures}, indent=1))


if __name__ == "__main__":
    main()
