"""The evaluation pipeline, free of Django: a read dossier in, the spec's result out.

    read dossier ─► accounting.account ─► scoring.score ─► result (spec field names)

The CLI (`evaluate_dossier`), the worker (stored assessments) and the what-if service all run
this one function, so a file and a stored assessment with the same data give the same result.
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
from emissions.accounting import exact_json
from emissions.accounting import present as accounting_present
from emissions.accounting.engine import account
from emissions.accounting.factors import FactorSet
from emissions.accounting.formatting import stripped
from emissions.dossier import ReadDossier

RESULT_KEYS = (
    "dossier", "rubric", "factors", "emissions", "metrics", "gates", "indicators", "total_score",
    "star_level", "zero_carbon", "limited_by", "next_level", "instrument_issues", "input_sha256",
)  # fmt: skip


@dataclass(frozen=True)
class Evaluated:
    result: dict[str, Any]  # Decimals inside; `exact_json` writes them as JSON numbers
    inputs: dict[str, Any]  # the canonical inputs snapshot the hash covers
    input_sha256: str
    factor_values: dict[str, str]  # every factor value the accounting used, by stable key


def canonical(value: Any) -> Any:
    """JSON-ready copy: decimals as normalised strings, dates ISO, mappings as dicts."""
    if isinstance(value, Decimal):
        return format(stripped(value), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


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
) -> Evaluated:
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
    digest = sha256_of(inputs)
    parts: dict[str, Any] = {
        "dossier": {
            "factory": inventory.factory.name,
            "year": inventory.year,
            "boundary": inventory.boundary,
        },
        "rubric": {"code": rubric.code, "edition": rubric.edition},
        **accounting_present.present(accounting),
        **score_present.present(scored),
        "input_sha256": digest,
    }
    parts["factors"]["warnings"] += read.warnings  # e.g. a registry the platform does not know
    result = {key: parts[key] for key in RESULT_KEYS}
    values = {key: canonical(value) for key, value in accounting.factors.values}
    return Evaluated(result=result, inputs=inputs, input_sha256=digest, factor_values=values)


def result_json(result: Mapping[str, Any], *, indent: int | None = 2) -> str:
    """The result as JSON with every Decimal written as a JSON number, digits intact."""
    return exact_json.dumps(result, indent=indent)
