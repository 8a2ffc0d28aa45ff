"""Loads the shipped rubric T/CECA-G 0171-2022 edition 2022.1 (validated by the kernel)."""

from django.db import migrations


def seed(apps, schema_editor):
    from assessments.rubric_editions import seed_default_rubric

    seed_default_rubric(apps.get_model("assessments", "Rubric"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
