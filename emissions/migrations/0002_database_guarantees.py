"""Guarantees the database keeps whatever code runs on it:

- a serial range of an instrument in a registry is claimed at most once, platform-wide,
  under concurrent writes: PostgreSQL exclusion constraint over numrange (btree_gist for the
  equality parts); SQLite: triggers (SQLite serialises writers, so check-then-insert inside
  the trigger cannot race);
- a published factor set and its values never change (UPDATE/DELETE/INSERT refused).
"""

from django.db import migrations

VALUE_TABLES = [
    "emissions_factorsetfuel",
    "emissions_factorsetgridfactor",
    "emissions_factorsetgwp",
    "emissions_factorsetgasalias",
    "emissions_factorsetblendcomponent",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE emissions_serialclaim ADD CONSTRAINT serial_claim_no_overlap
       EXCLUDE USING gist (instrument WITH =, registry WITH =, prefix WITH =,
       numrange(start_key::numeric, end_key::numeric, '[]') WITH &&)""",
    """CREATE FUNCTION emissions_factor_set_frozen() RETURNS trigger AS $$
       BEGIN
         IF OLD.status = 'published' THEN
           RAISE EXCEPTION 'factor_set_frozen: factor set % is published and never changes', OLD.version
             USING ERRCODE = '23000';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER factor_set_frozen BEFORE UPDATE OR DELETE ON emissions_factorset
       FOR EACH ROW EXECUTE FUNCTION emissions_factor_set_frozen()""",
    """CREATE FUNCTION emissions_factor_value_frozen() RETURNS trigger AS $$
       DECLARE set_id bigint;
       BEGIN
         IF TG_OP = 'INSERT' THEN set_id := NEW.factor_set_id; ELSE set_id := OLD.factor_set_id; END IF;
         IF EXISTS (SELECT 1 FROM emissions_factorset WHERE id = set_id AND status = 'published')
            OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM emissions_factorset
                WHERE id = NEW.factor_set_id AND status = 'published')) THEN
           RAISE EXCEPTION 'factor_set_frozen: values of a published factor set never change'
             USING ERRCODE = '23000';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    *[
        f"""CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION emissions_factor_value_frozen()"""
        for table in VALUE_TABLES
    ],
]

POSTGRES_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}" for table in VALUE_TABLES],
    "DROP TRIGGER IF EXISTS factor_set_frozen ON emissions_factorset",
    "DROP FUNCTION IF EXISTS emissions_factor_value_frozen()",
    "DROP FUNCTION IF EXISTS emissions_factor_set_frozen()",
    "ALTER TABLE emissions_serialclaim DROP CONSTRAINT IF EXISTS serial_claim_no_overlap",
]

_OVERLAP = """EXISTS (SELECT 1 FROM emissions_serialclaim c
    WHERE c.instrument = NEW.instrument AND c.registry = NEW.registry AND c.prefix = NEW.prefix
      AND c.start_key <= NEW.end_key AND NEW.start_key <= c.end_key AND c.id IS NOT NEW.id)"""

SQLITE_FORWARD = [
    f"""CREATE TRIGGER serial_claim_no_overlap_insert BEFORE INSERT ON emissions_serialclaim
        WHEN {_OVERLAP} BEGIN SELECT RAISE(ABORT, 'serial_claim_no_overlap'); END""",
    f"""CREATE TRIGGER serial_claim_no_overlap_update BEFORE UPDATE ON emissions_serialclaim
        WHEN {_OVERLAP} BEGIN SELECT RAISE(ABORT, 'serial_claim_no_overlap'); END""",
    """CREATE TRIGGER factor_set_frozen_update BEFORE UPDATE ON emissions_factorset
       WHEN OLD.status = 'published' BEGIN SELECT RAISE(ABORT, 'factor_set_frozen'); END""",
    """CREATE TRIGGER factor_set_frozen_delete BEFORE DELETE ON emissions_factorset
       WHEN OLD.status = 'published' BEGIN SELECT RAISE(ABORT, 'factor_set_frozen'); END""",
    *[
        statement
        for table in VALUE_TABLES
        for statement in (
            f"""CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table}
                WHEN (SELECT status FROM emissions_factorset WHERE id = NEW.factor_set_id) = 'published'
                BEGIN SELECT RAISE(ABORT, 'factor_set_frozen'); END""",
            f"""CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table}
                WHEN (SELECT status FROM emissions_factorset WHERE id = OLD.factor_set_id) = 'published'
                  OR (SELECT status FROM emissions_factorset WHERE id = NEW.factor_set_id) = 'published'
                BEGIN SELECT RAISE(ABORT, 'factor_set_frozen'); END""",
            f"""CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table}
                WHEN (SELECT status FROM emissions_factorset WHERE id = OLD.factor_set_id) = 'published'
                BEGIN SELECT RAISE(ABORT, 'factor_set_frozen'); END""",
        )
    ],
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS serial_claim_no_overlap_insert",
    "DROP TRIGGER IF EXISTS serial_claim_no_overlap_update",
    "DROP TRIGGER IF EXISTS factor_set_frozen_update",
    "DROP TRIGGER IF EXISTS factor_set_frozen_delete",
    *[
        f"DROP TRIGGER IF EXISTS {t}_frozen_{op}"
        for t in VALUE_TABLES
        for op in ("insert", "update", "delete")
    ],
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("emissions", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
