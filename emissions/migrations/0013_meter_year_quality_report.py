"""The stored quality of a meter's year carries what the metering endpoints show of it
(MeterYearQuality.report). Rows stored without one are deleted first: they are a memo of the
readings, computed again (with their report) when next asked for."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("emissions", "0012_meter_year_quality"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM emissions_meteryearquality", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="meteryearquality",
            name="report",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
    ]
