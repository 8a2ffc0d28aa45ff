"""Reads of import jobs, scoped to the actor's organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from emissions.models import ImportJob, Inventory
from zerocarbon.accounts.tenancy import Actor, get_scoped, scope

_VIA = "inventory__factory__organisation"


def import_job_for(actor: Actor, pk: int) -> ImportJob:
    """An import job of one of the actor's organisations (404 for any other)."""
    queryset = ImportJob.objects.select_related("inventory__factory__organisation")
    return get_scoped(queryset, actor, via=_VIA, pk=pk)


def recent_imports(actor: Actor, inventory: Inventory, limit: int = 10) -> QuerySet[ImportJob]:
    """The inventory's latest imports, without their large columns (document, preview)."""
    jobs = scope(ImportJob.objects.filter(inventory=inventory), actor, via=_VIA)
    return jobs.defer("document", "errors", "changes").order_by("-created_at", "-pk")[:limit]
