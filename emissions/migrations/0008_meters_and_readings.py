"""Meters, readings, corrections and monthly roll-ups (emissions/models/meters.py).

Readings of one meter never overlap, whatever code writes them: PostgreSQL, a statement
trigger (below); SQLite (quickstart), row triggers, race-free there because SQLite runs one
writer at a time.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models

# PostgreSQL: a statement-level trigger, not an exclusion constraint. A GiST exclusion
# constraint over (meter_id, tstzrange) held the rule too, but took COPY from 30,000 to 6,000
# rows a second; this trigger checks the rows a statement wrote with one ordered range scan
# per meter (each reading must start at or after the previous one's end), after locking the
# meters, so that two transactions writing overlapping readings of one meter cannot both
# pass: the second waits for the first and then sees its rows.
POSTGRES_NO_OVERLAP = """
CREATE FUNCTION emissions_reading_no_overlap() RETURNS trigger AS $$
BEGIN
  PERFORM 1 FROM emissions_meter WHERE id IN (SELECT meter_id FROM new_rows)
    ORDER BY id FOR UPDATE;
  IF EXISTS (
    WITH span AS (
      SELECT meter_id, min(start) AS lo, max("end") AS hi FROM new_rows GROUP BY meter_id
    ), ordered AS (
      SELECT r.start, lag(r."end") OVER (PARTITION BY r.meter_id ORDER BY r.start, r."end")
               AS previous_end
      FROM span JOIN emissions_reading r ON r.meter_id = span.meter_id
       AND r.start < span.hi
       AND r.start >= coalesce((SELECT max(p.start) FROM emissions_reading p
                                WHERE p.meter_id = span.meter_id AND p.start < span.lo), span.lo)
    )
    SELECT 1 FROM ordered WHERE previous_end > start
  ) THEN
    RAISE EXCEPTION 'reading_no_overlap: readings of one meter must not overlap'
      USING ERRCODE = '23P01';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""

NO_OVERLAP = {
    "postgresql": [
        POSTGRES_NO_OVERLAP,
        *[
            f"""CREATE TRIGGER reading_no_overlap_{op} AFTER {op.upper()} ON emissions_reading
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
                EXECUTE FUNCTION emissions_reading_no_overlap()"""
            for op in ("insert", "update")
        ],
    ],
    "sqlite": [
        f"""CREATE TRIGGER reading_no_overlap_{op} BEFORE {op.upper()} ON emissions_reading
            WHEN EXISTS (SELECT 1 FROM emissions_reading r WHERE r.meter_id = NEW.meter_id
                         AND r.start < NEW."end" AND r."end" > NEW.start{extra})
            BEGIN SELECT RAISE(ABORT, 'reading_no_overlap'); END"""
        for op, extra in (("insert", ""), ("update", " AND r.id <> NEW.id"))
    ],
}
NO_OVERLAP_BACKWARD = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS reading_no_overlap_insert ON emissions_reading",
        "DROP TRIGGER IF EXISTS reading_no_overlap_update ON emissions_reading",
        "DROP FUNCTION IF EXISTS emissions_reading_no_overlap()",
    ],
    "sqlite": [f"DROP TRIGGER IF EXISTS reading_no_overlap_{op}" for op in ("insert", "update")],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("emissions", "0007_green_quantity_non_negative"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Meter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("carrier", models.CharField(max_length=64)),
                ("unit", models.CharField(max_length=64)),
                ("external_id", models.CharField(max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("interval", "Interval 区间"),
                            ("cumulative", "Cumulative register 累计读数"),
                        ],
                        default="interval",
                        max_length=16,
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "factory",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meters",
                        to="emissions.factory",
                    ),
                ),
            ],
            options={
                "ordering": ["factory", "external_id"],
            },
        ),
        migrations.CreateModel(
            name="MeterMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("value", models.DecimalField(decimal_places=12, max_digits=30)),
                ("estimated_value", models.DecimalField(decimal_places=12, max_digits=30)),
                ("covered_seconds", models.IntegerField()),
                ("month_seconds", models.IntegerField()),
                ("readings", models.IntegerField()),
                (
                    "meter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="months",
                        to="emissions.meter",
                    ),
                ),
            ],
            options={
                "ordering": ["meter", "month"],
            },
        ),
        migrations.CreateModel(
            name="Reading",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start", models.DateTimeField()),
                ("end", models.DateTimeField()),
                ("value", models.DecimalField(decimal_places=12, max_digits=30)),
                ("estimated", models.BooleanField(db_default=False)),
                (
                    "register_start",
                    models.DecimalField(blank=True, decimal_places=12, max_digits=30, null=True),
                ),
                (
                    "register_end",
                    models.DecimalField(blank=True, decimal_places=12, max_digits=30, null=True),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "meter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="readings",
                        to="emissions.meter",
                    ),
                ),
            ],
            options={
                "ordering": ["meter", "start"],
            },
        ),
        migrations.CreateModel(
            name="ReadingCorrection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("previous_value", models.DecimalField(decimal_places=12, max_digits=30)),
                ("previous_estimated", models.BooleanField()),
                ("value", models.DecimalField(decimal_places=12, max_digits=30)),
                ("estimated", models.BooleanField()),
                ("corrected_via", models.CharField(max_length=200)),
                (
                    "corrected_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "corrected_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reading",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="corrections",
                        to="emissions.reading",
                    ),
                ),
            ],
            options={
                "ordering": ["reading", "corrected_at", "pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="meter",
            constraint=models.UniqueConstraint(
                fields=("factory", "external_id"), name="meter_external_id_unique_per_factory"
            ),
        ),
        migrations.AddConstraint(
            model_name="meter",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["interval", "cumulative"])),
                name="meter_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="metermonth",
            constraint=models.UniqueConstraint(
                fields=("meter", "month"), name="meter_month_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="reading",
            constraint=models.UniqueConstraint(
                fields=("meter", "start", "end"), name="reading_interval_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="reading",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gt", models.F("start"))), name="reading_ordered"
            ),
        ),
        migrations.AddConstraint(
            model_name="reading",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gte", 0)), name="reading_value_non_negative"
            ),
        ),
        migrations.RunPython(_run(NO_OVERLAP), _run(NO_OVERLAP_BACKWARD)),
    ]
