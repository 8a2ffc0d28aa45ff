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
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "AXES_"))
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
        ("CELERY_BROKER_URL", "CELERY_BROKER_URL must be set in production"),
    ],
)
def test_production_has_no_default_for_secrets_and_hosts(missing: str, message: str) -> None:
    extra = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", settings="zerocarbon.settings.production", extra=extra)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize("value", ["true", "1", "on"])
def test_production_refuses_to_start_with_debug_on(value: str) -> None:
    result = manage(
        "check",
        settings="zerocarbon.settings.production",
        extra={**PRODUCTION_ENV, "DJANGO_DEBUG": value},
    )
    assert result.returncode != 0
    assert f"DJANGO_DEBUG={value!r} turns DEBUG on, which production refuses" in result.stderr


def test_production_runs_with_debug_explicitly_off() -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; from zerocarbon.celery import app; "
        "print(settings.DEBUG, app.conf.task_always_eager)",
        settings="zerocarbon.settings.production",
        extra={**PRODUCTION_ENV, "DJANGO_DEBUG": "false"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"


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
        ("AXES_FAILURE_LIMIT", "0", "must be at least 1"),
        ("AXES_COOLOFF_MINUTES", "a quarter hour", "is not a whole number"),
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


def test_the_quickstart_s_sqlite_database_migrates_forwards_and_back(tmp_path: Path) -> None:
    """`make run` migrates a SQLite file: every migration must run there too (SQLite rebuilds a
    table to add a column, which its triggers can refuse), and back over the latest ones."""
    extra = {"DATABASE_URL": f"sqlite:///{tmp_path / 'quickstart.sqlite3'}"}
    settings = "zerocarbon.settings.local"
    for step in (("migrate",), ("migrate", "emissions", "0011"), ("migrate",)):
        result = manage(*step, "--no-input", "-v", "0", settings=settings, extra=extra)
        assert result.returncode == 0, (step, result.stderr[-2000:])
    triggers = manage(
        "shell",
        "--no-imports",
        "-c",
        'from django.db import connection; c = connection.cursor(); c.execute("SELECT name FROM'
        " sqlite_master WHERE type = 'trigger' AND name LIKE 'reading_quality_stale_%'\");"
        " print(sorted(row[0] for row in c.fetchall()))",
        settings=settings,
        extra=extra,
    )
    assert triggers.stdout.strip() == str(
        [f"reading_quality_stale_{op}" for op in ("delete", "insert", "update")]
    ), triggers.stderr


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


def celery_limits(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The time limits and visibility timeout the Celery app sees, as a worker would start."""
    return manage(
        "shell",
        "--no-imports",
        "-c",
        "from zerocarbon.celery import app; c = app.conf; "
        "print(c.task_time_limit, c.task_soft_time_limit, "
        "c.broker_transport_options['visibility_timeout'])",
        settings="zerocarbon.settings.local",
        extra=extra,
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "300 240 360"),
        ({"CELERY_TASK_TIME_LIMIT": "900"}, "900 240 960"),
        ({"CELERY_TASK_TIME_LIMIT": "900", "CELERY_VISIBILITY_TIMEOUT": "1800"}, "900 240 1800"),
    ],
)
def test_the_visibility_timeout_defaults_to_the_hard_time_limit_plus_a_minute(
    extra: dict[str, str], expected: str
) -> None:
    result = celery_limits(extra)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"CELERY_VISIBILITY_TIMEOUT": "300"},
            "CELERY_VISIBILITY_TIMEOUT=300 must be greater than CELERY_TASK_TIME_LIMIT=300",
        ),
        (
            {"CELERY_TASK_TIME_LIMIT": "7200", "CELERY_VISIBILITY_TIMEOUT": "3600"},
            "CELERY_VISIBILITY_TIMEOUT=3600 must be greater than CELERY_TASK_TIME_LIMIT=7200",
        ),
        (
            {"CELERY_TASK_SOFT_TIME_LIMIT": "300"},
            "CELERY_TASK_SOFT_TIME_LIMIT=300 must be below CELERY_TASK_TIME_LIMIT=300",
        ),
        (
            {"CELERY_TASK_TIME_LIMIT": "120"},
            "CELERY_TASK_SOFT_TIME_LIMIT=240 must be below CELERY_TASK_TIME_LIMIT=120",
        ),
    ],
)
def test_inconsistent_task_time_limits_stop_start_up_naming_the_variables(
    extra: dict[str, str], message: str
) -> None:
    result = celery_limits(extra)
    assert result.returncode != 0
    assert message in result.stderr


def test_celery_time_limits_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CELERY_TASK_TIME_LIMIT", "CELERY_TASK_SOFT_TIME_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "")
    assert env.celery_time_limits() == (300, 240, 360)
    monkeypatch.setenv("CELERY_TASK_TIME_LIMIT", "60")
    monkeypatch.setenv("CELERY_TASK_SOFT_TIME_LIMIT", "50")
    assert env.celery_time_limits() == (60, 50, 120)
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "60")
    with pytest.raises(ImproperlyConfigured, match="CELERY_VISIBILITY_TIMEOUT=60 must be greater"):
        env.celery_time_limits()


def test_database_connections_from_a_url_are_kept_and_health_checked() -> None:
    config = env.database_from_url("DATABASE_URL", "postgres://zc@127.0.0.1:5432/zerocarbon")
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_login_throttling_defaults_to_five_failures_and_a_quarter_hour() -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.AXES_LOCKOUT_PARAMETERS, "
        "s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1])",
        settings="zerocarbon.settings.production",
        extra=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "5 0:15:00 [['username', 'ip_address']] axes.backends.AxesStandaloneBackend "
        "axes.middleware.AxesMiddleware"
    )


def test_login_throttling_follows_the_environment() -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)",
        settings="zerocarbon.settings.local",
        extra={"AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_MINUTES": "90"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3 1:30:00"
