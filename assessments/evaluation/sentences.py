"""The stored result's one-language sentences, said again in the page's language.

A stored evaluation is a record written by the worker, in English where the kernels write one
language only: `limited_by`, the instrument issues and the factor warnings. Gates and items
carry both languages already. Everything needed to say these sentences again is in the record:

- `limited_by` pairs one to one with `next_level.unmet`: a failed gate's sentence is that
  gate's message (`message` / `message_zh`), any other is `scoring.texts.REQUIREMENT_SENTENCES`
  filled with the stored numbers, formatted as `scoring.requirements` formats them;
- instrument issues and factor warnings are the kernels' fixed sentences with values in them
  (`emissions.accounting.instruments`, `.grid`, `emissions.dossier.reader`); each is matched
  against its template here and translated with its values kept. A sentence no template
  matches (a newer kernel's) is shown as stored. Tests keep these templates equal to what the
  kernels write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from assessments.scoring.numbers import plain
from assessments.scoring.requirements import format_metric, format_shortfall
from assessments.scoring.rubric import Text
from assessments.scoring.texts import REQUIREMENT_SENTENCES, UNDEFINED_SHARE
from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop

GATE = "gate:"


def side(row: Mapping[str, Any], field: str, zh: bool) -> str:
    """`row[field]` (English) or `row[field + "_zh"]`, the other when the one wanted is empty."""
    english, chinese = row.get(field) or "", row.get(f"{field}_zh") or ""
    first, second = (chinese, english) if zh else (english, chinese)
    return str(first or second)


def choose(text: Text, zh: bool) -> str:
    return text.zh if zh else text.en


def decimal(value: object) -> Decimal | None:
    """A stored number (the exact JSON reader gives int or Decimal) as Decimal; else None."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Decimal(value)


def _requirement_sentence(unmet: Mapping[str, Any], level: int, zh: bool) -> str | None:
    metric = str(unmet["requirement"])
    template = REQUIREMENT_SENTENCES.get(metric)
    required = decimal(unmet.get("required"))
    if template is None or required is None:
        return None
    current = decimal(unmet.get("current"))
    fields = {
        "level": str(level),
        "current": format_metric(metric, current),
        "required": plain(required),
        "shortfall": format_shortfall(metric, decimal(unmet.get("shortfall"))),
    }
    return choose((template if current is not None else UNDEFINED_SHARE).format(**fields), zh)


def limited_by(result: Mapping[str, Any], zh: bool) -> list[str]:
    """The result's `limited_by`, every sentence in the page's language."""
    stored = list(result.get("limited_by") or [])
    next_level = result.get("next_level")
    if not next_level:
        return stored
    gates = {str(gate["id"]): gate for gate in result.get("gates") or []}
    sentences = []
    for index, unmet in enumerate(next_level["unmet"]):
        requirement = str(unmet["requirement"])
        if requirement.startswith(GATE) and requirement[len(GATE) :] in gates:
            sentence: str | None = side(gates[requirement[len(GATE) :]], "message", zh)
        else:
            sentence = _requirement_sentence(unmet, int(next_level["level"]), zh)
        fallback = stored[index] if index < len(stored) else ""
        sentences.append(sentence or fallback)
    return sentences


# The kernels' sentences, word for word (`{name}` where they put a value; a quoted value keeps
# its quotes). Marked for the catalogue; translated when shown.
INSTRUMENT_SENTENCES = (
    gettext_noop("no registry named"),
    gettext_noop("quantity must be positive, got {quantity}"),
    gettext_noop("no vintage year"),
    gettext_noop("no serial range (serial_from and serial_to)"),
    gettext_noop("{instrument} is not a green-electricity instrument ({known})"),
    gettext_noop("a green-power contract needs a contract_ref"),
    gettext_noop("vintage {vintage} differs from the period year {year}"),
    gettext_noop(
        "I-REC is not accepted for vintages after {year} "
        "(GEC is the only instrument for Chinese generation from 2025)"
    ),
    gettext_noop("{instrument} is not a carbon-credit type ({known})"),
    gettext_noop("kind {kind} is neither avoidance nor removal"),
    gettext_noop("not retired: no retirement date"),
    gettext_noop("not retired by the evaluation date {as_of} (retirement date {retired_on})"),
    gettext_noop(
        "no beneficiary named; it must be the factory's name, English name or credit code"
    ),
    gettext_noop(
        "beneficiary {beneficiary} is not the factory's name, English name or credit code"
    ),
)
FACTOR_WARNINGS = (
    gettext_noop(
        "no {scope} grid factor published for {year}; using {used}, the latest earlier year"
    ),
    gettext_noop(
        "data year {year} is before the first published national grid factor; using {first}"
    ),
    gettext_noop(
        "no {scope} grid factor for {area} published for {year} or earlier; "
        "using the national factor"
    ),
    gettext_noop(
        "no national residual factor published for {year}; the market-based method uses the "
        "location factor {value} tCO2/MWh ({factor})"
    ),
    gettext_noop(
        "{path}: registry {name} is not in the platform's list of registries; its certificates"
        " are claimed under {key}"
    ),
)
# Words of the kernels inside a value (`regional (east)`, `national 2023`).
SCOPE_WORDS = {
    "national": gettext_noop("national"),
    "regional": gettext_noop("regional"),
    "provincial": gettext_noop("provincial"),
}
_FIELD = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    pieces = _FIELD.split(template)
    return re.compile(
        "".join(
            re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.+?)"
            for index, piece in enumerate(pieces)
        )
    )


_PATTERNS = [(template, _pattern(template)) for template in INSTRUMENT_SENTENCES + FACTOR_WARNINGS]


def _scope_words(value: str) -> str:
    """A leading scope word of a value in the page's language (`regional (east)`)."""
    head, _space, rest = value.partition(" ")
    if head not in SCOPE_WORDS:
        return value
    return " ".join(part for part in (_(SCOPE_WORDS[head]), rest) if part)


def translated(message: str) -> str:
    """A kernel's one-language sentence in the page's language, its values kept."""
    for template, pattern in _PATTERNS:
        match = pattern.fullmatch(message)
        if match is not None:
            fields = {name: _scope_words(value) for name, value in match.groupdict().items()}
            return _(template).format(**fields)
    return message


def translated_all(messages: Sequence[str]) -> list[str]:
    return [translated(str(message)) for message in messages]
