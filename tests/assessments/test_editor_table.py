"""The editor table's select options: carriers named for a person in the page language."""

from __future__ import annotations

from django.utils import translation

from assessments.forms.editor_table import Options
from emissions.accounting.library import load_default_factor_set
from emissions.dossier.registries import NO_DIRECTORY


def _carriers() -> dict[str, str]:
    options = Options.of(load_default_factor_set(), "AR6", NO_DIRECTORY)
    return {code: str(label) for code, label in options.carriers}


def test_the_carrier_dropdown_names_fuels_in_english_words_on_an_english_page() -> None:
    with translation.override("en"):
        carriers = _carriers()
    assert carriers["lpg"] == "LPG"
    assert carriers["raw_coal"] == "Raw coal"
    assert carriers["natural_gas"] == "Natural gas"
    assert carriers["grid_electricity"] == "Grid electricity"
    assert "_" not in "".join(carriers.values())


def test_the_carrier_dropdown_names_fuels_by_the_factor_sets_chinese_name_on_a_chinese_page() -> (
    None
):
    factors = load_default_factor_set()
    with translation.override("zh-hans"):
        carriers = _carriers()
    assert carriers["raw_coal"] == factors.fuels["raw_coal"].name_zh
    assert carriers["lpg"] == factors.fuels["lpg"].name_zh
    assert list(carriers)[:4] == [
        "grid_electricity",
        "onsite_renewable_electricity",
        "purchased_heat",
        "purchased_steam",
    ]
