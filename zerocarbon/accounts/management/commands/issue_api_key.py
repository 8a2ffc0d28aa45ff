"""python manage.py issue_api_key --organisation SLUG --name NAME [--factory ID ...] [--read-only]

Issues an API key and prints it as the last line of the output, so that a script can take it
with `| tail -n 1`. The key is shown this once: only its hash is stored."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from zerocarbon.accounts.keys import issue_key
from zerocarbon.accounts.models import Organisation
from zerocarbon.commands import LanguageCommand
from zerocarbon.errors import ValidationFailed


class Command(LanguageCommand):
    help = "Issue an API key for an organisation; the key is the last line printed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--name", required=True, help="what the key is for (50 characters)")
        parser.add_argument(
            "--factory",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="limit the key to this factory of the organisation (repeatable; "
            "none: every factory)",
        )
        parser.add_argument("--read-only", action="store_true", help="the key may only read")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["organisation"]
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            message = _("No organisation with slug {slug!r}.").format(slug=slug)
            raise CommandError(message, returncode=2)
        try:
            issued = issue_key(
                organisation,
                name=options["name"],
                factory_ids=options["factory"],
                read_only=options["read_only"],
            )
        except ValidationFailed as error:
            details = "".join(f"\n  {e.path}: {e.message}" for e in error.errors)
            raise CommandError(f"{error.message}{details}", returncode=2) from None
        api_key = issued.api_key
        access = _("read-only") if api_key.read_only else _("read and write")
        self.stdout.write(_("Name:         {name}").format(name=api_key.name))
        self.stdout.write(
            _("Organisation: {slug} ({name})").format(
                slug=organisation.slug, name=organisation.name
            )
        )
        self.stdout.write(
            _("Factories:    {factories}").format(factories=_factories(options["factory"]))
        )
        self.stdout.write(_("Access:       {access}").format(access=access))
        self.stdout.write(_("Prefix:       {prefix}").format(prefix=api_key.prefix))
        warning = _("The key is shown once, now: store it now (only its hash is kept).")
        self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(issued.plaintext)


def _factories(ids: list[int]) -> str:
    if not ids:
        return _("every factory of the organisation")
    factory_model = apps.get_model("emissions", "Factory")
    names = dict(factory_model.objects.filter(pk__in=ids).values_list("pk", "name"))
    return "; ".join(f"{pk} {names[pk]}" for pk in sorted(set(ids)))
