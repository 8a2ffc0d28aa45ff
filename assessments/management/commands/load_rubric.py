"""python manage.py load_rubric FILE [--preview-rerating] — load a rubric edition (YAML or
JSON) without a code change. Exit 2 with every problem (JSON path and message) when the file
is invalid. A new edition does not re-rate anything by itself: `--preview-rerating` starts the
preview of re-rating the assessments of the code's older editions (services.rerate), which an
admin confirms on its page; without it, the command says how."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Rubric
from assessments.rubric_editions import load_rubric_document, read_rubric_file
from assessments.services import rerate, rerate_target
from zerocarbon.commands import LanguageCommand
from zerocarbon.errors import DomainError


class Command(LanguageCommand):
    help = "Load a rubric edition from a YAML or JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--preview-rerating",
            action="store_true",
            help="preview re-rating the assessments of older editions with this one",
        )

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
        if options["preview_rerating"]:
            try:
                batch = rerate.start_preview(None, rubric)
            except rerate.RerateRefused as refusal:  # loaded all the same
                raise CommandError(refusal.message) from None
            url = reverse("admin:assessments_reratebatch_change", args=[batch.pk])
            message = _(
                "Re-rating {number} with {version}: the preview is being computed; open it at"
                " {url} and confirm it there."
            )
            label = rerate_target.named(rubric).label
            self.stdout.write(message.format(number=batch.pk, version=label, url=url))
        elif Rubric.objects.filter(code=rubric.code, edition__lt=rubric.edition).exists():
            hint = _(
                "Assessments of older editions of {code} keep theirs: preview their re-rating"
                " with --preview-rerating, or with the edition's actions in the admin."
            )
            self.stdout.write(hint.format(code=rubric.code))
