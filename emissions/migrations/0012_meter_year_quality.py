"""The stored data quality of a meter's year (emissions/models/meters.py, MeterYearQuality),
and the triggers that delete it whenever the meter's readings change, whatever code changes
them (the write path's COPY and UPDATE, the range DELETE, a raw statement, a cascade).

PostgreSQL: statement-level triggers over the transition tables. Each first locks the meters
written (as the overlap trigger of 0008 does for inserts and updates), so that a summary being
computed from the readings as they were is written before the change deletes it: the reader
locks the same rows while it computes (`metering_selectors._stored_qualities`). SQLite
(quickstart): row triggers; SQLite runs one writer at a time.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES_STALE = """
CREATE FUNCTION emissions_reading_quality_stale() RETURNS trigger AS $$
DECLARE
  meters bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    meters := ARRAY(SELECT DISTINCT meter_id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    meters := ARRAY(SELECT DISTINCT meter_id FROM old_rows);
  ELSE
    meters := ARRAY(SELECT meter_id FROM new_rows UNION SELECT meter_id FROM old_rows);
  END IF;
  PERFORM 1 FROM emissions_meter WHERE id = ANY (meters) ORDER BY id FOR UPDATE;
  DELETE FROM emissions_meteryearquality WHERE meter_id = ANY (meters);
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""

_TRANSITIONS = {
    "insert": "NEW TABLE AS new_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
}

FORWARD = {
    "postgresql": [
        POSTGRES_STALE,
        *[
            f"""CREATE TRIGGER reading_quality_stale_{op} AFTER {op.upper()} ON emissions_reading
                REFERENCING {tables} FOR EACH STATEMENT
                EXECUTE FUNCTION emissions_reading_quality_stale()"""
            for op, tables in _TRANSITIONS.items()
        ],
    ],
    "sqlite": [
        f"""CREATE TRIGGER reading_quality_stale_{op} AFTER {op.upper()} ON emissions_reading
            BEGIN DELETE FROM emissions_meteryearquality WHERE meter_id IN ({rows}); END"""
        for op, rows in (
            ("insert", "NEW.meter_id"),
            ("update", "NEW.meter_id, OLD.meter_id"),
            ("delete", "OLD.meter_id"),
        )
    ],
}
BACKWARD = {
    "postgresql": [
        *[
            f"DROP TRIGGER IF EXISTS reading_quality_stale_{op} ON emissions_reading"
            for op in _TRANSITIONS
        ],
        "DROP FUNCTION IF EXISTS emissions_reading_quality_stale()",
    ],
    "sqlite": [f"DROP TRIGGER IF EXISTS reading_quality_stale_{op}" for op in _TRANSITIONS],
}


def _vendor_statements(statements_by_vendor):
    def execute(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return execute


class Migration(migrations.Migration):
    dependencies = [
        ("emissions", "0011_import_job_outbox_and_lease"),
    ]

    operations = [
        migrations.CreateModel(
            name="MeterYearQuality",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.IntegerField()),
                ("method", models.IntegerField()),
                ("coverage", models.DecimalField(decimal_places=6, max_digits=7)),
                ("score", models.SmallIntegerField()),
                (
                    "meter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="year_qualities",
                        to="emissions.meter",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meter", "year"), name="meter_year_quality_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(_vendor_statements(FORWARD), _vendor_statements(BACKWARD)),
    ]
