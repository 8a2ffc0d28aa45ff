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

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

harness.setup_django()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402

from assessments.models import Assessment, RerateBatch  # noqa: E402
from assessments.services import rerate  # noqa: E402
from emissions.factor_library import document_of, store_document  # noqa: E402
from emissions.models import FactorSet  # noqa: E402
from zerocarbon.celery import app  # noqa: E402

SERIES = 7  # credit codes of this script's factories (harness.rated_dossier)


def publish_set(run: int) -> FactorSet:
    document = document_of(FactorSet.objects.get(version="CN-2025.1"))
    document["version"] = f"BENCH-{os.getpid()}-{run}"
    for line in document["grid_factors"]:
        if (line["scope"], line["year"], line["kind"]) == ("national", 2023, "location"):
            line["value_tco2_per_mwh"] = str(Decimal("0.6100") + Decimal(run) / 100)
    stored: FactorSet = store_document(
        lambda name: apps.get_model("emissions", name), document, publish=True
    )
    return stored


def quiet(timeout: float = 300) -> None:
    """Wait until no submission is being evaluated (earlier benchmarks' work on the workers):
    an evaluation recorded between the preview and its confirmation changes the scope, and
    the confirmation is then rightly refused."""
    start = time.perf_counter()
    while Assessment.objects.filter(status="submitted").exists():
        if time.perf_counter() - start > timeout:
            raise SystemExit("submissions are still being evaluated; cannot measure re-rating")
        time.sleep(0.5)


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
    # Another organisation's (a re-rating takes every organisation's), so that the pages and
    # lists bench_web times later show its 200 factories of org-a, not these 1,000 as well.
    harness.load_rated_factories(count, SERIES, organisation="org-b", consultant="charlie")
    print(f"loaded {count} rated factories in {time.perf_counter() - started:.1f} s")
    previews, applies = [], []
    for run in range(runs):
        quiet()
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
    harness.write(
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


if __name__ == "__main__":
    main()
