"""python manage.py load_rubric FILE — load a rubric edition (YAML or JSON) without a code
change. Exit 2 with every problem (JSON path and message) when the file is invalid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from assessments.rubric_editions import load_rubric_document, read_rubric_file
from zerocarbon.commands import LanguageCommand
from zerocarbon.errors import DomainError


class Command(LanguageCommand):
    help = "Load a rubric edition from a YAML or JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rubric, created = load_rubric_document(read_rubric_file(options["file"]))
        except DomainError as error:
            details = "".join(f"\n  {e.path}: {e.message}" for e in error.errors)
            raise CommandError(f"{error.message}{details}", returncode=2) from None
        if created:
            message = _("Loaded: {code} edition {edition}")
        else:
            message = _("Already loaded (identical): {code} edition {edition}")
        self.stdout.write(
            self.style.SUCCESS(message.format(code=rubric.code, edition=rubric.edition))
        )
