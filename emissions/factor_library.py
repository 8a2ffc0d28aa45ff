"""Factor sets between the database and the kernel.

`store_document` writes a factor-set document (the format of `emissions/data/*.json`) as
rows; `document_of` reads rows back into that format; the kernel's `factor_set_from_dict`
validates and freezes it. The data migration uses `store_document` with historical models,
hence the `get_model` parameter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from emissions.accounting.formatting import amount
from emissions.accounting.library import DEFAULT_FACTOR_SET_PATH, factor_set_from_dict

GetModel = Callable[[str], Any]
DEFAULT_VERSION = "CN-2025.1"


def default_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DEFAULT_FACTOR_SET_PATH.read_text(encoding="utf-8"))
    return document


def store_document(get_model: GetModel, document: dict[str, Any], *, publish: bool) -> Any:
    """Create a factor set and all its values from a (validated) document."""
    heat = document["heat"]
    aliases = document.get("gas_aliases", {})
    factor_set = get_model("FactorSet").objects.create(
        version=document["version"],
        status="draft",
        source_notes=document["source_notes"],
        heat_factor_tco2_per_gj=heat["factor_tco2_per_gj"],
        heat_factor_confidence=heat["confidence"],
        heat_factor_source=heat["source"],
        gas_alias_source=aliases.get("source", ""),
    )
    _store_values(get_model, factor_set, document)
    if publish:
        factor_set.status = "published"
        factor_set.published_at = datetime.now(tz=UTC)
        factor_set.save()
    return factor_set


def _store_values(get_model: GetModel, factor_set: Any, document: dict[str, Any]) -> None:
    get_model("FactorSetFuel").objects.bulk_create(
        get_model("FactorSetFuel")(factor_set=factor_set, code=code, **values)
        for code, values in document["fuels"].items()
    )
    get_model("FactorSetGridFactor").objects.bulk_create(
        get_model("FactorSetGridFactor")(factor_set=factor_set, **row)
        for row in document["grid_factors"]
    )
    get_model("FactorSetGwp").objects.bulk_create(
        get_model("FactorSetGwp")(
            factor_set=factor_set,
            gwp_set=name,
            gas=gas,
            value=value,
            confidence=body["confidence"],
            source=body["source"],
        )
        for name, body in document["gwp"].items()
        for gas, value in body["values"].items()
    )
    get_model("FactorSetGasAlias").objects.bulk_create(
        get_model("FactorSetGasAlias")(factor_set=factor_set, alias=alias, gas=gas)
        for alias, gas in document.get("gas_aliases", {}).get("aliases", {}).items()
    )
    get_model("FactorSetBlendComponent").objects.bulk_create(
        get_model("FactorSetBlendComponent")(
            factor_set=factor_set,
            blend=blend,
            gas=gas,
            mass_fraction=fraction,
            confidence=body["confidence"],
            source=body["source"],
        )
        for blend, body in document["blends"].items()
        for gas, fraction in body["components"].items()
    )


def _text(value: Any) -> str:
    """A stored Decimal(0.55680000) back as "0.5568": the value, without storage padding."""
    return amount(value)


def seed_default_factor_set(get_model: GetModel) -> None:
    """Publish CN-2025.1 unless present (data migration; tests after a flush). The kernel's
    reader validates the file before anything is written."""
    document = default_document()
    factor_set_from_dict(document)
    if not get_model("FactorSet").objects.filter(version=DEFAULT_VERSION).exists():
        store_document(get_model, document, publish=True)


def document_of(factor_set: Any) -> dict[str, Any]:
    """The factor-set document of stored rows (decimal strings, as the files hold them)."""
    fuels = {
        f.code: {
            "name_zh": f.name_zh,
            "unit": f.unit,
            "ncv_gj_per_unit": _text(f.ncv_gj_per_unit),
            "carbon_content_tc_per_gj": _text(f.carbon_content_tc_per_gj),
            "oxidation_fraction": _text(f.oxidation_fraction),
            "confidence": f.confidence,
            "source": f.source,
        }
        for f in factor_set.fuels.all()
    }
    grid = [
        {
            "scope": g.scope,
            "area": g.area,
            "year": g.year,
            "kind": g.kind,
            "value_tco2_per_mwh": _text(g.value_tco2_per_mwh),
            "confidence": g.confidence,
            "source": g.source,
        }
        for g in factor_set.grid_factors.all()
    ]
    gwp: dict[str, Any] = {}
    for row in factor_set.gwp_values.all():
        body = gwp.setdefault(
            row.gwp_set, {"values": {}, "confidence": row.confidence, "source": row.source}
        )
        body["values"][row.gas] = _text(row.value)
    blends: dict[str, Any] = {}
    for row in factor_set.blend_components.all():
        body = blends.setdefault(
            row.blend, {"components": {}, "confidence": row.confidence, "source": row.source}
        )
        body["components"][row.gas] = _text(row.mass_fraction)
    return {
        "schema": "zerocarbon.factor-set/1",
        "version": factor_set.version,
        "source_notes": factor_set.source_notes,
        "fuels": fuels,
        "grid_factors": grid,
        "gwp": gwp,
        "gas_aliases": {
            "aliases": {a.alias: a.gas for a in factor_set.gas_aliases.all()},
            "source": factor_set.gas_alias_source,
        },
        "blends": blends,
        "heat": {
            "factor_tco2_per_gj": _text(factor_set.heat_factor_tco2_per_gj),
            "confidence": factor_set.heat_factor_confidence,
            "source": factor_set.heat_factor_source,
        },
    }
