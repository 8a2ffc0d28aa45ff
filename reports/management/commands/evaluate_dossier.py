"""python manage.py evaluate_dossier FILE [FILE ...] [--as-of YYYY-MM-DD]
[--format json|text|jsonl]

Evaluates dossier files without saving anything. `json` prints exactly the result structure
of spec/dossier.md and nothing else on stdout; exit 0 when evaluated (rated or not), 2 with
the errors on stderr when the file is invalid. `json` and `text` take one FILE (several are a
usage error, exit 2: one document per run keeps their output parseable).

`jsonl` takes any number of FILEs, evaluated in one process, and prints one line per file in
the order given: `{"file", "result"}` or `{"file", "errors", "total"}` (see assessments.batch).
Exit 0 when every file was evaluated, 2 when any was invalid (the others are still printed).

`--certificate OUT.pdf` and `--report OUT.pdf` (one FILE) also write the draft certificate and
the draft full report of that evaluation, in the command's language (`--language`); nothing is
saved. The command lives in `reports` because it draws PDFs (assessments may not import
reports)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.batch import batch_lines
from assessments.evaluation.engine import Evaluated, record_sha256, result_json
from assessments.evaluation.summary import summary_text
from assessments.management.commands._common import domain_error, load_file, parse_as_of
from assessments.services import dossier
from emissions import selectors as emission_selectors
from zerocarbon.commands import LanguageCommand
from zerocarbon.errors import DomainError


class Command(LanguageCommand):
    help = "Evaluate zerocarbon.dossier/1 files without saving anything."
    # Nothing here depends on the URLs, the admin or the deployment settings that the system
    # checks inspect, and running them imports every view (a fresh process is start-up bound).
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="+")
        parser.add_argument("--as-of", help="evaluation date (default today)")
        parser.add_argument("--format", choices=["json", "text", "jsonl"], default="json")
        parser.add_argument("--certificate", metavar="OUT.pdf", help="write the draft certificate")
        parser.add_argument("--report", metavar="OUT.pdf", help="write the draft full report")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of, files, output = parse_as_of(options["as_of"]), options["file"], options["format"]
        pdfs = _pdf_paths(options["certificate"], options["report"])
        if pdfs and (output == "jsonl" or len(files) > 1):
            message = _("--certificate and --report take one FILE with --format json or text.")
            raise CommandError(message, returncode=2)
        if output == "jsonl":
            self._evaluate_batch(files, as_of=as_of)
            return
        if len(files) > 1:
            message = _("--format {format} takes one FILE; use --format jsonl for several.")
            raise CommandError(message.format(format=output), returncode=2)
        self._evaluate_one(files[0], as_of=as_of, output=output, pdfs=pdfs)

    def _evaluate_batch(self, files: list[str], *, as_of: date) -> None:
        invalid = 0
        for line in batch_lines(files, as_of=as_of):
            self.stdout.write(line.text)
            invalid += line.invalid
        if invalid:
            message = _("{invalid} of {count} files are invalid.")
            raise CommandError(message.format(invalid=invalid, count=len(files)), returncode=2)

    def _evaluate_one(self, path: str, *, as_of: date, output: str, pdfs: dict[str, str]) -> None:
        data = load_file(path)
        try:
            full = dossier.read_full_dossier(data, as_of=as_of)
        except DomainError as error:
            raise domain_error(path, error) from None
        evaluated = dossier.evaluate_full(full, as_of=as_of)
        result = evaluated.result
        if output == "json":
            self.stdout.write(result_json(result))
        else:
            self.stdout.write(summary_text(result), ending="")
        if pdfs:
            self._write_pdfs(full, evaluated, pdfs)

    def _write_pdfs(
        self, full: dossier.FullDossier, evaluated: Evaluated, pdfs: dict[str, str]
    ) -> None:
        """The drafts of this evaluation, each to its file (a draft has no certificate)."""
        # Only here: WeasyPrint is most of a fresh process's start-up, and most runs draw nothing.
        from reports.context import Record
        from reports.documents import pdf_bytes

        inputs, result, values = evaluated.inputs, evaluated.result, evaluated.factor_values
        record = Record(result, inputs, values, record_sha256(inputs, result, values))
        factors = emission_selectors.kernel_factor_set(full.factor_set)
        language = get_language() or "zh-hans"
        for kind, out in pdfs.items():
            data = pdf_bytes(
                record, kind=kind, language=language, rubric=full.scoring_rubric, factors=factors
            )
            try:
                Path(out).write_bytes(data)
            except OSError as error:
                message = _("Cannot write {path}: {error}").format(path=out, error=error.strerror)
                raise CommandError(message, returncode=2) from None
            self.stderr.write(_("Wrote {path}.").format(path=out))


def _pdf_paths(certificate: str | None, report: str | None) -> dict[str, str]:
    """The documents asked for, by kind. The kinds are imported only when one is: the
    documents' module and the page presentation it builds on are no part of an evaluation,
    and a fresh process is start-up bound (issue 11)."""
    if not (certificate or report):
        return {}
    from reports.context import CERTIFICATE, REPORT

    pdfs = {CERTIFICATE: certificate, REPORT: report}
    return {kind: path for kind, path in pdfs.items() if path}
