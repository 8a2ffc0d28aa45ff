"""python manage.py export_dossier --organisation SLUG --credit-code CODE --year YEAR [-o FILE]

Writes the complete dossier of that factory's assessment for the year (JSON, UTF-8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from assessments.models import Assessment
from assessments.services.dossier import export_dossier
from emissions.dossier import document_to_json
from zerocarbon.commands import LanguageCommand


class Command(LanguageCommand):
    help = "Export an assessment as a zerocarbon.dossier/1 file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--credit-code", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        assessment = (
            Assessment.objects.filter(
                inventory__factory__organisation__slug=options["organisation"],
                inventory__factory__credit_code=options["credit_code"],
                inventory__year=options["year"],
            )
            .select_related("inventory__factory", "rubric")
            .first()
        )
        if assessment is None:
            message = _("No assessment matches that organisation, credit code and year.")
            raise CommandError(message, returncode=2)
        text = document_to_json(export_dossier(assessment))
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)
