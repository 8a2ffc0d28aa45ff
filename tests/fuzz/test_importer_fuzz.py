"""The spreadsheet importer under random workbooks (issue 11, bad input): the inventory's own
template with random cells of random types (text, numbers, booleans, dates, formulas, blanks)
on its sheets and on new ones, uploaded through the page. Never a server error: the import
ends done (a preview) or failed with every error at its sheet, row and column; nothing but
the import job is written until the preview is confirmed, and a refused confirmation writes
nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments.models import Assessment
from assessments.services import import_jobs
from emissions.models import ImportJob
from tests.fuzz.state import FUZZ, NASTY_TEXT, changed, fingerprint

pytestmark = pytest.mark.django_db
CELL_VALUE = st.one_of(
    # Excel cannot hold control characters at all: what a workbook can carry, cut to 300.
    NASTY_TEXT.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)[:300]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", '=HYPERLINK("x")', "#N/A", "TRUE", "12,5"]),
    st.none(),
)
EDIT = st.tuples(
    st.integers(min_value=0, max_value=20),  # which sheet (past the last: a new one)
    st.integers(min_value=1, max_value=30),  # row
    st.integers(min_value=1, max_value=15),  # column
    CELL_VALUE,
)


@pytest.fixture
def suzhou(demo: dict[str, Any]) -> Assessment:
    assessment: Assessment = demo["suzhou"]
    return assessment


def edited(template: bytes, edits: list[tuple[int, int, int, Any]], drop: int | None) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    for which, row, column, value in edits:
        names = workbook.sheetnames
        sheet = workbook[names[which]] if which < len(names) else workbook.create_sheet(f"s{which}")
        sheet.cell(row=row, column=column, value=value)
    if drop is not None and drop < len(workbook.sheetnames) and len(workbook.sheetnames) > 1:
        del workbook[workbook.sheetnames[drop]]
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def assert_placed(job: ImportJob) -> None:
    """A refused import says why: a whole-file failure in words, each cell error at its sheet,
    row and column."""
    assert job.errors or job.failure, "refused without a reason"
    for error in job.errors:
        assert error.get("message"), error
        if error.get("cell"):
            assert all(error.get(part) for part in ("sheet", "row")), error  # a header: no column


def test_random_workbooks_are_previewed_or_refused_at_their_cells_writing_only_the_job(
    suzhou: Assessment, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    template = import_jobs.inventory_template(suzhou.inventory)
    url = reverse("inventory-import", args=[suzhou.inventory_id])
    outcomes: list[str] = []

    @settings(FUZZ, max_examples=20)
    @given(st.lists(EDIT, max_size=8), st.one_of(st.none(), st.integers(0, 12)))
    def upload(edits: list[tuple[int, int, int, Any]], drop: int | None) -> None:
        content = edited(template, edits, drop)
        before = fingerprint(skip=[ImportJob])
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_client.post(url, {"file": SimpleUploadedFile("f.xlsx", content)})
        assert response.status_code < 500, edits
        assert changed(before, fingerprint(skip=[ImportJob])) == [], edits
        job = ImportJob.objects.order_by("-pk").first()
        assert job is not None
        assert job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED), job.status
        refused = job.status == ImportJob.Status.FAILED or bool(job.errors)
        outcomes.append("refused" if refused else "previewed")
        if refused:
            assert_placed(job)
            return
        confirmed = alice_client.post(reverse("import-confirm", args=[job.pk]))
        assert confirmed.status_code < 500, edits
        if confirmed.status_code >= 400:
            assert changed(before, fingerprint(skip=[ImportJob])) == [], edits

    upload()
    assert {"refused", "previewed"} <= set(outcomes), outcomes
