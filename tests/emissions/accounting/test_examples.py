"""The worked examples of ../shared/examples, evaluated as of 2025-06-30: every expected value
of the factors, emissions and metrics parts, exactly after the output's rounding."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from emissions.accounting import exact_json
from emissions.accounting.engine import ACCOUNTING_CONTEXT, account
from emissions.accounting.library import load_default_factor_set
from emissions.accounting.present import present

from .support import AS_OF, EXAMPLE_NAMES, example_inventory, expected

CASES = [
    (name, part, key)
    for name in EXAMPLE_NAMES
    for part in ("factors", "emissions", "metrics")
    for key in expected(name)[part]
]


@pytest.mark.parametrize(("name", "part", "key"), CASES)
def test_each_expected_value_of_the_worked_examples_is_reproduced_exactly(
    name: str, part: str, key: str
) -> None:
    result = present(account(example_inventory(name), load_default_factor_set(), AS_OF))
    assert result[part][key] == expected(name)[part][key]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_worked_examples_have_valid_instruments_and_no_warnings(name: str) -> None:
    result = present(account(example_inventory(name), load_default_factor_set(), AS_OF))
    assert result["instrument_issues"] == []
    assert result["factors"]["warnings"] == []
    assert result["factors"]["set_version"] == "CN-2025.1"
    assert result["factors"]["grid_factor_scope"] == "national"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_presented_example_writes_as_json_numbers_equal_to_the_expected_ones(
    name: str,
) -> None:
    result = present(account(example_inventory(name), load_default_factor_set(), AS_OF))
    written = exact_json.loads(exact_json.dumps(result))
    for part in ("factors", "emissions", "metrics"):
        for key, value in expected(name)[part].items():
            assert written[part][key] == value


def test_the_calculation_lines_add_up_to_the_category_totals_of_the_example() -> None:
    result = account(example_inventory("demo-dossier"), load_default_factor_set(), AS_OF)
    lines = result.lines

    def total(category: str) -> Decimal:
        with localcontext(ACCOUNTING_CONTEXT):
            return sum((line.tco2e for line in lines if line.category == category), Decimal(0))

    with localcontext(ACCOUNTING_CONTEXT):
        market = sum((line.tco2e_market or Decimal(0) for line in lines), Decimal(0))
    assert total("1") == result.emissions.category_1
    assert total("2") == result.emissions.category_2_location
    assert market == result.emissions.category_2_market
    assert total("3") == result.emissions.category_3
    assert total("4") == result.emissions.category_4
