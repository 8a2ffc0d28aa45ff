"""Settings are read from the environment in a fresh interpreter, as a server would start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zerocarbon.settings import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x7Qp-" * 12,
    "DJANGO_ALLOWED_HOSTS": "zerocarbon.example.com",
    "DATABASE_URL": "postgres://zerocarbon@127.0.0.1:5432/zerocarbon",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, settings: str, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args, f"--settings={settings}"],
        cwd=ROOT,
        env={**clean, **extra},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_deploy_check_prints_no_warnings_with_the_required_variables() -> None:
    result = manage(
        "check", "--deploy", settings="zerocarbon.settings.production", extra=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set in production"),
        ("DATABASE_URL", "DATABASE_URL must be set"),
    ],
)
def test_production_has_no_default_for_secrets_and_hosts(missing: str, message: str) -> None:
    extra = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", settings="zerocarbon.settings.production", extra=extra)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_short_production_secret_is_refused() -> None:
    result = manage(
        "check",
        settings="zerocarbon.settings.production",
        extra={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"},
    )
    assert "at least 50 random characters" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://db/zerocarbon", "is not supported"),
        ("DATABASE_URL", "postgres://127.0.0.1:5432", "names no database"),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//", "expected redis://HOST:PORT/DB"),
        ("DJANGO_DEBUG", "maybe", "is not a boolean"),
        ("CELERY_TASK_TIME_LIMIT", "ten", "is not a whole number"),
        ("DJANGO_ALLOWED_HOSTS", "a.example,,b.example", "has an empty entry"),
    ],
)
def test_a_malformed_variable_stops_start_up_with_a_message_naming_it(
    variable: str, value: str, message: str
) -> None:
    result = manage("check", settings="zerocarbon.settings.local", extra={variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
    assert message in result.stderr


def test_without_database_url_the_quickstart_uses_a_sqlite_file_under_var(tmp_path: Path) -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        settings="zerocarbon.settings.local",
        extra={},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("var/zerocarbon.sqlite3")


def test_without_a_broker_tasks_run_in_process() -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from zerocarbon.celery import app; print(app.conf.task_always_eager)",
        settings="zerocarbon.settings.local",
        extra={},
    )
    assert result.stdout.strip() == "True"


def test_env_helpers_accept_well_formed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a, b")
    assert env.env_bool("X_BOOL", default=False) is True
    assert env.env_int("X_INT", default=1) == 12
    assert env.env_list("X_LIST", default=[]) == ["a", "b"]
    with pytest.raises(ImproperlyConfigured, match="at least 20"):
        env.env_int("X_INT", default=1, minimum=20)
