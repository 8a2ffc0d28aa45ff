"""Evaluation latency of a stored assessment whose factory has 20 meters with a year of
15-minute readings (20 × 35,040 = 700,800 rows): p50 and p99.

Two figures, both defined here (issue 11):
- the evaluate path: `evaluate_assessment(id)` as the worker runs it — load the assessment,
  read the meters' coverage of the year, compute, store the Evaluation row. Each call moves
  the evaluation date by a day, so every call really computes and stores a new row. The
  meters' quality of the year (MeterYearQuality) is gone after their readings change; the
  workers store it again once the readings are quiet (emissions.tasks), and evaluations read
  it back. Reported on their own, one call per run: the first evaluation after an ingest,
  once the workers have stored the quality (`evaluate_first_ms`; the wait is
  `quality_stored_s`), and an evaluation that finds no stored quality and reads all 700,800
  readings itself (`evaluate_cold_ms`: no worker followed the ingest, e.g. the broker was
  down);
- the read path: GET /api/v1/evaluations/ID/ with an API key against the web server at
  ZC_BENCH_BASE_URL (a stored evaluation, as a client reads it), when that is set.

Target (issue 4): evaluate path p50 < 50 ms on the 2-core machine. Each figure is the median
of several rounds; a round's p50/p99 is over its calls. The readings are written with COPY and
rolled up in memory (no per-row saves); a second run on the same database reuses them.

    DATABASE_URL=postgres://… [ZC_BENCH_BASE_URL=http://…] .venv/bin/python \\
        benchmarks/bench_evaluation.py [rounds] [calls per round]
"""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

harness.setup_django()

import requests  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from assessments.models import Assessment  # noqa: E402
from assessments.services.evaluation import evaluate_assessment  # noqa: E402
from emissions.metering.intervals import Interval  # noqa: E402
from emissions.models import Meter, MeterYearQuality  # noqa: E402
from emissions.services.readings import COPY_READINGS_SQL, apply_to_rollup  # noqa: E402
from emissions.tasks import QUIET_SECONDS, readings_changed  # noqa: E402
from zerocarbon.accounts.demo import load_demo_accounts  # noqa: E402
from zerocarbon.accounts.keys import issue_key  # noqa: E402

SERIES = 6
METERS, STEP = 20, timedelta(minutes=15)
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = date(2025, 6, 30)
BUDGET_SECONDS = 60.0  # of the evaluate rounds, so that `make bench` stays under 15 minutes
WORKER_WAIT_SECONDS = 180.0  # for the workers' quality of 20 meters (seconds of CPU, 2 cores)


def year_of_readings(year: int) -> list[Interval]:
    first = datetime(year, 1, 1, tzinfo=SHANGHAI)
    count = int((datetime(year + 1, 1, 1, tzinfo=SHANGHAI) - first) / STEP)
    return [
        Interval(first + STEP * i, first + STEP * (i + 1), Decimal(f"{10 + (i % 97) / 8:.3f}"))
        for i in range(count)
    ]


@transaction.atomic
def add_meters(assessment: Assessment) -> int:
    """20 grid-electricity meters with every 15 minutes of the inventory year; the rows."""
    factory = assessment.inventory.factory
    if factory.meters.exists():
        return sum(meter.readings.count() for meter in factory.meters.all())
    intervals = year_of_readings(assessment.inventory.year)
    times = [f"{r.start.isoformat()}\t{r.end.isoformat()}\t{r.value}\tf\t\\N\t\\N\n"
             for r in intervals]  # fmt: skip
    for number in range(METERS):
        meter = Meter.objects.create(
            factory=factory, carrier="grid_electricity", unit="kWh",
            external_id=f"bench-eval-{number:02d}",
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.copy_expert(COPY_READINGS_SQL, io.StringIO(f"{meter.pk}\t".join(["", *times])))
        apply_to_rollup(meter, intervals, [])
    return METERS * len(intervals)


def cold_evaluation(assessment: Assessment) -> float:
    """Milliseconds of an evaluation that computes the meters' quality from all readings (as
    after an ingest no worker followed up); it also warms the caches (factor set, rubric)."""
    MeterYearQuality.objects.filter(meter__factory=assessment.inventory.factory_id).delete()
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted", as_of=START)
    return harness.seconds_of(lambda: evaluate_assessment(assessment.pk)) * 1000


def after_ingest(assessment: Assessment) -> tuple[float | None, float]:
    """As after an ingest commits: the stored qualities are gone and the write path tells the
    workers (emissions.tasks.readings_changed); wait until they have stored every meter's
    quality of the year, then time the first evaluation. Seconds until stored (None without
    a broker: the evaluation then computes them itself), and the evaluation's milliseconds."""
    factory_id, year = assessment.inventory.factory_id, assessment.inventory.year
    meters = list(Meter.objects.filter(factory_id=factory_id).values_list("pk", flat=True))
    MeterYearQuality.objects.filter(meter__factory=factory_id).delete()
    started = time.perf_counter()
    waited: float | None = None
    if readings_changed(meters):
        stored = MeterYearQuality.objects.filter(meter__factory=factory_id, year=year)
        while stored.count() < len(meters):
            if time.perf_counter() - started > WORKER_WAIT_SECONDS:
                raise SystemExit(f"the workers stored no quality in {WORKER_WAIT_SECONDS:.0f} s")
            time.sleep(0.2)
        waited = time.perf_counter() - started
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted", as_of=START)
    return waited, harness.seconds_of(lambda: evaluate_assessment(assessment.pk)) * 1000


def evaluate_rounds(
    assessment_id: int, rounds: int, calls: int
) -> tuple[list[float], list[float], int]:
    Assessment.objects.filter(pk=assessment_id).update(as_of=START - timedelta(days=1))
    warm = harness.seconds_of(lambda: evaluate_assessment(assessment_id))  # a new row too
    if warm * rounds * calls > BUDGET_SECONDS:  # far over target: fewer calls, not an hour
        calls = max(1, int(BUDGET_SECONDS / (warm * rounds)))
        print(f"one evaluation takes {warm:.1f} s: {calls} call(s) a round")
    p50s, p99s, day = [], [], 0
    for _round in range(rounds):
        samples = []
        for _call in range(calls):
            day += 1
            Assessment.objects.filter(pk=assessment_id).update(as_of=START + timedelta(days=day))
            start = time.perf_counter()
            if evaluate_assessment(assessment_id) is None:
                raise SystemExit(f"assessment {assessment_id} was not evaluated")
            samples.append((time.perf_counter() - start) * 1000)
        p50s.append(harness.percentile(samples, 0.5))
        p99s.append(harness.percentile(samples, 0.99))
    return p50s, p99s, calls


def read_rounds(base: str, evaluation_id: int, rounds: int, calls: int) -> tuple[list[float], ...]:
    key = issue_key(load_demo_accounts()["org-a"], name=f"bench-eval-{time.time_ns()}"[:50])
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key.plaintext}"
    url = f"{base}/api/v1/evaluations/{evaluation_id}/"
    p50s, p99s = [], []
    for round_ in range(rounds + 1):
        samples = []
        for _call in range(calls):
            start = time.perf_counter()
            answer = session.get(url, timeout=60)
            samples.append((time.perf_counter() - start) * 1000)
            if answer.status_code != 200:
                raise SystemExit(f"GET {url}: HTTP {answer.status_code}")
        if round_:  # the first round warms both web workers
            p50s.append(harness.percentile(samples, 0.5))
            p99s.append(harness.percentile(samples, 0.99))
    return p50s, p99s


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    (assessment_id,) = harness.load_rated_factories(1, SERIES)
    started = time.perf_counter()
    rows = add_meters(Assessment.objects.get(pk=assessment_id))
    print(f"{METERS} meters, {rows:,} readings ready in {time.perf_counter() - started:.0f} s")
    cold = cold_evaluation(Assessment.objects.get(pk=assessment_id))
    waited, first = after_ingest(Assessment.objects.get(pk=assessment_id))
    p50s, p99s, done = evaluate_rounds(assessment_id, rounds, calls)
    note = f"{METERS} meters, {rows:,} readings; {done} call(s) a round"
    one = f"{METERS} meters, {rows:,} readings; one call"
    by = "no broker: computed by the evaluation" if waited is None else "stored by the workers"
    figures = [
        harness.figure("evaluate_first_ms", "first evaluation after an ingest", "ms",
                       [first], None, f"{one}; the meters' quality {by}"),
        harness.figure("evaluate_cold_ms", "evaluation computing the quality of every reading",
                       "ms", [cold], None, f"{one}; as when no worker followed the ingest"),
        harness.figure("evaluate_p50_ms", "evaluate path p50 (load, compute, save)", "ms",
                       p50s, ("<=", 50), note),
        harness.figure("evaluate_p99_ms", "evaluate path p99", "ms", p99s, None, note),
    ]  # fmt: skip
    base = os.environ.get("ZC_BENCH_BASE_URL")
    if base:
        latest = Assessment.objects.get(pk=assessment_id).evaluations.latest("pk")
        p50s, p99s = read_rounds(base, latest.pk, rounds, calls)
        figures += [
            harness.figure("evaluation_get_p50_ms", "GET /api/v1/evaluations/ID/ p50", "ms",
                           p50s, None, note),
            harness.figure("evaluation_get_p99_ms", "GET /api/v1/evaluations/ID/ p99", "ms",
                           p99s, None, note),
        ]  # fmt: skip
    if waited is not None:
        figures.append(
            harness.figure("quality_stored_s", "ingest to every meter's quality stored", "s",
                           [waited], None, f"{METERS} meters on the workers, after "
                           f"{QUIET_SECONDS:.0f} s without changes"),
        )  # fmt: skip
    harness.write(figures)


if __name__ == "__main__":
    main()
