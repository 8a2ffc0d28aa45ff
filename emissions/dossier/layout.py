"""Key order of `zerocarbon.dossier/1` (dossier.md, "Reading rules"): the writer follows it and
the schema allows exactly these keys (a test keeps the two in step)."""

from __future__ import annotations

SCHEMA_ID = "zerocarbon.dossier/1"
DEFAULT_RUBRIC = "T/CECA-G 0171-2022"
DEFAULT_GWP_SET = "AR6"
DEFAULT_GRID_FACTOR_SCOPE = "national"

TOP_LEVEL_KEYS = (
    "schema",
    "factory",
    "year",
    "boundary",
    "rubric",
    "gwp_set",
    "grid_factor_scope",
    "energy",
    "process_emissions",
    "refrigerants",
    "scope3",
    "production",
    "baseline",
    "reduction_measures",
    "green_electricity",
    "credits",
    "gates",
    "answers",
)

# Objects (top-level key -> its keys); list sections give the keys of each item.
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "factory": ("name", "name_en", "credit_code", "province", "industry", "address"),
    "energy": ("carrier", "quantity", "unit", "monthly", "enthalpy_kj_per_kg", "note"),
    "process_emissions": ("source", "gas", "quantity", "unit"),
    "refrigerants": ("gas", "quantity", "unit", "source"),
    "scope3": (
        "category",
        "source",
        "tco2e",
        "quantity",
        "unit",
        "factor_tco2e_per_unit",
        "factor_source",
        "method",
    ),
    "production": ("output", "unit"),
    "baseline": ("year", "emissions_tco2e", "output"),
    "reduction_measures": ("name", "implemented_in", "reduction_tco2e", "verified"),
    "green_electricity": (
        "instrument",
        "registry",
        "serial_from",
        "serial_to",
        "contract_ref",
        "quantity_mwh",
        "vintage",
        "evidence_ref",
    ),
    "credits": (
        "instrument",
        "registry",
        "serial_from",
        "serial_to",
        "quantity_tco2e",
        "vintage",
        "kind",
        "retired_on",
        "beneficiary",
        "evidence_ref",
        "project",
    ),
}
LIST_SECTIONS = frozenset(
    {
        "energy",
        "process_emissions",
        "refrigerants",
        "scope3",
        "reduction_measures",
        "green_electricity",
        "credits",
    }
)
# Free-form objects the rubric layer checks; kept as given.
FREE_SECTIONS = frozenset({"gates", "answers"})

DECIMAL_KEYS = frozenset(
    {
        "quantity",
        "enthalpy_kj_per_kg",
        "tco2e",
        "factor_tco2e_per_unit",
        "output",
        "emissions_tco2e",
        "reduction_tco2e",
        "quantity_mwh",
        "quantity_tco2e",
    }
)
DECIMAL_LIST_KEYS = frozenset({"monthly"})
INTEGER_KEYS = frozenset({"year", "implemented_in", "vintage", "category"})
DATE_KEYS = frozenset({"retired_on"})
