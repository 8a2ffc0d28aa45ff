"""Shared fixtures: the personas, service requirements (PostgreSQL, Redis) and a real Celery
worker process. Under CI=true a test that needs a missing service fails; elsewhere it skips."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.utils import translation

from zerocarbon.accounts.demo import DEMO_PASSWORD, load_demo_accounts
from zerocarbon.accounts.models import Organisation

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
# Tables that hold only what is derived from other rows, kept by the platform itself: any read
# that needs one may fill it (a meter's stored quality of a year, computed from its readings).
# The "nothing was written" checks leave them out; what they derive from is still checked.
DERIVED_TABLES = frozenset({"emissions.MeterYearQuality"})


def _broker_url() -> str:
    """The test broker: CELERY_TEST_BROKER_URL's Redis database for the first (or only) test
    process, the next lower one for each further pytest-xdist process (gw1 → 14 when the base
    is 15), so that a process flushing its broker never drops another's tasks."""
    base = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0)
    prefix, _, database = base.rpartition("/")
    return f"{prefix}/{int(database) - index}" if index else base


BROKER_URL = _broker_url()


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: services are required, never skipped)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _services(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("redis"):
        try:
            redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping()
        except redis.RedisError:
            _missing(f"needs Redis at {BROKER_URL}")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Code a test calls directly (services, kernels, commands) speaks English, as the tests'
    expected messages do; outside a request Django would use LANGUAGE_CODE (Chinese). A
    request still chooses its own language (pages: Chinese by default; API: English)."""
    with translation.override("en"):
        yield


@pytest.fixture
def orgs(db: None) -> dict[str, Organisation]:
    return load_demo_accounts()


def _user(orgs: dict[str, Organisation], name: str) -> User:
    return User.objects.get(username=name)


@pytest.fixture
def alice(orgs: dict[str, Organisation]) -> User:
    return _user(orgs, "alice")


@pytest.fixture
def bob(orgs: dict[str, Organisation]) -> User:
    return _user(orgs, "bob")


@pytest.fixture
def carol(orgs: dict[str, Organisation]) -> User:
    return _user(orgs, "carol")


@pytest.fixture
def charlie(orgs: dict[str, Organisation]) -> User:
    return _user(orgs, "charlie")


def logged_in(user: User) -> Client:
    client = Client()
    # django-axes throttles per request (username and address): authenticate() needs one.
    assert client.login(request=HttpRequest(), username=user.username, password=DEMO_PASSWORD)
    return client


@pytest.fixture
def alice_client(alice: User) -> Client:
    return logged_in(alice)


@pytest.fixture
def charlie_client(charlie: User) -> Client:
    return logged_in(charlie)


@pytest.fixture
def bob_client(bob: User) -> Client:
    return logged_in(bob)


@pytest.fixture
def carol_client(carol: User) -> Client:
    return logged_in(carol)


@pytest.fixture
def broker(settings: Any) -> Iterator[str]:
    """Routes task sends to the test Redis broker instead of running them eagerly."""
    from zerocarbon.celery import app

    redis.Redis.from_url(BROKER_URL).flushdb()
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    # The app reads Django settings with the CELERY namespace: overrides use those names.
    settings.CELERY_BROKER_URL = BROKER_URL
    app.conf.update(CELERY_BROKER_URL=BROKER_URL, CELERY_TASK_ALWAYS_EAGER=False)
    assert app.conf.task_always_eager is False
    _forget_producer_pool(app)
    yield BROKER_URL
    app.conf.update(CELERY_BROKER_URL=previous[0], CELERY_TASK_ALWAYS_EAGER=previous[1])
    _forget_producer_pool(app)


def _forget_producer_pool(app: Any) -> None:
    """Celery builds its producer pool from broker_url at the first send, even an eager one
    (which then uses the default URL): drop the pool so that the next send connects to the
    broker configured now. Old connections are left to the garbage collector, not closed,
    because kombu's shared pools may still hand them out."""
    app._pool = None
    app.amqp._producer_pool = None


def _database_url() -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def run_manage(*args: str) -> subprocess.CompletedProcess[str]:
    """`manage.py ARGS` in a fresh process, with the test settings on the test database (a
    test that reads what it seeded must be transactional, for the process to see it)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zerocarbon.settings.test"}
    env["DATABASE_URL"] = _database_url()
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


class WorkerProcess:
    def __init__(self, broker_url: str, extra_env: dict[str, str] | None = None) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zerocarbon.settings.test"}
        env |= {"DATABASE_URL": _database_url(), "CELERY_BROKER_URL": broker_url}
        env |= extra_env or {}
        self.log = ROOT / "var" / f"worker-{os.getpid()}-{time.monotonic_ns()}.log"
        self.log.parent.mkdir(exist_ok=True)
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv, our own worker
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "zerocarbon",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker never printed {text!r}:\n{self.output()[-4000:]}")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()


@pytest.fixture
def start_worker(broker: str) -> Iterator[Any]:
    """Starts real `celery worker` processes on the test database and broker."""
    workers: list[WorkerProcess] = []

    def start(**extra_env: str) -> WorkerProcess:
        worker = WorkerProcess(broker, extra_env)
        workers.append(worker)
        worker.wait_for("ready.")
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """The data migrations' factor set, registries and rubric, put back after a transactional
    test's flush removed them (TRUNCATE does not re-run migrations)."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    from assessments.models import Rubric
    from assessments.rubric_editions import seed_default_rubric
    from emissions.factor_library import seed_default_factor_set
    from emissions.registry_library import seed_registries

    seed_default_factor_set(lambda name: _model("emissions", name))
    seed_registries(lambda name: _model("emissions", name))
    seed_default_rubric(Rubric)


def _transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


def _model(app: str, name: str) -> Any:
    from django.apps import apps

    return apps.get_model(app, name)


EXAMPLES = ROOT.parent / "shared" / "examples"
DEMO_DATA = ROOT / "assessments" / "demo_data"


def example(name: str) -> dict[str, Any]:
    """A worked dossier of the spec (the repository's copy, so tests run without shared/)."""
    import json

    data: dict[str, Any] = json.loads((DEMO_DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def demo(orgs: dict[str, Organisation]) -> dict[str, Any]:
    """load_demo: personas plus both example dossiers imported into org-a."""
    from assessments.demo import load_demo
    from assessments.models import Assessment

    load_demo()
    by_code = {
        a.inventory.factory.credit_code: a
        for a in Assessment.objects.select_related("inventory__factory")
    }
    return {
        "orgs": orgs,
        "suzhou": by_code["91320594MA1EXAMPL2"],
        "wuxi": by_code["91320214MA1WXJM00Y"],
    }


def submit_through_api(client: Client, assessment: Any, capture: Any, as_of: str) -> None:
    """Submits an assessment through the REST API and runs its evaluation (on commit)."""
    with capture(execute=True):
        response = client.post(
            f"/api/v1/assessments/{assessment.pk}/submit/",
            {"as_of": as_of},
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
