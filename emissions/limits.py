"""The platform's storage limits, declared once: in the dossier's JSON Schema.

Everything the reader accepts must fit the database exactly, so the limits are read from
`dossier.schema.json` (which enforces them on every dossier) and the model columns are sized
from the constants here. A test keeps every column in step with them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).resolve().parent / "dossier" / "dossier.schema.json"


@cache
def dossier_schema() -> dict[str, Any]:
    """The schema document shipped in emissions/dossier/ (read as a file, so that this module
    imports nothing of the dossier package and everything may import it)."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


_SCHEMA = dossier_schema()
_DEFS: dict[str, Any] = _SCHEMA["$defs"]
_DOCUMENT: dict[str, Any] = _SCHEMA["documentLimits"]

TEXT_MAX_LENGTH: int = _DEFS["text"]["maxLength"]  # names, sources, registries, references
NOTE_MAX_LENGTH: int = _DEFS["note"]["maxLength"]  # notes and addresses
CODE_MAX_LENGTH: int = _DEFS["code"]["maxLength"]  # carriers, units, gases, provinces, codes
SERIAL_MAX_LENGTH: int = _DEFS["serial"]["maxLength"]

# Decimal quantities: digits before and after the decimal point, stored in
# DecimalField(max_digits=INTEGER + FRACTION, decimal_places=FRACTION).
DECIMAL_INTEGER_DIGITS: int = _DEFS["decimal"]["decimalDigits"]["integer"]
DECIMAL_FRACTION_DIGITS: int = _DEFS["decimal"]["decimalDigits"]["fraction"]

YEAR_MIN: int = _DEFS["plausible_year"]["minimum"]
YEAR_MAX: int = _DEFS["plausible_year"]["maximum"]
LIST_MAX_ITEMS: int = _SCHEMA["properties"]["energy"]["maxItems"]

MAX_DEPTH: int = _DOCUMENT["maxDepth"]
MAX_KEY_LENGTH: int = _DOCUMENT["maxKeyLength"]
MAX_FREE_STRING_LENGTH: int = _DOCUMENT["maxFreeStringLength"]
SERIAL_DIGITS: int = _DOCUMENT["serialDigits"]
