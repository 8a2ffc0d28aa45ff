"""Presentation: the spec's field names, half-up rounding in the output only (at any magnitude),
factor values as stored, None as null (test_exact_json.py: how the numbers are written)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext

from emissions.accounting import exact_json
from emissions.accounting.engine import account
from emissions.accounting.library import load_default_factor_set
from emissions.accounting.present import present
from emissions.accounting.results import AccountingResult

from .support import AS_OF, gec, grid_mwh, inventory

D = Decimal


def result_of(**changes: object) -> AccountingResult:
    return account(inventory(**changes), load_default_factor_set(), AS_OF)


def test_the_parts_and_fields_are_those_dossier_md_fixes() -> None:
    presented = present(result_of(energy=(grid_mwh("1"),)))
    assert list(presented) == ["factors", "emissions", "metrics", "instrument_issues"]
    assert list(presented["factors"]) == [
        "set_version",
        "grid_factor_tco2_per_mwh",
        "grid_factor_year",
        "grid_factor_scope",
        "gwp_set",
        "warnings",
    ]
    assert list(presented["emissions"]) == [
        "category_1",
        "category_2_location",
        "category_2_market",
        "category_3",
        "category_4",
        "boundary_total",
    ]
    assert list(presented["metrics"]) == [
        "electricity_consumption_mwh",
        "renewable_electricity_mwh",
        "renewable_electricity_share",
        "green_power_offset_tco2e",
        "credit_offset_tco2e",
        "removal_tco2e",
        "neutralisation_ratio",
        "removal_ratio",
        "electrification_share",
        "intensity_reduction",
    ]


def test_tonnes_and_mwh_round_half_up_to_3_places_and_ratios_to_4() -> None:
    result = result_of(energy=(grid_mwh("1"),))
    result = replace(
        result,
        emissions=replace(result.emissions, category_1=D("1.0005"), category_3=D("2.0004999")),
        metrics=replace(
            result.metrics,
            neutralisation_ratio=D("0.12345"),
            electricity_consumption_mwh=D("0.0125"),
        ),
    )
    presented = present(result)
    assert presented["emissions"]["category_1"] == D("1.001")  # half-even would give 1.000
    assert presented["emissions"]["category_3"] == D("2.000")
    assert presented["metrics"]["neutralisation_ratio"] == D("0.1235")
    assert presented["metrics"]["electricity_consumption_mwh"] == D("0.013")


def test_factor_values_are_shown_as_stored_and_undefined_ratios_as_none() -> None:
    presented = present(result_of(grid_factor_scope="regional"))
    assert str(presented["factors"]["grid_factor_tco2_per_mwh"]) == "0.5500"
    assert presented["metrics"]["renewable_electricity_share"] is None
    assert presented["metrics"]["intensity_reduction"] is None
    assert exact_json.dumps(presented).count("null") == 3


def test_instrument_issues_are_listed_with_path_and_message() -> None:
    presented = present(
        result_of(energy=(grid_mwh("1"),), green_electricity=(gec("1", vintage=2022),))
    )
    assert presented["instrument_issues"] == [
        {
            "path": "/green_electricity/0",
            "message": "vintage 2022 differs from the period year 2023",
        }
    ]


def test_rounding_does_not_depend_on_the_callers_decimal_context() -> None:
    result = result_of(energy=(grid_mwh("1"),))
    huge = D("123456789012345678901234567890.123456")
    result = replace(result, emissions=replace(result.emissions, category_1=huge))
    with localcontext(prec=28):  # the default: it cannot hold 33 digits after quantize
        presented = present(result)
    assert presented["emissions"]["category_1"] == D("123456789012345678901234567890.123")
