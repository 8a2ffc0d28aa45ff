"""python manage.py evaluate_dossier FILE [FILE ...] [--as-of YYYY-MM-DD]
[--format json|text|jsonl]

Evaluates dossier files without saving anything. `json` prints exactly the result structure
of spec/dossier.md and nothing else on stdout; exit 0 when evaluated (rated or not), 2 with
the errors on stderr when the file is invalid. `json` and `text` take one FILE (several are a
usage error, exit 2: one document per run keeps their output parseable).

`jsonl` takes any number of FILEs, evaluated in one process, and prints one line per file in
the order given: `{"file", "result"}` or `{"file", "errors", "total"}` (see assessments.batch).
Exit 0 when every file was evaluated, 2 when any was invalid (the others are still printed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from assessments.batch import batch_lines
from assessments.evaluation.engine import result_json
from assessments.evaluation.summary import summary_text
from assessments.management.commands._common import domain_error, load_file, parse_as_of
from assessments.services import dossier
from zerocarbon.commands import LanguageCommand
from zerocarbon.errors import DomainError


class Command(LanguageCommand):
    help = "Evaluate zerocarbon.dossier/1 files without saving anything."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="+")
        parser.add_argument("--as-of", help="evaluation date (default today)")
        parser.add_argument("--format", choices=["json", "text", "jsonl"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of, files, output = parse_as_of(options["as_of"]), options["file"], options["format"]
        if output == "jsonl":
            self._evaluate_batch(files, as_of=as_of)
            return
        if len(files) > 1:
            message = _("--format {format} takes one FILE; use --format jsonl for several.")
            raise CommandError(message.format(format=output), returncode=2)
        self._evaluate_one(files[0], as_of=as_of, output=output)

    def _evaluate_batch(self, files: list[str], *, as_of: date) -> None:
        invalid = 0
        for line in batch_lines(files, as_of=as_of):
            self.stdout.write(line.text)
            invalid += line.invalid
        if invalid:
            message = _("{invalid} of {count} files are invalid.")
            raise CommandError(message.format(invalid=invalid, count=len(files)), returncode=2)

    def _evaluate_one(self, path: str, *, as_of: date, output: str) -> None:
        data = load_file(path)
        try:
            full = dossier.read_full_dossier(data, as_of=as_of)
        except DomainError as error:
            raise domain_error(path, error) from None
        result = dossier.evaluate_full(full, as_of=as_of).result
        if output == "json":
            self.stdout.write(result_json(result))
        else:
            self.stdout.write(summary_text(result), ending="")
