"""The calculation lines' descriptions: sentences for people, in the active language.

The formulas are arithmetic and stay as they are; the descriptions go through the kernels'
translation hook, and a fuel is named by the factor set's Chinese name on a Chinese page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from emissions.accounting import present, translation
from emissions.accounting.engine import account
from emissions.accounting.factors import FuelFactor
from emissions.accounting.inputs import GasLine, InventoryInput, Scope3Line
from emissions.accounting.library import load_default_factor_set
from emissions.accounting.results import AccountingResult

from .support import AS_OF, energy, gec, grid_mwh, inventory

D = Decimal


@contextmanager
def speaking(
    language: Callable[[], str | None], translate: Callable[[str], str] = str
) -> Iterator[None]:
    previous_language = translation.install_language(language)
    previous_translate = translation.install(translate)
    try:
        yield
    finally:
        translation.install(previous_translate)
        translation.install_language(previous_language)


def language_of(code: str) -> Callable[[], str]:
    return lambda: code


def every_kind_of_line() -> InventoryInput:
    return inventory(
        energy=(
            energy("natural_gas", "85", "10^4 Nm3", path="/energy/0"),
            energy("lpg", "1", "t", path="/energy/1"),
            energy("raw_coal", "2", "t", path="/energy/2"),
            grid_mwh("1000"),
            energy("onsite_renewable_electricity", "200", "MWh", path="/energy/4"),
            energy("purchased_heat", "100", "GJ", path="/energy/5"),
            energy("purchased_steam", "10", "t", path="/energy/6", enthalpy_kj_per_kg=D("2800")),
        ),
        process_emissions=(
            GasLine("CH4", D("2"), "t", "/process_emissions/0", "wastewater"),
            GasLine("CO2", D("1"), "t", "/process_emissions/1"),
        ),
        refrigerants=(GasLine("R-32", D("10"), "kg", "/refrigerants/0"),),
        green_electricity=(gec("300"),),
        scope3=(Scope3Line(3, "road freight", "/scope3/0", tco2e=D("5")),),
    )


def run(inv: InventoryInput) -> AccountingResult:
    return account(inv, load_default_factor_set(), AS_OF)


def test_every_line_is_described_in_words_without_codes() -> None:
    with speaking(translation.default_language):
        lines = run(every_kind_of_line()).lines
    assert [line.description for line in lines] == [
        "combustion of natural gas",
        "combustion of LPG",
        "combustion of raw coal",
        "purchased grid electricity",
        "on-site renewable electricity, self-consumed",
        "purchased heat",
        "purchased steam",
        "process emission of CH4 (wastewater)",
        "process emission of CO2",
        "refrigerant refill (leak) of HFC-32",
        "valid green electricity, deducted in the market-based method",
        "road freight",  # the user's own words
    ]


def test_every_description_but_the_users_own_goes_through_the_translation_hook() -> None:
    with speaking(translation.default_language, lambda message: f"«{message}»"):
        lines = run(every_kind_of_line()).lines
    assert [line.description for line in lines] == [
        "«combustion of natural gas»",
        "«combustion of LPG»",
        "«combustion of raw coal»",
        "«purchased grid electricity»",
        "«on-site renewable electricity, self-consumed»",
        "«purchased heat»",
        "«purchased steam»",
        "«process emission of CH4 (wastewater)»",
        "«process emission of CO2»",
        "«refrigerant refill (leak) of HFC-32»",
        "«valid green electricity, deducted in the market-based method»",
        "road freight",
    ]


def test_a_chinese_page_names_fuels_by_the_factor_sets_chinese_names() -> None:
    with speaking(lambda: "zh-hans"):
        lines = run(every_kind_of_line()).lines
    assert [line.description for line in lines[:3]] == [
        "combustion of 天然气",
        "combustion of 液化石油气",
        "combustion of 原煤",
    ]


def test_the_language_changes_the_descriptions_only() -> None:
    with speaking(translation.default_language):
        english = run(every_kind_of_line())
    with speaking(lambda: "zh-hans", lambda message: f"«{message}»"):
        chinese = run(every_kind_of_line())
    assert present.present(chinese) == present.present(english)
    assert chinese.factors == english.factors
    assert [line.formula for line in chinese.lines] == [line.formula for line in english.lines]
    assert [line.description for line in chinese.lines] != [
        line.description for line in english.lines
    ]


def test_a_fuel_without_a_chinese_name_is_named_in_words_in_every_language() -> None:
    fuel = FuelFactor("coal_gangue", "", "t", D("8.4"), D("0.025"), D("0.9"), "derived", "test")
    with speaking(lambda: "zh-hans"):
        assert fuel.name == "coal gangue"
    assert fuel.name_en == "coal gangue"


def test_the_kernels_speak_english_until_a_language_is_installed() -> None:
    with speaking(translation.default_language):
        assert not translation.chinese()
    with speaking(lambda: None):
        assert not translation.chinese()
    for code in ("zh-hans", "zh-CN", "ZH"):
        with speaking(language_of(code)):
            assert translation.chinese(), code
    with speaking(lambda: "en"):
        assert not translation.chinese()
