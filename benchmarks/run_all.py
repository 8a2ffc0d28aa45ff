"""`make bench`: a fresh database, gunicorn and two Celery workers, every benchmark, one table.

Drops and re-creates BENCH_DATABASE_URL's database, migrates it, starts gunicorn (configured
by zerocarbon/gunicorn_config.py, as docker-compose.yml's web service is, on a free loopback
port) and 2 Celery worker processes on BENCH_BROKER_URL, then runs each `bench_*.py` as a
subprocess with DATABASE_URL, CELERY_BROKER_URL, ZC_BENCH_BASE_URL and ZC_BENCH_OUT set.
Everything it started is stopped at the end, also on a failure or Ctrl-C. Writes
benchmarks/results.json and prints figure, median, spread, runs, target and verdict.

    .venv/bin/python benchmarks/run_all.py [bench_name …]
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from harness import summary, verdict

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://zerocarbon@127.0.0.1:5432/zc_bench")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")
# The web server as the compose web service runs it: the same settings module.
GUNICORN_CONFIG = "python:zerocarbon.gunicorn_config"
SCRIPTS = (
    "bench_accounting.py",
    # Before the scripts that load factories of their own: its scope is its 1,000 factories
    # (a re-rating re-rates every rated factory, the one with 700,000 readings included).
    "bench_rerate.py",
    "bench_evaluation.py",
    "bench_import.py",
    "bench_batch.py",
    "bench_readings.py",
    "bench_web.py",
    "bench_pdf.py",
)


def recreate_database(url: str) -> None:
    """DROP and CREATE the database through the server's `postgres` maintenance database."""
    import psycopg2  # type: ignore[import-untyped]

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing the database name {name!r}")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Services:
    """gunicorn and the Celery workers, stopped in `stop` whatever happened."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.processes: list[subprocess.Popen[bytes]] = []
        self.port = free_port()

    def start(self) -> None:
        bin_ = Path(sys.executable).parent
        self.processes.append(self._spawn([
            str(bin_ / "gunicorn"), "zerocarbon.wsgi", "--config", GUNICORN_CONFIG,
            "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
        ]))  # fmt: skip
        for number in (1, 2):
            self.processes.append(self._spawn([
                str(bin_ / "celery"), "-A", "zerocarbon", "worker", "--concurrency", "1",
                "--pool", "prefork", "--loglevel", "WARNING", "-n", f"bench{number}@%h",
            ]))  # fmt: skip
        self._wait_web()

    def _spawn(self, argv: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(argv, cwd=ROOT, env=self.env, start_new_session=True)  # noqa: S603

    def _wait_web(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def run_script(script: str, env: dict[str, str]) -> tuple[list[dict[str, Any]], str]:
    """The script's figures and "" — or no figures and why."""
    path = HERE / script
    if not path.exists():
        return [], "not present"
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = Path(out.name)
    try:
        print(f"== {script}", flush=True)
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own scripts
            [sys.executable, str(path)], cwd=ROOT, env={**env, "ZC_BENCH_OUT": str(out_path)},
            check=False,
        )  # fmt: skip
        print(f"   {script}: {time.perf_counter() - start:.0f} s, exit {done.returncode}")
        text = out_path.read_text(encoding="utf-8")
        figures = json.loads(text)["figures"] if text.strip() else []
        if done.returncode != 0:
            return figures, f"exit {done.returncode}"
        return figures, "" if figures else "no figures written"
    finally:
        out_path.unlink(missing_ok=True)


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        f"{'figure':58} {'median':>12} {'spread (min-max)':>22} {'runs':>4} {'target':>12}  verdict"
    ]
    for result in results:
        if not result["figures"]:
            lines.append(f"{result['script']:58} {result['problem']}")
        for item in result["figures"]:
            stats = summary(item["runs"])
            target = item["target"]
            goal = f"{target['op']} {target['value']:g}" if target else "-"
            lines.append(
                f"{item['label'][:58]:58} {stats['median']:12.4g} "
                f"{stats['min']:10.4g}-{stats['max']:<11.4g} {len(item['runs']):4} "
                f"{goal:>12}  {verdict(item['runs'], target)} {item['unit']}"
            )
        if result["figures"] and result["problem"]:
            lines.append(f"   ({result['script']}: {result['problem']})")
    return "\n".join(lines)


def main() -> None:
    chosen = set(sys.argv[1:])
    scripts = [s for s in SCRIPTS if not chosen or s.removesuffix(".py") in chosen]
    started = time.perf_counter()
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "zerocarbon.settings.test",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    recreate_database(DATABASE_URL)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    services = Services(env)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results: list[dict[str, Any]] = []
    try:
        services.start()
        env["ZC_BENCH_BASE_URL"] = services.base_url
        for script in scripts:
            figures, problem = run_script(script, env)
            results.append({"script": script, "figures": figures, "problem": problem})
    finally:
        services.stop()
    for result in results:
        for item in result["figures"]:
            item["summary"] = summary(item["runs"])
            item["verdict"] = verdict(item["runs"], item["target"])
    (HERE / "results.json").write_text(
        json.dumps({"results": results}, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(table(results))
    print(f"total {time.perf_counter() - started:.0f} s; benchmarks/results.json written")
    failed = [result["script"] for result in results if result["problem"]]
    if failed:  # a missed target is a figure; a script that did not finish is a failure
        raise SystemExit(f"benchmarks that did not finish: {', '.join(failed)}")


if __name__ == "__main__":
    main()
