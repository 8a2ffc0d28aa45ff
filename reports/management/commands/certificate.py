"""python manage.py certificate issue EVALUATION_ID [--issued-on YYYY-MM-DD]
python manage.py certificate revoke NUMBER --reason TEXT

Issues or revokes a certificate until the review workflow's approval does it (reports.services).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from assessments.models import Evaluation
from reports.models import Certificate
from reports.services import issue_certificate, revoke_certificate
from zerocarbon.commands import LanguageCommand
from zerocarbon.errors import DomainError


class Command(LanguageCommand):
    help = "Issue a certificate for an evaluation, or revoke one with a reason."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="issue the certificate of an evaluation")
        issue.add_argument("evaluation", type=int, help="evaluation id")
        issue.add_argument("--issued-on", help="issue date YYYY-MM-DD (default: today)")
        revoke = actions.add_parser("revoke", help="revoke a certificate")
        revoke.add_argument("number", help="certificate number, e.g. ZCF-2026-0001")
        revoke.add_argument("--reason", required=True, help="shown on the verification page")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            certificate = (
                self._issue(options) if options["action"] == "issue" else self._revoke(options)
            )
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        message = _("{number}: {status}, {factory}, {level}★, valid until {date}.")
        self.stdout.write(
            message.format(
                number=certificate.number,
                status=certificate.get_status_display(),
                factory=certificate.factory_name,
                level=certificate.star_level,
                date=certificate.valid_until.isoformat(),
            )
        )

    def _issue(self, options: dict[str, Any]) -> Certificate:
        evaluation = Evaluation.objects.filter(pk=options["evaluation"]).first()
        if evaluation is None:
            message = _("No evaluation has the id {id}.").format(id=options["evaluation"])
            raise CommandError(message, returncode=2)
        return issue_certificate(evaluation, issued_on=_date(options["issued_on"]))

    def _revoke(self, options: dict[str, Any]) -> Certificate:
        certificate = Certificate.objects.filter(number=options["number"].strip().upper()).first()
        if certificate is None:
            message = _("No certificate has the number {number}.").format(number=options["number"])
            raise CommandError(message, returncode=2)
        return revoke_certificate(certificate, options["reason"])


def _date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        message = _("--issued-on {value!r} is not a date (YYYY-MM-DD).").format(value=text)
        raise CommandError(message, returncode=2) from None
