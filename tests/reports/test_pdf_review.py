"""The full report's review history, rendered for real (WeasyPrint) and read back with
pdftotext: the entries a caller gives, in the document's language, or one sentence when the
evaluation was never reviewed. The record is evaluated in memory (no database)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assessments.evaluation.engine import evaluate, record_sha256
from assessments.scoring.answers import parse_answers, parse_gates
from assessments.scoring.rubric import load_default_rubric
from emissions.accounting.library import load_default_factor_set
from emissions.dossier import read_dossier
from emissions.dossier.registries import RegistryDirectory
from reports.context import REPORT, Record, ReviewEntry
from reports.documents import pdf_bytes
from tests.conftest import example
from tests.reports import pdfcheck

AS_OF = date(2025, 6, 30)
FACTORS = load_default_factor_set()
RUBRIC = load_default_rubric()
SHANGHAI = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE: the time the report prints
NEVER_REVIEWED = {
    "zh-hans": "本评价尚未经认证机构审核。",
    "en": "This evaluation has not been reviewed by a certification body.",
}


def _record() -> Record:
    read = read_dossier(
        example("demo-rated-dossier"),
        factors=FACTORS,
        as_of=AS_OF,
        registries=RegistryDirectory(),
    )
    evaluated = evaluate(
        read,
        factors=FACTORS,
        rubric=RUBRIC,
        answers=parse_answers(RUBRIC, read.answers_raw),
        gates=parse_gates(RUBRIC, read.gates_raw),
        as_of=AS_OF,
        code_version="test",
    )
    inputs, result, values = evaluated.inputs, evaluated.result, evaluated.factor_values
    return Record(result, inputs, values, record_sha256(inputs, result, values))


def _report(tmp_path: Path, language: str, entries: tuple[ReviewEntry, ...]) -> list[str]:
    """The lines of the report's review history (pdftotext -layout: a table row is a line, a
    wrapped cell goes on to the next), from its heading to the platform thresholds'."""
    data = pdf_bytes(
        _record(),
        kind=REPORT,
        language=language,
        rubric=RUBRIC,
        factors=FACTORS,
        review_history=entries,
    )
    text = pdfcheck.text(pdfcheck.write(data, tmp_path / f"report-{language}.pdf"))
    heading, following = HEADINGS[language]
    assert heading in text
    return text.split(heading, 1)[1].split(following, 1)[0].splitlines()


def _at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2025, 7, day, hour, minute, tzinfo=SHANGHAI)


ENTRIES: dict[str, tuple[ReviewEntry, ...]] = {
    "zh-hans": (
        ReviewEntry(_at(1, 9, 5), "王芳", "要求修改", "第 1 轮", "请补充绿证注销凭证。"),
        ReviewEntry(_at(3, 16, 30), "李明", "批准", "第 2 轮", "证据齐全，同意批准。"),
    ),
    "en": (
        ReviewEntry(_at(1, 9, 5), "Wang Fang", "Changes requested", "Round 1", "Add the proof."),
        ReviewEntry(_at(3, 16, 30), "Li Ming", "Approved", "Round 2", "Evidence complete."),
    ),
}
HEADINGS = {
    "zh-hans": ("审核记录", "平台设定的阈值"),
    "en": ("Review history", "Platform thresholds"),
}


def _row(lines: list[str], entry: ReviewEntry) -> str:
    """The row that starts with the entry's time, with its next line, without white space
    (pdftotext drops the spaces between CJK and digits)."""
    at = entry.at.strftime("%Y-%m-%d %H:%M")
    [start] = [number for number, line in enumerate(lines) if line.strip().startswith(at)]
    return "".join("".join(lines[start : start + 2]).split())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_report_lists_each_review_step_with_its_time_who_action_subject_and_note(
    tmp_path: Path, language: str
) -> None:
    lines = _report(tmp_path, language, ENTRIES[language])
    first, second = ENTRIES[language]
    for entry in (first, second):
        row = _row(lines, entry)
        for said in (entry.actor, entry.action, entry.subject, entry.text):
            assert all(word in row for word in said.split()), (said, row)
    assert "".join(lines).index(first.text) < "".join(lines).index(second.text)
    assert NEVER_REVIEWED[language] not in "\n".join(lines)


@pytest.mark.parametrize(("language", "who"), [("zh-hans", "操作人"), ("en", "Who")])
def test_a_report_never_reviewed_says_so_in_one_sentence_instead_of_a_table(
    tmp_path: Path, language: str, who: str
) -> None:
    section = "\n".join(_report(tmp_path, language, ()))
    assert who not in section  # no table
    assert NEVER_REVIEWED[language] in " ".join(section.split())
