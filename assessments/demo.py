"""Demo data: the organisations and personas, then both example dossiers of the spec imported
into org-a (copies live in assessments/demo_data/). Idempotent."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from assessments.models import Assessment
from assessments.services.dossier import import_dossier
from emissions.models import Inventory
from zerocarbon.accounts.demo import load_demo_accounts

DEMO_DOSSIERS = sorted((Path(__file__).resolve().parent / "demo_data").glob("*-dossier.json"))


@transaction.atomic
def load_demo() -> list[Assessment]:
    organisations = load_demo_accounts()
    org_a = organisations["org-a"]
    imported = []
    for path in DEMO_DOSSIERS:
        data = json.loads(path.read_text(encoding="utf-8"))
        exists = Inventory.objects.filter(
            factory__organisation=org_a,
            factory__credit_code=data["factory"]["credit_code"],
            year=data["year"],
        ).exists()
        if not exists:
            imported.append(import_dossier(org_a, data, as_of=date.today()))
    return imported


DEMO_AS_OF = date(2025, 6, 30)  # the evaluation date of the spec's worked examples


def submit_demo(assessments: list[Assessment]) -> None:
    """Submit freshly imported demo assessments as alice, so the dashboard shows results (in
    the quickstart the evaluation runs in-process; with a broker, on the worker)."""
    from django.contrib.auth.models import User

    from assessments.services.workflow import submit_assessment

    alice = User.objects.get(username="alice")
    for assessment in assessments:
        submit_assessment(alice, assessment, as_of=DEMO_AS_OF)
