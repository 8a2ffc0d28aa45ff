"""Seeds and publishes the default factor set CN-2025.1 from emissions/data/CN-2025.1.json
(validated by the kernel's reader before anything is written)."""

from django.db import migrations


def seed(apps, schema_editor):
    from emissions.factor_library import seed_default_factor_set

    seed_default_factor_set(lambda name: apps.get_model("emissions", name))


class Migration(migrations.Migration):
    dependencies = [("emissions", "0002_database_guarantees")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
