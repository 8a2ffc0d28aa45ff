"""Inventories whose assessment was submitted before the lock existed are locked now, as the
workflow locks them from this version on (emissions.services.records): submitted, evaluated
and failed assessments keep their inventory as it was submitted until they are reopened."""

from typing import Any

from django.db import migrations

UNDER_ASSESSMENT = ["submitted", "evaluated", "failed"]


def lock(apps: Any, schema_editor: Any) -> None:
    Inventory = apps.get_model("emissions", "Inventory")
    Assessment = apps.get_model("assessments", "Assessment")
    under = Assessment.objects.filter(status__in=UNDER_ASSESSMENT).values("inventory_id")
    Inventory.objects.filter(pk__in=under).update(status="locked")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_answers_exact_json"),
        ("emissions", "0007_green_quantity_non_negative"),
    ]

    operations = [migrations.RunPython(lock, migrations.RunPython.noop)]
