"""The Chinese catalogues: complete, faithful to their placeholders, compiled, and covering
every message of the code, so that no answer mixes a translated and an untranslated
sentence. `make messages` extracts and compiles; a translator fills in the new entries."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import string
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation.template import templatize

from emissions.accounting import translation as kernel_translation
from emissions.accounting.library import load_default_factor_set
from emissions.dossier import DossierInvalid, read_dossier

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
SOURCE_DIRS = ("zerocarbon", "emissions", "assessments", "reports", "templates")
# The keywords Django's makemessages gives xgettext (besides xgettext's own gettext, _ ...).
KEYWORDS = (
    "gettext_noop", "gettext_lazy", "ngettext_lazy:1,2", "pgettext:1c,2", "npgettext:1c,2,3",
    "pgettext_lazy:1c,2", "npgettext_lazy:1c,2,3",
)  # fmt: skip
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file (obsolete `#~` entries left out), header included."""
    entries: list[Entry] = []
    entry, target = Entry(), ""
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if target:
                entries.append(entry)
            entry, target = Entry(), ""
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            target = keyword
            _append(entry, target, "", start=True)
            _append(entry, target, ast.literal_eval(value))
    return entries


def _append(entry: Entry, target: str, text: str, *, start: bool = False) -> None:
    if target.startswith("msgstr"):
        index = int(target[7:-1]) if target.startswith("msgstr[") else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif target == "msgid_plural":
        entry.msgid_plural = ("" if start else entry.msgid_plural or "") + text
    elif target == "msgctxt":
        entry.msgctxt = ("" if start else entry.msgctxt or "") + text
    else:
        entry.msgid = ("" if start else entry.msgid) + text


def _catalogue(path: Path) -> list[Entry]:
    return parse_po(path.read_text(encoding="utf-8"))


def _messages(path: Path) -> list[Entry]:
    return [entry for entry in _catalogue(path) if entry.msgid]


def _brace_fields(text: str) -> list[tuple[str, str | None, str]] | None:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None  # not a format string: compared as text by the translator
    return sorted((name, conversion, spec or "") for _, name, spec, conversion in parsed if name)


def _placeholders(entry: Entry, text: str) -> tuple[object, object]:
    percent = sorted(_PERCENT.findall(text)) if "python-format" in entry.flags else []
    return _brace_fields(text), percent


def test_there_is_a_chinese_catalogue_per_app_and_one_for_the_rest() -> None:
    assert [path.relative_to(ROOT).parts[0] for path in CATALOGUES] == [
        "assessments",
        "emissions",
        "zerocarbon",
    ]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-5])
def test_every_entry_is_translated_and_none_is_fuzzy(po: Path) -> None:
    entries = _catalogue(po)
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        entry.msgid for entry in entries[1:] if not all(entry.msgstr.values()) or not entry.msgstr
    ]
    assert (fuzzy, untranslated) == ([], [])
    header = entries[0]
    assert header.msgid == ""
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-5])
def test_every_translation_keeps_the_placeholders_of_its_message(po: Path) -> None:
    differ = []
    for entry in _messages(po):
        for index, text in entry.msgstr.items():
            if not text:
                continue  # untranslated: the test above reports it
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            if _placeholders(entry, source) != _placeholders(entry, text):
                differ.append((source, text))
    assert differ == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-5])
def test_the_compiled_catalogue_is_up_to_date_with_its_po_file(po: Path) -> None:
    """The .mo files are committed (running needs no gettext tools): each must hold exactly
    the translations of its .po file."""
    with po.with_suffix(".mo").open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    expected: dict[object, str] = {}
    for entry in _messages(po):
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue  # msgfmt leaves these out (the test above fails for them)
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            expected |= {(entry.key, index): text for index, text in entry.msgstr.items()}
    catalog = compiled._catalog  # type: ignore[attr-defined]
    found = {key: text for key, text in catalog.items() if key != ""}
    assert found == expected
    assert (compiled.charset() or "").lower() == "utf-8"


def _xgettext() -> str:
    program = shutil.which("xgettext")
    if program is None:
        reason = "needs GNU gettext (xgettext): apt-get install gettext"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: never skipped)")
        pytest.skip(reason)
    return program


def _sources() -> Iterator[Path]:
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "locale" not in path.parts:
                yield path


def _code_messages(xgettext: str, tmp_path: Path) -> set[str]:
    """Every message of the code, found as `make messages` finds them: xgettext over the
    Python files and over the templates as Django's templatize rewrites them."""
    files = []
    for index, path in enumerate(_sources()):
        if path.suffix == ".py":
            files.append(str(path))
        else:
            rewritten = tmp_path / f"template-{index}.py"
            source = path.read_text(encoding="utf-8")
            rewritten.write_text(templatize(source, origin=str(path)), encoding="utf-8")
            files.append(str(rewritten))
    output = tmp_path / "code.pot"
    subprocess.run(  # noqa: S603 - fixed argv, our own files
        [
            xgettext, "--language=Python", "--from-code=UTF-8", "--no-location",
            *[f"--keyword={keyword}" for keyword in KEYWORDS], f"--output={output}", *files,
        ],
        check=True,
    )  # fmt: skip
    return {entry.key for entry in parse_po(output.read_text(encoding="utf-8")) if entry.msgid}


def test_every_message_of_the_code_is_in_a_catalogue(tmp_path: Path) -> None:
    """Fails when code added a message that `make messages` has not yet put in a catalogue
    (run it and translate the new entries)."""
    xgettext = _xgettext()
    catalogued = {entry.key for po in CATALOGUES for entry in _messages(po)}
    assert sorted(_code_messages(xgettext, tmp_path) - catalogued) == []


def test_every_model_name_a_message_may_give_is_in_a_catalogue() -> None:
    """ "No inventory matches the request.": messages name models by their verbose names,
    which the apps mark for the catalogue (MODEL_NAMES in their apps.py)."""
    catalogued = {entry.key for po in CATALOGUES for entry in _messages(po)}
    ours = ("accounts", "emissions", "assessments", "reports")
    names = {
        str(model._meta.verbose_name)
        for model in apps.get_models()
        if model._meta.app_label in ours
    }
    assert sorted(names - catalogued) == []


def test_kernel_messages_go_through_the_installed_translation() -> None:
    previous = kernel_translation.install(str.upper)
    try:
        assert kernel_translation.gettext("unknown unit") == "UNKNOWN UNIT"
        assert kernel_translation.gettext_noop("energy") == "energy"
    finally:
        kernel_translation.install(previous)
    assert kernel_translation.gettext("unknown unit") == "unknown unit"  # English active


def _reading_errors(document: object) -> list[tuple[str, str]]:
    with pytest.raises(DossierInvalid) as invalid:
        read_dossier(document, factors=load_default_factor_set(), as_of=date(2025, 6, 30))
    return [(error.path, error.message) for error in invalid.value.errors]


def test_the_dossier_reader_speaks_the_active_language() -> None:
    document = {"schema": "zerocarbon.dossier/1", "year": "2024", "colour": "green"}
    english = _reading_errors(document)
    with translation.override("zh-hans"):
        chinese = _reading_errors(document)
    assert [path for path, _ in chinese] == [path for path, _ in english]
    assert dict(english)["/colour"].startswith("unknown key 'colour'; allowed keys here: ")
    assert all(_CJK.search(message) for _, message in chinese), chinese
    assert not any(_CJK.search(message) for _, message in english), english


def _command_error(*args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("evaluate_dossier", "no-such-file.json", *args)
    return str(refused.value)


def test_commands_speak_english_whatever_language_is_active() -> None:
    with translation.override("zh-hans"):
        message = _command_error()
    assert "file not found: no-such-file.json" in message
    assert "the dossier is invalid (1 error)" in message


def test_a_command_speaks_chinese_when_asked() -> None:
    message = _command_error("--language", "zh-hans")
    assert "找不到文件：no-such-file.json" in message
    assert "档案无效" in message
    assert translation.get_language() == "en"  # the command's language ends with it
