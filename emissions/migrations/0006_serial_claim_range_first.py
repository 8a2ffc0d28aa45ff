"""The exclusion constraint's GiST index with the serial range as its first column.

GiST partitions an index mostly by its first column. With instrument, registry and prefix
first (the same for every certificate of one registry), each probe walked a large part of
the index; with the range first, a probe over 100,000 claims of one prefix takes 0.04 ms
instead of 0.6 ms. The constraint means the same either way.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE emissions_serialclaim DROP CONSTRAINT serial_claim_no_overlap",
    """ALTER TABLE emissions_serialclaim ADD CONSTRAINT serial_claim_no_overlap
       EXCLUDE USING gist (numrange(start_key::numeric, end_key::numeric, '[]') WITH &&,
       instrument WITH =, registry WITH =, prefix WITH =)""",
]
BACKWARD = [
    "ALTER TABLE emissions_serialclaim DROP CONSTRAINT serial_claim_no_overlap",
    """ALTER TABLE emissions_serialclaim ADD CONSTRAINT serial_claim_no_overlap
       EXCLUDE USING gist (instrument WITH =, registry WITH =, prefix WITH =,
       numrange(start_key::numeric, end_key::numeric, '[]') WITH &&)""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("emissions", "0005_seed_registries_rekey_claims")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
