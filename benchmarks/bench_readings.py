"""Meter readings through the API against PostgreSQL COPY of the same rows, in one run.

Issue 8: a batch of 50,000 rows goes in one request; target ≥ 50 % of the COPY rate, never
below 25 %. The API side is real: a gunicorn web process (one sync worker, the production
server) on a loopback port, a key in the Authorization header, the JSON body a meter would
send. Per round, a fresh meter and:

- API: POST /api/v1/meters/ID/readings/ with 50,000 fifteen-minute rows, timed at the client
  (parse, check every row, look up the stored ones, COPY, roll-up, answer);
- COPY: the same rows, already as COPY text, into the same table for another fresh meter
  (the floor: no parsing, no checks, no roll-up).

Also the peak resident memory of the web process during the 50,000-row request (VmHWM of the
worker, reset just before the request), and a repeat of the batch (every row unchanged).
Runs against DATABASE_URL (migrated first); the rows it writes are deleted at the end.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_readings.py [rows] [rounds]
"""

from __future__ import annotations

import http.client
import io
import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402

from emissions.models import Factory, Meter, Reading  # noqa: E402
from emissions.services.readings import COPY_READINGS_SQL  # noqa: E402
from zerocarbon.accounts.demo import load_demo_accounts  # noqa: E402
from zerocarbon.accounts.keys import issue_key  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
TARGET, FLOOR = 0.50, 0.25


def rows_of(count: int) -> list[dict[str, Any]]:
    start = datetime(2023, 1, 1, tzinfo=SHANGHAI)
    step = timedelta(minutes=15)
    return [
        {
            "start": (start + step * i).isoformat(),
            "end": (start + step * (i + 1)).isoformat(),
            "value": f"{10 + (i % 97) / 8:.3f}",
        }
        for i in range(count)
    ]


def copy_text(meter: Meter, rows: list[dict[str, Any]]) -> str:
    return "".join(
        f"{meter.pk}\t{r['start']}\t{r['end']}\t{r['value']}\tf\t\\N\t\\N\n" for r in rows
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebProcess:
    """gunicorn with one sync worker: the request's whole life is in one process."""

    def __init__(self) -> None:
        self.port = free_port()
        env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv, our own app
            [
                sys.executable,
                "-m",
                "gunicorn",
                "zerocarbon.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/healthz", b"", {})
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def worker_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return int(children.read_text().split()[0])

    def reset_peak(self) -> int:
        pid = self.worker_pid()
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := current RSS
        return _status_kib(pid, "VmRSS")

    def peak(self) -> int:
        return _status_kib(self.worker_pid(), "VmHWM")

    def request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        connection_.request(method, path, body=body, headers=headers)
        answer = connection_.getresponse()
        return answer.status, answer.read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} for {pid}")


def one_round(
    web: WebProcess,
    factory: Factory,
    rows: list[dict[str, Any]],
    body: bytes,
    key: str,
    meters: list[Meter],
) -> tuple[float, float, float, tuple[int, int]]:
    """API seconds, COPY seconds, repeat seconds and (RSS before, peak) in KiB."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    meter = new_meter(factory, "api", meters)
    path = f"/api/v1/meters/{meter.pk}/readings/"
    before = web.reset_peak()
    start = time.perf_counter()
    status, answer = web.request("POST", path, body, headers)
    api = time.perf_counter() - start
    peak = web.peak()
    if status != 200 or json.loads(answer)["created"] != len(rows):
        raise SystemExit(f"HTTP {status} {answer[:500]!r}")
    start = time.perf_counter()
    status, answer = web.request("POST", path, body, headers)
    repeat = time.perf_counter() - start
    if json.loads(answer)["unchanged"] != len(rows):
        raise SystemExit(f"repeat: HTTP {status} {answer[:500]!r}")
    text = copy_text(new_meter(factory, "copy", meters), rows)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.copy_expert(COPY_READINGS_SQL, io.StringIO(text))
    return api, time.perf_counter() - start, repeat, (before, peak)


def new_meter(factory: Factory, kind: str, meters: list[Meter]) -> Meter:
    meter = Meter.objects.create(
        factory=factory,
        carrier="grid_electricity",
        unit="kWh",
        external_id=f"bench-{kind}-{time.time_ns()}",
    )
    meters.append(meter)
    return meter


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    call_command("migrate", verbosity=0)
    organisation = load_demo_accounts()["org-a"]
    factory, _ = Factory.objects.get_or_create(
        organisation=organisation,
        credit_code="91320594MA1EXAMPL2",
        defaults={"name": "Benchmark factory", "province": "江苏", "grid_region": "east"},
    )
    key = issue_key(organisation, name=f"bench-{time.time_ns()}"[:50]).plaintext
    rows = rows_of(count)
    body = json.dumps(rows).encode()
    web = WebProcess()
    meters: list[Meter] = []
    try:
        results = [one_round(web, factory, rows, body, key, meters) for _ in range(rounds)]
    finally:
        web.stop()
        Reading.objects.filter(meter__in=meters).delete()
        for meter in meters:
            meter.months.all().delete()
            meter.delete()
    api, copy, repeat, peaks = (list(column) for column in zip(*results, strict=True))
    report(count, api, copy, repeat, peaks)
    harness.write(figures(count, api, copy, repeat, peaks))


def figures(
    count: int,
    api: list[float],
    copy: list[float],
    repeat: list[float],
    peaks: list[tuple[int, int]],
) -> list[dict[str, Any]]:
    """Rates per round; the ratio is each round's API rate over the same round's COPY rate."""
    note = f"{count:,} rows in one request, gunicorn with 1 sync worker"
    return [
        harness.figure("readings_api_rows_per_s", "readings through the API", "rows/s",
                       [count / s for s in api], None, note),
        harness.figure("readings_copy_rows_per_s", "PostgreSQL COPY of the same rows",
                       "rows/s", [count / s for s in copy], None, "the floor: no checks"),
        harness.figure("readings_api_copy_ratio_pct", "readings API / COPY", "%",
                       [100 * c / a for a, c in zip(api, copy, strict=True)], (">=", 50),
                       "same run, same rows, same table"),
        harness.figure("readings_repeat_s", "same batch again (all unchanged)", "s",
                       repeat, None, note),
        harness.figure("readings_peak_rss_mib", "web worker peak RSS during the ingest",
                       "MiB", [peak / 1024 for _, peak in peaks], None,
                       "VmHWM of the worker, reset just before the request"),
        harness.figure("readings_peak_growth_mib", "web worker RSS growth during the ingest",
                       "MiB", [(peak - before) / 1024 for before, peak in peaks], None,
                       "VmHWM minus VmRSS before the request"),
    ]  # fmt: skip


def report(
    count: int,
    api_seconds: list[float],
    copy_seconds: list[float],
    repeat_seconds: list[float],
    peaks: list[tuple[int, int]],
) -> None:
    api_rate = count / median(api_seconds)
    copy_rate = count / median(copy_seconds)
    ratio = api_rate / copy_rate
    before, peak = max(peaks, key=lambda p: p[1])
    print(
        f"readings through the API: {api_rate:,.0f} rows/s "
        f"(median of {len(api_seconds)}: {median(api_seconds):.3f} s for {count:,} rows)"
    )
    print(
        f"PostgreSQL COPY, same rows, same table: {copy_rate:,.0f} rows/s "
        f"({median(copy_seconds):.3f} s)"
    )
    print(f"ratio API / COPY: {ratio:.0%} (target ≥ {TARGET:.0%}, floor {FLOOR:.0%})")
    print(f"same batch again (all unchanged): {median(repeat_seconds):.3f} s")
    print(
        f"web process memory: {before / 1024:.0f} MiB before the request, "
        f"peak {peak / 1024:.0f} MiB during it (+{(peak - before) / 1024:.0f} MiB)"
    )
    if ratio < FLOOR:
        raise SystemExit(f"below the floor of {FLOOR:.0%}")


if __name__ == "__main__":
    main()
