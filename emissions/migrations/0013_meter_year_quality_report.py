"""The stored quality of a meter's year carries what the metering endpoints show of it
(MeterYearQuality.report). Rows stored without one are deleted first: they are a memo of the
readings, computed again (with their report) when next asked for.

SQLite adds a column by rebuilding the table under another name and renaming it, and refuses
the rename while the readings' triggers (0012) name the table; so on SQLite the triggers are
dropped around the new column and created again as 0012 made them. PostgreSQL adds the column
in place and keeps its triggers."""

from importlib import import_module

from django.db import migrations, models

_TRIGGERS = import_module("emissions.migrations.0012_meter_year_quality")


def _on_sqlite(statements):
    def execute(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements["sqlite"]:
                schema_editor.execute(statement, params=None)

    return execute


_DROP = _on_sqlite(_TRIGGERS.BACKWARD)
_CREATE = _on_sqlite(_TRIGGERS.FORWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("emissions", "0012_meter_year_quality"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM emissions_meteryearquality", migrations.RunSQL.noop),
        migrations.RunPython(_DROP, _CREATE),
        migrations.AddField(
            model_name="meteryearquality",
            name="report",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(_CREATE, _DROP),
    ]
