"""python manage.py load_demo — the demo organisations, personas and example dossiers.
Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from assessments.demo import load_demo, submit_demo
from zerocarbon.accounts.demo import DEMO_PASSWORD, PERSONAS
from zerocarbon.commands import LanguageCommand


class Command(LanguageCommand):
    help = "Create (or refresh) the demo organisations, users and example dossiers."

    def handle(self, *args: Any, **options: Any) -> None:
        imported = load_demo()
        submit_demo(imported)
        for assessment in imported:
            message = _("Imported demo dossier: {inventory}")
            self.stdout.write(message.format(inventory=assessment.inventory))
        ready = _("Demo data ready. Logins (password: {password}):")
        self.stdout.write(self.style.SUCCESS(ready.format(password=DEMO_PASSWORD)))
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username:8} {persona.description}")
        self.stdout.write("  admin    " + _("Django admin (/admin/)"))
