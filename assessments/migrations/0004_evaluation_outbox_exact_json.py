# The evaluation outbox on the assessment row, and evaluation records with exact numbers.
# ExactJSONField keeps the jsonb / text column: stored rows are read as they are (their numbers
# were written through float with at most 15 significant digits, which jsonb kept as text).

from django.db import migrations, models

import assessments.models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_evaluation_factor_values"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="evaluation_enqueue_attempts",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="times the latest submission was handed to the task queue"
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="evaluation_enqueued_at",
            field=models.DateTimeField(
                blank=True,
                help_text="when the task queue took the evaluation of the latest submission; "
                "empty while it has not (the sweep publishes it again)",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["evaluation_enqueued_at"],
                name="assessment_outbox",
            ),
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="factor_values",
            field=assessments.models.ExactJSONField(
                default=dict, help_text="every factor value used, by key"
            ),
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="inputs",
            field=assessments.models.ExactJSONField(),
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="result",
            field=assessments.models.ExactJSONField(),
        ),
    ]
