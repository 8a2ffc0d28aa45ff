"""Seeds and publishes the default factor set CN-2025.1 from emissions/data/CN-2025.1.json
(validated by the kernel's reader before anything is written)."""

from django.db import migrations


def seed(apps, schema_editor):
    from emissions.accounting.library import factor_set_from_dict
    from emissions.factor_library import DEFAULT_VERSION, default_document, store_document

    document = default_document()
    factor_set_from_dict(document)  # refuses a malformed file
    if (
        not apps.get_model("emissions", "FactorSet")
        .objects.filter(version=DEFAULT_VERSION)
        .exists()
    ):
        store_document(lambda name: apps.get_model("emissions", name), document, publish=True)


class Migration(migrations.Migration):
    dependencies = [("emissions", "0002_database_guarantees")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
