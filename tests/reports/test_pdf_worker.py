"""A real Celery worker on Redis renders a requested PDF and stores it with its hash."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from assessments.models import Evaluation
from assessments.services.workflow import submit_assessment
from reports import rendering
from reports.models import RenderedPdf
from tests.assessments.test_worker import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]
AS_OF = date(2025, 6, 30)


def test_a_real_worker_renders_the_requested_certificate_and_stores_it(
    demo: dict[str, Any], alice: User, start_worker: Any
) -> None:
    start_worker()
    submit_assessment(alice, demo["wuxi"], as_of=AS_OF)
    evaluated = Evaluation.objects.filter(assessment=demo["wuxi"])
    wait_until(evaluated.exists, 60, "the evaluation")
    evaluation = evaluated.get()
    row = rendering.request_render(alice, evaluation.pk, kind="certificate", language="en")
    wait_until(
        lambda: RenderedPdf.objects.get(pk=row.pk).status in ("done", "failed"), 60, "the PDF"
    )
    row.refresh_from_db()
    assert (row.status, row.error, row.progress) == ("done", "", 100)
    data = row.file.read()
    assert data.startswith(b"%PDF-")
    assert row.sha256 == hashlib.sha256(data).hexdigest()
