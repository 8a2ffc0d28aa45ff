"""A fresh `evaluate_dossier` process imports what evaluating needs and nothing more: no
WeasyPrint unless it draws a PDF, no URL configuration (so no view, no pandas), no admin, no
pint (the units' factors are a table). Start-up is most of such a process (issue 11), and
nothing here times it: the benchmarks do; these tests pin what it loads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_DATA, ROOT, _database_url

# Runs the command as manage.py does, then writes the names of the modules it imported.
PROGRAM = """
import sys
from pathlib import Path

from django.core.management import execute_from_command_line

out = Path(sys.argv[1])
try:
    execute_from_command_line(["manage.py", *sys.argv[2:]])
finally:
    out.write_text("\\n".join(sorted(sys.modules)), encoding="utf-8")
"""
# Whole libraries a plain evaluation has no use for (jsonschema_rs checks dossiers; jsonschema
# only rubric files, and a stored edition is not checked again).
NOT_FOR_AN_EVALUATION = {
    "weasyprint",
    "pandas",
    "openpyxl",
    "pint",
    "celery",
    "kombu",
    "jsonschema",
    "yaml",
    "segno",
    # Patches the admin's classes for its modules (zerocarbon.apps.discover_admin), and imports
    # generic views, syndication and sitemaps to patch them too.
    "django_stubs_ext",
}
# The project's own modules that only the text summary or a PDF needs: the page presentation
# and what a document shows, and the meters' quality rules (an evaluation shows the coverage
# it is given, through `emissions.metering.shares`).
ONLY_FOR_A_SUMMARY_OR_PDF = {
    "reports.context",
    "assessments.evaluation.present",
    "assessments.evaluation.figures",
    "emissions.metering.quality",
}


def run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zerocarbon.settings.test"}
    env["DATABASE_URL"] = _database_url()
    listing = tmp_path / "modules.txt"
    done = subprocess.run(  # noqa: S603 - our own interpreter, program and command
        [sys.executable, "-c", PROGRAM, str(listing), "evaluate_dossier", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done, set(listing.read_text(encoding="utf-8").split())


def admin_modules(modules: set[str]) -> set[str]:
    """The apps' admin modules (django.contrib.admin itself is an installed app)."""
    return {m for m in modules if m.endswith(("admin", "_admin")) and m != "django.contrib.admin"}


# Transactional: the reference data this test's fixture seeds must be committed for the
# command's own process to read it (a transactional test before it may have flushed it).
@pytest.mark.django_db(transaction=True)
def test_a_plain_evaluation_imports_no_pdf_library_view_admin_or_units_library(
    tmp_path: Path,
) -> None:
    demo = str(DEMO_DATA / "demo-dossier.json")
    done, modules = run(tmp_path, demo, "--as-of", "2025-06-30", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('{"file":'), done.stdout
    assert done.stderr == ""
    assert {m for m in modules if m.split(".")[0] in NOT_FOR_AN_EVALUATION} == set()
    assert {"drf_spectacular.plumbing", "zerocarbon.urls"}.isdisjoint(modules)
    assert admin_modules(modules) == set()
    assert ONLY_FOR_A_SUMMARY_OR_PDF.isdisjoint(modules)


@pytest.mark.django_db(transaction=True)
def test_a_certificate_still_draws_in_a_fresh_process(tmp_path: Path) -> None:
    demo, pdf = str(DEMO_DATA / "demo-rated-dossier.json"), tmp_path / "certificate.pdf"
    done, modules = run(tmp_path, demo, "--as-of", "2025-06-30", "--certificate", str(pdf))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"Wrote {pdf}."
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert {"weasyprint", "reports.context"} <= modules
