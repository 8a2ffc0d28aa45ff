"""The evaluation pipeline, free of Django: a read dossier in, the spec's result out.

    read dossier ─► accounting.account ─► scoring.score ─► result (spec field names)

Every result comes from this one function, called only by the one entry point
`assessments.services.dossier.evaluate_full`: the CLI (`evaluate_dossier`, batches), the worker
(stored assessments), the live preview and what-if, so a file and a stored assessment with the
same data give the same result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from assessments.scoring import present as score_present
from assessments.scoring.answers import Answers
from assessments.scoring.engine import ScoringInput, score
from assessments.scoring.rubric import Rubric
from assessments.scoring.texts import METERING_INCOMPLETE
from emissions.accounting import exact_json
from emissions.accounting import present as accounting_present
from emissions.accounting.engine import account
from emissions.accounting.factors import FactorSet
from emissions.accounting.formatting import stripped
from emissions.dossier import ReadDossier
from emissions.metering.shares import percent_down

RESULT_KEYS = (
    "dossier", "rubric", "factors", "emissions", "metrics", "gates", "indicators", "total_score",
    "star_level", "zero_carbon", "limited_by", "next_level", "instrument_issues", "input_sha256",
)  # fmt: skip
# A stored inventory whose factory has meters adds its data quality, before the hash; a
# dossier file alone gives exactly the fields of spec/dossier.md.
METERED_RESULT_KEYS = (*RESULT_KEYS[:-1], "data_quality", RESULT_KEYS[-1])


@dataclass(frozen=True)
class Evaluated:
    result: dict[str, Any]  # Decimals inside; `exact_json` writes them as JSON numbers
    inputs: dict[str, Any]  # the canonical inputs snapshot the hash covers
    input_sha256: str
    factor_values: dict[str, str]  # every factor value the accounting used, by stable key


_AS_IS = frozenset({str, int, float, bool, type(None)})  # most values: looked up, not tested


def canonical(value: Any) -> Any:
    """JSON-ready copy: decimals as normalised strings, dates ISO, mappings as dicts.
    Canonical values are canonical already (`canonical(canonical(x)) == canonical(x)`)."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict or (kind is not list and isinstance(value, Mapping)):
        return _canonical_object(value)
    if kind is list or isinstance(value, tuple):
        as_is = _AS_IS
        return [item if type(item) in as_is else canonical(item) for item in value]
    if isinstance(value, Decimal):
        return format(stripped(value), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _canonical_object(value: Mapping[Any, Any]) -> dict[str, Any]:
    """A mapping's copy; a value of a plain JSON type is taken as it is, without a call (most
    of a dossier's values: the walk is a fifth of an evaluation)."""
    as_is, copy = _AS_IS, {}
    for key, item in value.items():
        copy[key if type(key) is str else str(key)] = (
            item if type(item) in as_is else canonical(item)
        )
    return copy


def canonical_json(value: Any) -> str:
    return _sorted_json(canonical(value))


def _sorted_json(value: Any) -> str:
    """The hashed text of a canonical value: keys sorted, no spaces, Unicode as it is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(value: Any) -> str:
    return _sha256_of_canonical(canonical(value))


def _sha256_of_canonical(value: Any) -> str:
    """`sha256_of` a value that is canonical already, without copying it again."""
    return hashlib.sha256(_sorted_json(value).encode("utf-8")).hexdigest()


def record_sha256(
    inputs: Mapping[str, Any], result: Mapping[str, Any], factor_values: Mapping[str, str]
) -> str:
    """The stored evaluation's `sha256`: canonical JSON (keys sorted, separators `,` and `:`)
    of inputs, result and factor values together, the result's numbers written as the JSON
    numbers it is stored with (exact, normalised). Inputs and factor values hold only text.

    For numbers of up to 15 significant digits and not below 0.0001 (every value the output
    rounding leaves, unless a stored factor is smaller) that is exactly the text the platform
    hashed when it still stored results through float: those hashes are unchanged and verify.
    """
    record = {"inputs": inputs, "result": result, "factor_values": factor_values}
    text = exact_json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evaluate(
    read: ReadDossier,
    *,
    factors: FactorSet,
    rubric: Rubric,
    answers: Answers,
    gates: Mapping[str, bool],
    as_of: date,
    code_version: str,
    metering: Mapping[str, Any] | None = None,
) -> Evaluated:
    """`metering`: what the factory's meters say of the year (score 1–5 and each metered
    carrier's coverage, from emissions.metering_selectors.inventory_coverage), or None when no
    meter feeds the inventory (a dossier file alone). It is an input: the hash covers it."""
    inventory = read.inventory
    accounting = account(inventory, factors, as_of)
    scored = score(
        rubric,
        ScoringInput(
            boundary=inventory.boundary,
            emissions_tco2e=accounting.emissions.boundary_total,
            metrics=accounting.metrics,
            answers=answers,
            declared_gates=gates,
        ),
    )
    inputs = {
        "dossier": canonical(read.document),
        "rubric": {"code": rubric.code, "edition": rubric.edition},
        "factor_set_version": factors.version,
        "gwp_set": inventory.gwp_set,
        "code_version": code_version,
        "as_of": as_of.isoformat(),
    }
    if metering is not None:
        inputs["metering"] = canonical(metering)
    digest = _sha256_of_canonical(inputs)  # every part is canonical: `sha256_of` would copy
    parts: dict[str, Any] = {
        "dossier": {
            "factory": inventory.factory.name,
            "year": inventory.year,
            "boundary": inventory.boundary,
        },
        "rubric": {"code": rubric.code, "edition": rubric.edition},
        **accounting_present.present(accounting),
        **score_present.present(scored),
        "data_quality": data_quality(metering, inventory.year),
        "input_sha256": digest,
    }
    parts["factors"]["warnings"] += read.warnings  # e.g. a registry the platform does not know
    result = {key: parts[key] for key in (RESULT_KEYS if metering is None else METERED_RESULT_KEYS)}
    values = {key: canonical(value) for key, value in accounting.factors.values}
    return Evaluated(result=result, inputs=inputs, input_sha256=digest, factor_values=values)


def data_quality(metering: Mapping[str, Any] | None, year: int) -> dict[str, Any] | None:
    """The metering part of the result: the score, each metered carrier's coverage, and a
    warning (both languages) for every carrier whose meters miss part of the year."""
    if metering is None:
        return None
    carriers = [dict(carrier) for carrier in metering["carriers"]]
    warnings = [
        METERING_INCOMPLETE.format(
            carrier=str(carrier["carrier"]),
            coverage=percent_down(Decimal(carrier["coverage"])),
            year=str(year),
        )
        for carrier in carriers
        if Decimal(carrier["coverage"]) < 1
    ]
    return {
        "score": metering["score"],
        "full_year": not warnings,
        "carriers": carriers,
        "warnings": [{"zh": text.zh, "en": text.en} for text in warnings],
    }


def result_json(result: Mapping[str, Any], *, indent: int | None = 2) -> str:
    """The result as JSON with every Decimal written as a JSON number, digits intact."""
    return exact_json.dumps(result, indent=indent)
