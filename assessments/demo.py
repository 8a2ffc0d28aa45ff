"""Demo data: the organisations and personas, then both example dossiers of the spec imported
into org-a (copies live in assessments/demo_data/). Idempotent."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from assessments.dossier import import_dossier
from assessments.models import Assessment
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
