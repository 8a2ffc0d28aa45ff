from django.db import migrations, models


class Migration(migrations.Migration):
    """A failed evaluation's message in every language (by language code); the text field
    keeps English. Failures recorded before have no texts: their one text is shown."""

    dependencies = [
        ("assessments", "0007_status_labels_in_english"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessment",
            name="evaluation_error",
            field=models.TextField(blank=True, help_text="why it failed, in English"),
        ),
        migrations.AddField(
            model_name="assessment",
            name="evaluation_error_texts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="why it failed, in every language of the platform, by language code",
            ),
        ),
    ]
