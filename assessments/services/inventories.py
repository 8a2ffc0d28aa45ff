"""A new year of a factory as the browser starts it: the inventory and its draft assessment
against the platform's rubric, both or neither."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from assessments.models import Assessment
from assessments.services import workflow
from emissions.models import Factory
from emissions.services import records
from zerocarbon.accounts.tenancy import Actor


def start_inventory(actor: Actor, factory: Factory, fields: Mapping[str, Any]) -> Assessment:
    """The factory's inventory of a year (`fields`: year, boundary, gwp_set,
    grid_factor_scope; checked as a dossier's, errors at `/year`, ...) with a draft assessment
    of it, in one transaction. No gate is declared yet: the editor's gates page does that."""
    with transaction.atomic():
        inventory = records.create_inventory(actor, factory, fields)
        return workflow.create_assessment(actor, inventory, {"gates": {}})
