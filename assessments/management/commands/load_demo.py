"""python manage.py load_demo — the demo organisations, personas and example dossiers.
Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments.demo import load_demo, submit_demo
from zerocarbon.accounts.demo import DEMO_PASSWORD, PERSONAS


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisations, users and example dossiers."

    def handle(self, *args: Any, **options: Any) -> None:
        imported = load_demo()
        submit_demo(imported)
        for assessment in imported:
            self.stdout.write(f"Imported demo dossier: {assessment.inventory}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password: {DEMO_PASSWORD}):")
        )
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username:8} {persona.description}")
        self.stdout.write("  admin    Django admin (/admin/)")
