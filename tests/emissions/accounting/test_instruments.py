"""Instrument validity (rubric.md section 1): every reason an instrument counts for nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from emissions.accounting.instruments import (
    check_instruments,
    credit_reasons,
    green_reasons,
    normalise_name,
)
from emissions.accounting.results import InstrumentIssue

from .support import AS_OF, FACTORY, ccer, gec


def test_a_complete_gec_of_the_period_year_is_valid() -> None:
    assert green_reasons(gec("100"), 2023) == []


def test_a_green_power_contract_needs_a_contract_ref_instead_of_serials() -> None:
    contract = gec("100", instrument="GREEN_POWER", serial_from=None, serial_to=None)
    assert green_reasons(contract, 2023) == ["a green-power contract needs a contract_ref"]
    assert green_reasons(replace(contract, contract_ref="PPA-2023-01"), 2023) == []


def test_an_i_rec_is_valid_up_to_vintage_2024() -> None:
    assert green_reasons(gec("100", instrument="I-REC", vintage=2024), 2024) == []


GREEN_CASES = [
    ({"registry": " "}, 2023, ["no registry named"]),
    ({"quantity_mwh": Decimal(0)}, 2023, ["quantity must be positive, got 0"]),
    ({"vintage": None}, 2023, ["no vintage year"]),
    ({"instrument": "REC"}, 2023, ["'REC' is not a green-electricity instrument (GEC, "
                                   "GREEN_POWER, I-REC)"]),
    ({"serial_to": None}, 2023, ["no serial range (serial_from and serial_to)"]),
    ({"serial_from": ""}, 2023, ["no serial range (serial_from and serial_to)"]),
    ({"vintage": 2022}, 2023, ["vintage 2022 differs from the period year 2023"]),
    (
        {"instrument": "I-REC", "vintage": 2025},
        2025,
        ["I-REC is not accepted for vintages after 2024 (GEC is the only instrument for Chinese "
         "generation from 2025)"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "year", "reasons"), GREEN_CASES)
def test_each_reason_a_green_instrument_is_invalid_is_stated(
    changes: dict[str, object], year: int, reasons: list[str]
) -> None:
    assert green_reasons(gec("100", **changes), year) == reasons


def test_a_valid_credit_retired_for_the_factory_counts() -> None:
    assert credit_reasons(ccer("100"), FACTORY, AS_OF) == []


CREDIT_CASES = [
    ({"registry": ""}, ["no registry named"]),
    ({"quantity_tco2e": Decimal(-1)}, ["quantity must be positive, got -1"]),
    ({"vintage": None}, ["no vintage year"]),
    ({"serial_from": None}, ["no serial range (serial_from and serial_to)"]),
    ({"instrument": "EUA"}, ["'EUA' is not a carbon-credit type (CCER, CER, VCU, GS-VER, "
                             "CN-FOREST)"]),
    ({"kind": "reduction"}, ["kind 'reduction' is neither avoidance nor removal"]),
    ({"retired_on": None}, ["not retired: no retirement date"]),
    (
        {"retired_on": date(2025, 7, 1)},
        ["not retired by the evaluation date 2025-06-30 (retirement date 2025-07-01)"],
    ),
    ({"beneficiary": None}, ["no beneficiary named; it must be the factory's name, English "
                             "name or credit code"]),
    ({"beneficiary": "  "}, ["no beneficiary named; it must be the factory's name, English "
                             "name or credit code"]),
    (
        {"beneficiary": "示例精密制造（无锡）有限公司"},
        ["beneficiary '示例精密制造（无锡）有限公司' is not the factory's name, English name or "
         "credit code"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "reasons"), CREDIT_CASES)
def test_each_reason_a_credit_is_invalid_is_stated(
    changes: dict[str, object], reasons: list[str]
) -> None:
    assert credit_reasons(ccer("100", **changes), FACTORY, AS_OF) == reasons


def test_a_credit_retired_on_the_evaluation_date_counts() -> None:
    assert credit_reasons(ccer("100", retired_on=AS_OF), FACTORY, AS_OF) == []


@pytest.mark.parametrize(
    "beneficiary",
    [
        "示例精密制造(苏州)有限公司",
        " 示例精密制造 （苏州） 有限公司\u3000",
        "Example Precision Manufacturing (Suzhou) Co., Ltd.",
        "Example  Precision Manufacturing （Suzhou） Co., Ltd. ",
        "91320594MA1EXAMPL2",
    ],
)
def test_the_beneficiary_may_be_the_name_english_name_or_credit_code_with_spacing_and_brackets(
    beneficiary: str,
) -> None:
    assert credit_reasons(ccer("100", beneficiary=beneficiary), FACTORY, AS_OF) == []


def test_letter_case_of_the_beneficiary_matters() -> None:
    beneficiary = "EXAMPLE PRECISION MANUFACTURING (SUZHOU) CO., LTD."
    assert len(credit_reasons(ccer("1", beneficiary=beneficiary), FACTORY, AS_OF)) == 1


def test_an_empty_english_name_matches_no_beneficiary() -> None:
    factory = replace(FACTORY, name_en="")
    assert credit_reasons(ccer("1", beneficiary=FACTORY.name_en), factory, AS_OF) != []


def test_names_are_compared_without_whitespace_and_with_half_width_brackets() -> None:
    assert normalise_name(" 示例 （苏州）\u3000有限公司 ") == "示例(苏州)有限公司"


def test_check_keeps_valid_instruments_and_reports_each_reason_of_the_others() -> None:
    late = ccer("50", path="", retired_on=None, beneficiary="someone else")
    old = gec("10", path="", vintage=2022)
    check = check_instruments([gec("100"), old], [ccer("100"), late], FACTORY, 2023, AS_OF)
    assert check.green == (gec("100"),)
    assert check.credits == (ccer("100"),)
    assert check.issues == (
        InstrumentIssue("/green_electricity/1", "vintage 2022 differs from the period year 2023"),
        InstrumentIssue("/credits/1", "not retired: no retirement date"),
        InstrumentIssue(
            "/credits/1",
            "beneficiary 'someone else' is not the factory's name, English name or credit code",
        ),
    )
