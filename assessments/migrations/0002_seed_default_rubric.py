"""Loads the shipped rubric T/CECA-G 0171-2022 edition 2022.1 (validated by the kernel)."""

import hashlib
import json
from pathlib import Path

import yaml
from django.db import migrations

RUBRIC_FILE = Path(__file__).resolve().parent.parent / "rubrics" / "t-ceca-g-0171-2022.yaml"


def seed(apps, schema_editor):
    from assessments.scoring.rubric import rubric_from_dict

    document = json.loads(
        json.dumps(yaml.safe_load(RUBRIC_FILE.read_text(encoding="utf-8")), default=str)
    )
    parsed = rubric_from_dict(document)
    rubric_model = apps.get_model("assessments", "Rubric")
    if rubric_model.objects.filter(code=parsed.code, edition=parsed.edition).exists():
        return
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    rubric_model.objects.create(
        code=parsed.code,
        edition=parsed.edition,
        name=parsed.name.zh,
        status=parsed.status,
        document=document,
        document_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
