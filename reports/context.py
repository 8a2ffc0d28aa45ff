"""What a certificate or a full report shows, from plain data only (a kernel: no Django).

Built from the stored record (result, inputs snapshot, factor values, SHA-256), the rubric
edition it names, the factor set's Chinese fuel names and the certificate's fields (None for
a draft: no approval exists yet, so no number). The report's body is the evaluation page's
shape (`assessments.evaluation.present`), so a PDF says what the page says. The platform's
words go through the kernels' gettext: the caller activates the document's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from assessments.evaluation.figures import carrier_name
from assessments.evaluation.present import Presented, present
from assessments.evaluation.sentences import SCOPE_WORDS
from assessments.scoring import rubric as kernel
from emissions.accounting.factors import FactorSet
from emissions.accounting.gases import resolve_gas
from emissions.accounting.grid import grid_factor_key
from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop

CERTIFICATE, REPORT = "certificate", "report"
LANGUAGES = ("zh-hans", "en")
LEVEL_NAMES = {
    1: gettext_noop("One-star zero-carbon factory"),
    2: gettext_noop("Two-star zero-carbon factory"),
    3: gettext_noop("Three-star zero-carbon factory"),
    4: gettext_noop("Four-star zero-carbon factory"),
    5: gettext_noop("Five-star zero-carbon factory"),
}
# Which factor values (by key prefix) an inventory line of each section used.
_SECTIONS = (
    ("energy", gettext_noop("Energy use (categories 1 and 2)")),
    ("process_emissions", gettext_noop("Process emissions (category 1)")),
    ("refrigerants", gettext_noop("Refrigerants (category 1)")),
    ("scope3", gettext_noop("Transport and products used (categories 3 and 4)")),
)
# The factor keys of the carriers whose factor is not their own fuel's ("fuel:<code>:").
_CARRIER_KEYS = {"grid_electricity": "grid:", "purchased_heat": "heat:", "purchased_steam": "heat:"}


@dataclass(frozen=True)
class CertificateFields:
    """An issued certificate's own fields (the certificates area owns the record)."""

    number: str
    issued_on: date
    valid_until: date
    status: str


@dataclass(frozen=True)
class FactorUse:
    key: str
    value: str
    source: str


@dataclass(frozen=True)
class InventoryRow:
    source: str
    quantity: str
    unit: str
    factors: tuple[FactorUse, ...]


@dataclass(frozen=True)
class InventoryTable:
    title: str
    rows: tuple[InventoryRow, ...]


@dataclass(frozen=True)
class InstrumentRow:
    instrument: str
    registry: str
    serial_from: str
    serial_to: str
    quantity: str
    unit: str
    vintage: str


@dataclass(frozen=True)
class ReviewEntry:
    """One step of a certification body's review: `action` and `subject` are already in the
    document's language (the caller translates them), `text` is the reviewer's own note."""

    at: datetime
    actor: str
    action: str
    subject: str
    text: str


@dataclass(frozen=True)
class Document:
    kind: str
    language: str
    draft: bool
    factory_name: str
    factory_name_en: str
    level_name: str
    grid_scope: str  # the grid factor's scope in words (national, regional, provincial)
    certificate: CertificateFields | None
    verify_url: str
    qr_svg: str
    page: Presented
    inventory: tuple[InventoryTable, ...]
    factor_values: tuple[FactorUse, ...]
    instruments: tuple[InstrumentRow, ...]
    review_history: tuple[ReviewEntry, ...]


@dataclass(frozen=True)
class Record:
    """The stored evaluation as plain data."""

    result: Mapping[str, Any]
    inputs: Mapping[str, Any]
    factor_values: Mapping[str, Any]
    sha256: str


def level_name(level: int | None) -> str:
    return _(LEVEL_NAMES[level]) if level in LEVEL_NAMES else _("Not rated")


def verify_url(base_url: str, number: str) -> str:
    """The public verification address of a certificate (the QR code's content)."""
    return f"{base_url.rstrip('/')}/verify/{number}/"


def qr_svg(url: str) -> str:
    """The QR code of `url` as an inline `<svg>` (no XML declaration), scaled by its box."""
    import segno  # here: only a certificate draws one, and the import costs every process

    code = segno.make(url, error="m")
    return str(code.svg_inline(scale=4, border=2, dark="#1f2933", omitsize=True))


def set_sources(factors: FactorSet | None) -> dict[str, str]:
    """The factor set's own notes on its values: by fuel (`fuel:diesel`) and by grid factor
    key (`grid:location:regional:east:2022`)."""
    if factors is None:
        return {}
    sources = {f"fuel:{code}": fuel.source for code, fuel in factors.fuels.items()}
    return sources | {grid_factor_key(grid): grid.source for grid in factors.grid_factors}


def factor_source(key: str, sources: Mapping[str, str], set_version: str) -> str:
    """Where a factor value comes from: the factor set's note on it, else the set itself."""
    parts = key.split(":")
    noted = sources.get(key) or sources.get(":".join(parts[:2]))
    if noted:
        return noted
    if parts[0] == "gwp":
        return _("IPCC {set} GWP-100").format(set=parts[1])
    return _("factor set {version}").format(version=set_version)


def _gas_factors(gas: str, sources: Mapping[str, FactorUse]) -> tuple[FactorUse, ...]:
    """A gas line's values: its GWP, or a blend's mass fractions and its components' GWPs."""
    blend = f"blend:{gas}:"
    gases = {gas} | {key.rsplit(":", 1)[1] for key in sources if key.startswith(blend)}
    return tuple(
        use
        for key, use in sources.items()
        if key.startswith(blend) or (key.startswith("gwp:") and key.rsplit(":", 1)[1] in gases)
    )


def _factors_for(
    section: str,
    line: Mapping[str, Any],
    sources: Mapping[str, FactorUse],
    factors: FactorSet | None,
) -> tuple[FactorUse, ...]:
    """The factor values a line used: its carrier's, its gas's or the one it declares."""
    if section == "scope3":
        if line.get("factor_tco2e_per_unit") is None:
            return ()
        source = str(line.get("factor_source") or _("declared in the dossier"))
        unit = "tCO2e/" + str(line.get("unit", ""))
        return (FactorUse(unit, str(line["factor_tco2e_per_unit"]), source),)
    carrier = line.get("carrier")
    if carrier:
        prefix = _CARRIER_KEYS.get(str(carrier), f"fuel:{carrier}:")
        return tuple(use for key, use in sources.items() if key.startswith(prefix))
    gas = str(line.get("gas", ""))
    return _gas_factors(resolve_gas(gas, factors) if factors else gas, sources)


def _row(line: Mapping[str, Any], fuel_names: Mapping[str, str], zh: bool) -> tuple[str, str, str]:
    """A line's source, quantity and unit (a category 3 or 4 line may give only tCO2e)."""
    carrier = line.get("carrier")
    if carrier:
        subject = carrier_name(str(carrier), fuel_names, zh)
    else:
        subject = str(line.get("source") or line.get("gas") or "")
    quantity = line.get("quantity", line.get("tco2e", ""))
    unit = str(line.get("unit") or ("tCO2e" if "tco2e" in line else ""))
    return subject, str(quantity), unit


def inventory(
    dossier: Mapping[str, Any],
    sources: Mapping[str, FactorUse],
    *,
    factors: FactorSet | None,
    fuel_names: Mapping[str, str],
    zh: bool,
) -> tuple[InventoryTable, ...]:
    """The inventory tables by category, each line with the factor values it used."""
    tables = []
    for section, title in _SECTIONS:
        rows = tuple(
            InventoryRow(*_row(line, fuel_names, zh), _factors_for(section, line, sources, factors))
            for line in dossier.get(section) or ()
        )
        if rows:
            tables.append(InventoryTable(_(title), rows))
    return tuple(tables)


def instruments(dossier: Mapping[str, Any]) -> tuple[InstrumentRow, ...]:
    """Green-electricity instruments (MWh) and carbon credits (tCO2e) the dossier declares."""
    rows = [(line, "quantity_mwh", "MWh") for line in dossier.get("green_electricity") or ()]
    rows += [(line, "quantity_tco2e", "tCO2e") for line in dossier.get("credits") or ()]
    return tuple(
        InstrumentRow(
            instrument=str(line.get("instrument", "")),
            registry=str(line.get("registry", "")),
            serial_from=str(line.get("serial_from", "")),
            serial_to=str(line.get("serial_to", "")),
            quantity=str(line.get(field, "")),
            unit=unit,
            vintage=str(line.get("vintage", "")),
        )
        for line, field, unit in rows
    )


def factor_uses(record: Record, factors: FactorSet | None) -> dict[str, FactorUse]:
    """Every factor value the evaluation used, by key, with its source."""
    version, sources = str(record.inputs["factor_set_version"]), set_sources(factors)
    return {
        key: FactorUse(key, str(value), factor_source(key, sources, version))
        for key, value in sorted(record.factor_values.items())
    }


def document(
    record: Record,
    *,
    kind: str,
    language: str,
    rubric: kernel.Rubric | None,
    factors: FactorSet | None,
    certificate: CertificateFields | None,
    base_url: str,
    review_history: Sequence[ReviewEntry] = (),
) -> Document:
    """Everything a certificate or report of `record` shows, in `language` (already active);
    `rubric` and `factors` are the edition and set the record names (None if not loaded),
    `review_history` the certification body's steps, oldest first (none: never reviewed)."""
    zh = language.startswith("zh")
    fuel_names = {code: fuel.name_zh for code, fuel in factors.fuels.items()} if factors else {}
    page = present(
        record.result,
        record.inputs,
        sha256=record.sha256,
        rubric=rubric,
        fuel_names=fuel_names,
        zh=zh,
    )
    dossier, uses = record.inputs["dossier"], factor_uses(record, factors)
    factory = dossier.get("factory") or {}
    url = verify_url(base_url, certificate.number) if certificate else ""
    return Document(
        kind=kind,
        language=language,
        draft=certificate is None,
        factory_name=page.header.factory,
        factory_name_en=str(factory.get("name_en") or ""),
        level_name=level_name(page.star_level),
        grid_scope=_(SCOPE_WORDS[str(page.factors["grid_factor_scope"])]),
        certificate=certificate,
        verify_url=url,
        qr_svg=qr_svg(url) if url else "",
        page=page,
        inventory=inventory(dossier, uses, factors=factors, fuel_names=fuel_names, zh=zh),
        instruments=instruments(dossier),
        factor_values=tuple(uses.values()),
        review_history=tuple(review_history),
    )
