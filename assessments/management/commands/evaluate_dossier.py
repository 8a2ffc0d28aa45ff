"""python manage.py evaluate_dossier FILE [--as-of YYYY-MM-DD] [--format json|text]

Evaluates a dossier file without saving anything. `json` prints exactly the result structure
of spec/dossier.md and nothing else on stdout. Exit 0 when evaluated (rated or not), 2 with
the errors on stderr when the file is invalid."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessments.dossier import read_full_dossier
from assessments.evaluation import evaluate, result_json
from assessments.management.commands._common import domain_error, load_file, parse_as_of
from assessments.summary import summary_text
from emissions.selectors import kernel_factor_set
from zerocarbon.errors import DomainError
from zerocarbon.version import CODE_VERSION


class Command(BaseCommand):
    help = "Evaluate a zerocarbon.dossier/1 file without saving anything."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--as-of", help="evaluation date (default today)")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_as_of(options["as_of"])
        data = load_file(options["file"])
        try:
            full = read_full_dossier(data, as_of=as_of)
        except DomainError as error:
            raise domain_error(options["file"], error) from None
        evaluated = evaluate(
            full.read,
            factors=kernel_factor_set(full.factor_set),
            rubric=full.scoring_rubric,
            answers=full.answers,
            gates=full.gates,
            as_of=as_of,
            code_version=CODE_VERSION,
        )
        if options["format"] == "json":
            self.stdout.write(result_json(evaluated.result))
        else:
            self.stdout.write(summary_text(evaluated.result), ending="")
