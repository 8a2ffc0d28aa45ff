"""Start-up: the admin is discovered by the URL configuration and by its system check, not by
django.setup() (zerocarbon/apps.py), so a process that never shows a page does not import the
admin modules; and nothing chatters on stderr while a process starts or renders."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# What a fresh process has registered after setup, after a step, and whether it imported the
# re-rating admin (the heaviest of them).
PROGRAM = """
import sys

import django

django.setup()
from django.contrib import admin
from emissions.models import FactorSet

print(admin.site.is_registered(FactorSet), "assessments.rerate_admin" in sys.modules)
{step}
print(admin.site.is_registered(FactorSet))
"""


def python(program: str, settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    return subprocess.run(  # noqa: S603 - our own interpreter and program
        [sys.executable, "-c", program],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def registered(step: str) -> list[str]:
    done = python(PROGRAM.format(step=step), "zerocarbon.settings.test")
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_setup_imports_no_admin_module_and_the_urls_register_them() -> None:
    assert registered("import zerocarbon.urls") == ["False", "False", "True"]


def test_the_admin_check_checks_every_model_admin_without_the_urls() -> None:
    step = (
        "from io import StringIO\n"
        "from django.core.management import call_command\n"
        "call_command('check', '--tag', 'admin', stdout=StringIO())"
    )
    assert registered(step) == ["False", "False", "True"]


def test_a_process_starts_and_renders_without_chatter_on_stderr() -> None:
    # The development settings log INFO: axes announced itself, WeasyPrint each render step.
    program = (
        "import logging\n"
        "import django\n"
        "django.setup()\n"
        "logging.getLogger('weasyprint.progress').info('Step 1 - Fetching and parsing HTML')\n"
        "logging.getLogger('weasyprint').warning('a real problem')\n"
    )
    done = python(program, "zerocarbon.settings.local")
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("WARNING weasyprint a real problem\n")
    assert len(done.stderr.splitlines()) == 1, done.stderr


def test_setup_imports_no_celery() -> None:
    program = (
        "import sys\n"
        "import django\n"
        "django.setup()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('celery', 'kombu'))))\n"
    )
    done = python(program, "zerocarbon.settings.test")
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


# Each alone in its process: the first tasks module imported creates the app for the others.
@pytest.mark.parametrize(
    ("module", "task"),
    [
        ("assessments.tasks", "assessment_evaluate_task"),
        ("reports.tasks", "render_pdf_task"),
        ("zerocarbon.tasks", "ping"),
    ],
)
def test_a_task_binds_to_the_zerocarbon_app_without_it_being_imported_first(
    module: str, task: str
) -> None:
    program = (
        "import django\n"
        "django.setup()\n"
        f"from {module} import {task} as task\n"
        "bound = task.app\n"  # the task's proxy binds here, to the app current at that time
        "from zerocarbon.celery import app\n"
        "print(bound is app, bound.main)\n"
    )
    done = python(program, "zerocarbon.settings.test")
    assert (done.returncode, done.stdout) == (0, "True zerocarbon\n"), done.stderr
