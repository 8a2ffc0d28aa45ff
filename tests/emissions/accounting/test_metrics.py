"""The metrics of rubric.md sections 1 and 3, each with numbers computed by hand."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext

import pytest

from emissions.accounting.engine import ACCOUNTING_CONTEXT, account
from emissions.accounting.inputs import Baseline, InventoryInput, Production, ReductionMeasure
from emissions.accounting.library import load_default_factor_set
from emissions.accounting.results import Metrics

from .support import AS_OF, ccer, energy, gec, grid_mwh, inventory

D = Decimal


@pytest.fixture(autouse=True)
def _same_precision_as_the_kernel() -> Iterator[None]:
    """Expected ratios are computed in the test with the kernel's 34 digits."""
    with localcontext(ACCOUNTING_CONTEXT):
        yield


def metrics(inv: InventoryInput) -> Metrics:
    return account(inv, load_default_factor_set(), AS_OF).metrics


def test_an_inventory_without_energy_has_no_shares_and_full_ratios() -> None:
    m = metrics(inventory())
    assert m.electricity_consumption_mwh == 0
    assert m.renewable_electricity_share is None  # EC = 0 is a data error (G3)
    assert m.electrification_share is None
    assert m.neutralisation_ratio == 1  # E = 0
    assert m.removal_ratio == 1  # E - GPO = 0
    assert m.reduction_ratio == 0
    assert m.offset_quality_ratio == 0  # N = 0
    assert m.intensity_reduction is None


def test_fuel_only_gives_zero_electrification_and_no_re_share() -> None:
    m = metrics(inventory(energy=(energy("diesel", "1", "t"),)))
    assert m.electrification_share == 0
    assert m.renewable_electricity_share is None


def test_electrification_is_electricity_gj_over_electricity_fuels_and_heat() -> None:
    lines = (
        grid_mwh("100"),
        energy("onsite_renewable_electricity", "50", "MWh"),
        energy("diesel", "10", "t"),
        energy("purchased_heat", "100", "GJ"),
    )
    # 150 MWh x 3.6 = 540 GJ; / (540 + 10 x 42.652 + 100) = 540 / 1066.52
    assert metrics(inventory(energy=lines)).electrification_share == D(540) / D("1066.52")


def test_neutralisation_and_removal_ratios_from_gpo_and_valid_credits() -> None:
    inv = inventory(
        energy=(grid_mwh("1000"),),  # E = 530.6
        green_electricity=(gec("300"),),  # GPO = 300 x 0.5306 = 159.18
        credits=(ccer("100", kind="removal"), ccer("40", path="/credits/1")),
    )
    m = metrics(inv)
    assert m.green_power_offset_tco2e == D("159.18")
    assert (m.credit_offset_tco2e, m.removal_tco2e) == (D("140"), D("100"))
    assert m.neutralisation_tco2e == D("299.18")
    assert m.neutralisation_ratio == D("299.18") / D("530.6")
    assert m.removal_ratio == D(100) / D("371.42")  # RC / (E - GPO)
    assert m.renewable_electricity_share == D("0.3")


def test_the_removal_ratio_is_one_when_green_power_covers_all_emissions() -> None:
    m = metrics(inventory(energy=(grid_mwh("1000"),), green_electricity=(gec("1000"),)))
    assert m.removal_ratio == 1
    assert m.neutralisation_ratio == 1


def test_intensity_reduction_compares_e_per_output_with_the_baseline() -> None:
    inv = inventory(
        energy=(grid_mwh("1000"),),
        production=Production(D("1000")),
        baseline=Baseline(2020, D("1000"), D("1000")),
    )
    assert metrics(inv).intensity_reduction == D("0.4694")  # 1 - 0.5306 / 1


def test_zero_emissions_with_a_baseline_is_a_complete_intensity_reduction() -> None:
    inv = inventory(production=Production(D("10")), baseline=Baseline(2020, D("5"), D("10")))
    assert metrics(inv).intensity_reduction == 1


@pytest.mark.parametrize(
    ("production", "baseline"),
    [
        (None, Baseline(2020, D(1), D(1))),
        (Production(D(1)), None),
        (Production(D(0)), Baseline(2020, D(1), D(1))),
        (Production(D(1)), Baseline(2020, D(0), D(1))),
        (Production(D(1)), Baseline(2020, D(1), D(0))),
    ],
)
def test_intensity_reduction_is_undefined_without_production_or_baseline(
    production: Production | None, baseline: Baseline | None
) -> None:
    inv = inventory(energy=(grid_mwh("1"),), production=production, baseline=baseline)
    assert metrics(inv).intensity_reduction is None


def test_reduction_measures_of_the_year_count_over_e_plus_their_sum() -> None:
    measures = (
        ReductionMeasure("VSD compressors", 2023, D("100"), verified=False),
        ReductionMeasure("LED", 2022, D("50"), verified=True),
    )
    m = metrics(inventory(energy=(grid_mwh("1000"),), reduction_measures=measures))
    assert m.reduction_measures_tco2e == D("100")
    assert m.reduction_ratio == D(100) / D("630.6")


def test_offset_quality_counts_recent_evidenced_credits_and_evidenced_green_share() -> None:
    inv = inventory(
        energy=(grid_mwh("1000"),),
        green_electricity=(gec("300"), gec("100", path="/green_electricity/1", evidence_ref=" ")),
        credits=(
            ccer("100", vintage=2018),  # year - 5: counts
            ccer("50", vintage=2017),  # too old
            ccer("30", evidence_ref=None),  # no evidence
        ),
    )
    m = metrics(inv)
    gpo = D("212.24")  # 400 x 0.5306
    assert m.green_power_offset_tco2e == gpo
    assert m.offset_quality_ratio == (D(100) + gpo * 300 / 400) / (gpo + 180)


def test_offset_quality_with_credits_only_is_the_share_of_qualifying_credits() -> None:
    inv = inventory(energy=(grid_mwh("1000"),), credits=(ccer("100"), ccer("100", vintage=2010)))
    assert metrics(inv).offset_quality_ratio == D("0.5")
