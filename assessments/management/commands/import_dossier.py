"""python manage.py import_dossier FILE --organisation SLUG [--as-of YYYY-MM-DD]

Checks the whole dossier, then writes factory, inventory and assessment in one transaction.
Exit 2 with every error (JSON path and message) on stderr; nothing is written then."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from assessments.management.commands._common import domain_error, load_file, parse_as_of
from assessments.services.dossier import import_dossier
from zerocarbon.accounts.models import Organisation
from zerocarbon.commands import LanguageCommand
from zerocarbon.errors import DomainError


class Command(LanguageCommand):
    help = "Import a zerocarbon.dossier/1 file into an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--as-of", help="evaluation date for the reading rules (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            message = _("No organisation with slug {slug!r}.").format(slug=options["organisation"])
            raise CommandError(message, returncode=2)
        data = load_file(options["file"])
        try:
            assessment = import_dossier(organisation, data, as_of=parse_as_of(options["as_of"]))
        except DomainError as error:
            raise domain_error(options["file"], error) from None
        inventory = assessment.inventory
        message = _(
            "Imported {factory} {year} into {organisation}: inventory {inventory},"
            " assessment {assessment}."
        ).format(
            factory=inventory.factory.name,
            year=inventory.year,
            organisation=organisation.slug,
            inventory=inventory.pk,
            assessment=assessment.pk,
        )
        self.stdout.write(message)
