"""Pages and API lists under 16 concurrent connections, 200 factories loaded: p50 and p95.

Issue 11: p95 < 150 ms on the 2-core machine. Loads 200 rated factories (the rated example
under 200 credit codes, imported and evaluated in this process), logs alice in through the
login form (session cookie) and issues an API key of org-a, then, per round, sends each URL
of the mix from a pool of 16 threads to the web server at ZC_BENCH_BASE_URL (under `make
bench`: gunicorn as zerocarbon/gunicorn_config.py configures it) and times each request at
the client, from send to the last byte; each thread keeps its connections alive, as a
browser does. The mix: dashboard (first page), factory pages, assessment pages, the API lists of
factories, assessments and evaluations. A round's p50/p95 is over all its requests of a kind;
each figure is the median of the rounds. Every answer must be 200. Nothing is written while it
runs, so after the warm round most answers are kept ones (zerocarbon/page_cache.py, decision
114), as they are for users re-reading their pages; a web process that has not yet rendered
a page renders it in a measured round.

    DATABASE_URL=postgres://… ZC_BENCH_BASE_URL=http://127.0.0.1:8000 \\
        .venv/bin/python benchmarks/bench_web.py [factories] [rounds] [requests per kind]
"""

from __future__ import annotations

import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

harness.setup_django()

import requests  # noqa: E402

from assessments.models import Assessment  # noqa: E402
from zerocarbon.accounts.demo import DEMO_PASSWORD, load_demo_accounts  # noqa: E402
from zerocarbon.accounts.keys import issue_key  # noqa: E402

THREADS = 16
SERIES = 5  # credit codes of this script's factories (harness.rated_dossier)


def login(base: str) -> dict[str, str]:
    """alice's session and CSRF cookies, through the real login form."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise SystemExit("no CSRF token on the login page")
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": "alice", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"login failed: HTTP {answer.status_code}")
    return {cookie.name: cookie.value or "" for cookie in session.cookies}


def mix(ids: list[int], count: int) -> dict[str, list[str]]:
    """Per kind, COUNT paths (pages of different factories and assessments)."""
    assessments = list(
        Assessment.objects.filter(pk__in=ids).values_list("pk", "inventory__factory_id")
    )
    picked = [assessments[(n * 37) % len(assessments)] for n in range(count)]
    return {
        "dashboard": ["/"] * count,
        "factory page": [f"/factories/{factory}/" for _, factory in picked],
        "assessment page": [f"/assessments/{pk}/" for pk, _ in picked],
        "API factories list": ["/api/v1/factories/"] * count,
        "API assessments list": ["/api/v1/assessments/"] * count,
        "API evaluations list": ["/api/v1/evaluations/"] * count,
    }


def one_round(
    base: str, paths: dict[str, list[str]], cookies: dict[str, str], key: str, threads: int
) -> dict[str, list[float]]:
    """Every request of every kind, interleaved, from THREADS threads; ms per kind."""
    jobs = [(kind, kind_paths[n]) for n in range(len(paths["dashboard"]))
            for kind, kind_paths in paths.items()]  # fmt: skip
    local = _Sessions(cookies, key)

    def fetch(job: tuple[str, str]) -> tuple[str, float]:
        kind, path = job
        session = local.get(api=path.startswith("/api/"))
        start = time.perf_counter()
        answer = session.get(f"{base}{path}", timeout=60)
        elapsed = (time.perf_counter() - start) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{path}: HTTP {answer.status_code} {answer.text[:300]}")
        return kind, elapsed

    samples: dict[str, list[float]] = {kind: [] for kind in paths}
    with ThreadPoolExecutor(threads) as pool:
        for kind, elapsed in pool.map(fetch, jobs):
            samples[kind].append(elapsed)
    return samples


class _Sessions:
    """One keep-alive connection per thread and kind of client (browser or API key)."""

    def __init__(self, cookies: dict[str, str], key: str) -> None:
        import threading

        self.cookies, self.key, self.local = cookies, key, threading.local()

    def get(self, *, api: bool) -> requests.Session:
        name = "api" if api else "web"
        session = getattr(self.local, name, None)
        if session is None:
            session = requests.Session()
            if api:
                session.headers["Authorization"] = f"Bearer {self.key}"
            else:
                session.cookies.update(self.cookies)
            setattr(self.local, name, session)
        return session


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    per_kind = int(sys.argv[3]) if len(sys.argv) > 3 else 48
    base = os.environ.get("ZC_BENCH_BASE_URL")
    if not base:
        raise SystemExit("set ZC_BENCH_BASE_URL to a running web server (make bench does)")
    started = time.perf_counter()
    ids = harness.load_rated_factories(count, SERIES)
    print(f"{len(ids)} rated factories loaded in {time.perf_counter() - started:.0f} s")
    key = issue_key(load_demo_accounts()["org-a"], name=f"bench-web-{time.time_ns()}"[:50])
    cookies, paths = login(base), mix(ids, per_kind)
    one_round(base, paths, cookies, key.plaintext, THREADS)  # warm: imports, caches
    alone = {kind: kind_paths[:8] for kind, kind_paths in paths.items()}
    by_kind: dict[str, dict[str, list[float]]] = {
        kind: {"p50": [], "p95": [], "alone": []} for kind in paths
    }
    for _round in range(rounds):
        for kind, samples in one_round(base, paths, cookies, key.plaintext, THREADS).items():
            by_kind[kind]["p50"].append(harness.percentile(samples, 0.50))
            by_kind[kind]["p95"].append(harness.percentile(samples, 0.95))
        for kind, samples in one_round(base, alone, cookies, key.plaintext, 1).items():
            by_kind[kind]["alone"].append(harness.percentile(samples, 0.50))
    harness.write(figures(by_kind, count, per_kind))


def figures(
    by_kind: dict[str, dict[str, list[float]]], count: int, per_kind: int
) -> list[dict[str, Any]]:
    out = []
    for kind, stats in by_kind.items():
        slug = kind.lower().replace(" ", "_")
        note = f"{THREADS} threads, {count} factories, {per_kind} requests of a kind a round"
        out.append(harness.figure(f"web_{slug}_p50_ms", f"{kind} p50 (16 concurrent)", "ms",
                                  stats["p50"], None, note))  # fmt: skip
        out.append(harness.figure(f"web_{slug}_p95_ms", f"{kind} p95 (16 concurrent)", "ms",
                                  stats["p95"], ("<=", 150), note))  # fmt: skip
        alone = "no other request in flight"
        out.append(harness.figure(f"web_{slug}_alone_p50_ms", f"{kind} p50 (1 connection)",
                                  "ms", stats["alone"], None, alone))  # fmt: skip
    return out


if __name__ == "__main__":
    main()
