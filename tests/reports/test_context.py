"""What a certificate or report shows (reports.context, a kernel): from a record evaluated in
memory and from hand-written dossier lines, without a database or a renderer. Kernel words
are marked «…» so a test sees that they went through the translation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

import pytest

from assessments.evaluation.engine import evaluate, record_sha256
from assessments.scoring.answers import parse_answers, parse_gates
from assessments.scoring.rubric import load_default_rubric
from emissions.accounting import translation
from emissions.accounting.factors import FactorSet
from emissions.accounting.library import load_default_factor_set
from emissions.dossier import read_dossier
from emissions.dossier.registries import RegistryDirectory
from reports import context
from reports.context import CertificateFields, FactorUse, ReviewEntry
from tests.conftest import example

AS_OF = date(2025, 6, 30)
FACTORS = load_default_factor_set()
RUBRIC = load_default_rubric()
VERSION = FACTORS.version  # CN-2025.1
ISSUED = CertificateFields("ZCF-2025-000123", date(2025, 7, 1), date(2024, 12, 31), "valid")
GB_T_32150 = "GB/T 32150 family tables"
NATIONAL_2023 = (
    "MEE/NBS announcement of the electricity CO2 emission factors for data year 2023, "
    "national grid average"
)
EAST_2023 = (
    "MEE/NBS announcement of the electricity CO2 emission factors for data year 2023, "
    "regional grid average"
)
RESIDUAL_2023 = (
    "MEE/NBS announcement of the electricity CO2 emission factors for data year 2023, "
    "national average excluding market-traded non-fossil electricity"
)
EAST_2022 = (
    "derived (±0.0005) from the MEE/NBS announcement of the electricity CO2 emission factors "
    "for data year 2022; regional grid average"
)


@pytest.fixture(autouse=True)
def marked() -> Iterator[None]:
    """English, with every kernel message marked «message» when it is translated."""
    previous = translation.install(lambda message: f"«{message}»")
    previous_language = translation.install_language(lambda: "en")
    yield
    translation.install_language(previous_language)
    translation.install(previous)


def _record(data: dict[str, Any]) -> context.Record:
    read = read_dossier(data, factors=FACTORS, as_of=AS_OF, registries=RegistryDirectory())
    evaluated = evaluate(
        read,
        factors=FACTORS,
        rubric=RUBRIC,
        answers=parse_answers(RUBRIC, read.answers_raw),
        gates=parse_gates(RUBRIC, read.gates_raw),
        as_of=AS_OF,
        code_version="test",
    )
    inputs, result, values = evaluated.inputs, evaluated.result, evaluated.factor_values
    return context.Record(result, inputs, values, record_sha256(inputs, result, values))


def _document(data: dict[str, Any], **options: Any) -> context.Document:
    given: dict[str, Any] = {
        "kind": context.REPORT,
        "language": "en",
        "rubric": RUBRIC,
        "factors": FACTORS,
        "certificate": None,
        "base_url": "https://zc.example/",
    }
    return context.document(_record(data), **(given | options))


def _rated_regional() -> dict[str, Any]:
    data = example("demo-rated-dossier")
    data["grid_factor_scope"] = "regional"
    return data


# --- levels, verification address and QR code -------------------------------------------


@pytest.mark.parametrize(
    ("level", "name"),
    [
        (1, "«One-star zero-carbon factory»"),
        (2, "«Two-star zero-carbon factory»"),
        (3, "«Three-star zero-carbon factory»"),
        (4, "«Four-star zero-carbon factory»"),
        (5, "«Five-star zero-carbon factory»"),
        (None, "«Not rated»"),
        (0, "«Not rated»"),
        (6, "«Not rated»"),
    ],
)
def test_a_level_is_named_in_the_documents_language_and_anything_else_is_not_rated(
    level: int | None, name: str
) -> None:
    assert context.level_name(level) == name


@pytest.mark.parametrize("base_url", ["https://zc.example", "https://zc.example/"])
def test_the_verification_address_is_the_number_under_verify_with_one_slash(
    base_url: str,
) -> None:
    assert context.verify_url(base_url, "ZCF-2025-000123") == (
        "https://zc.example/verify/ZCF-2025-000123/"
    )


def test_the_qr_code_is_an_inline_svg_scaled_by_its_box_and_differs_by_address() -> None:
    first = context.qr_svg("https://zc.example/verify/ZCF-2025-000123/")
    assert first.startswith("<svg")
    assert "<?xml" not in first
    assert " width=" not in first.split(">", 1)[0]  # the print CSS gives it its size
    assert first == context.qr_svg("https://zc.example/verify/ZCF-2025-000123/")
    assert first != context.qr_svg("https://zc.example/verify/ZCF-2025-000124/")


# --- factor sources -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "source"),
    [
        ("fuel:diesel:ncv_gj_per_unit", GB_T_32150),
        ("fuel:natural_gas:oxidation_fraction", GB_T_32150),
        ("fuel:peat:ncv_gj_per_unit", "«factor set CN-2025.1»"),
        ("grid:location:national:2023", NATIONAL_2023),
        ("grid:location:regional:east:2022", EAST_2022),
        ("grid:location:national:1999", "«factor set CN-2025.1»"),
        ("gwp:AR5:CH4", "«IPCC AR5 GWP-100»"),
        ("heat:tco2_per_gj", "«factor set CN-2025.1»"),
        ("blend:R-410A:HFC-32", "«factor set CN-2025.1»"),
    ],
)
def test_a_factor_value_is_sourced_by_the_factor_sets_note_else_by_ipcc_or_the_set(
    key: str, source: str
) -> None:
    assert context.factor_source(key, context.set_sources(FACTORS), VERSION) == source


def test_without_the_factor_set_every_value_but_a_gwp_is_sourced_by_the_sets_version() -> None:
    assert context.set_sources(None) == {}
    assert context.factor_source("fuel:diesel:ncv_gj_per_unit", {}, "CN-9") == "«factor set CN-9»"
    assert context.factor_source("gwp:AR6:CO2", {}, "CN-9") == "«IPCC AR6 GWP-100»"


# --- inventory tables -------------------------------------------------------------------

SOURCES = context.factor_uses(_record(example("demo-rated-dossier")), FACTORS)


def _keys(rows: tuple[context.InventoryRow, ...]) -> list[tuple[str, str, str, list[str]]]:
    return [(r.source, r.quantity, r.unit, [f.key for f in r.factors]) for r in rows]


def test_the_rated_examples_inventory_lists_each_line_with_the_factor_values_it_used() -> None:
    doc = _document(example("demo-rated-dossier"))
    tables = {table.title: _keys(table.rows) for table in doc.inventory}
    fuel = ["carbon_content_tc_per_gj", "ncv_gj_per_unit", "oxidation_fraction"]
    assert tables == {
        "«Energy use (categories 1 and 2)»": [
            (
                "«grid electricity»",
                "12500",
                "MWh",
                ["grid:location:national:2023", "grid:residual:national:2023"],
            ),
            ("«on-site renewable electricity»", "2100", "MWh", []),
            ("Natural gas", "85", "10^4 Nm3", [f"fuel:natural_gas:{name}" for name in fuel]),
            ("Diesel", "12.4", "t", [f"fuel:diesel:{name}" for name in fuel]),
            ("«purchased heat»", "3200", "GJ", ["heat:tco2_per_gj"]),
        ],
        "«Process emissions (category 1)»": [("焊接保护气", "3.2", "t", ["gwp:AR6:CO2"])],
        "«Refrigerants (category 1)»": [
            (
                "R-410A",
                "25",
                "kg",
                [
                    "blend:R-410A:HFC-125",
                    "blend:R-410A:HFC-32",
                    "gwp:AR6:HFC-125",
                    "gwp:AR6:HFC-32",
                ],
            )
        ],
        "«Transport and products used (categories 3 and 4)»": [
            ("原材料公路运输", "420.5", "tCO2e", []),
            ("外购钢材", "1800", "t", ["tCO2e/t"]),
        ],
    }


def test_a_declared_scope3_factor_keeps_its_value_and_source() -> None:
    [*_, scope3] = _document(example("demo-rated-dossier")).inventory
    assert scope3.rows[1].factors == (FactorUse("tCO2e/t", "1.9", "供应商 EPD 2023"),)


def test_a_regional_grid_factor_is_sourced_by_the_factor_sets_note_on_it() -> None:
    doc = _document(_rated_regional())
    [grid, *_] = doc.inventory[0].rows
    assert [(f.key, f.value, f.source) for f in grid.factors] == [
        ("grid:location:regional:east:2023", "0.55", EAST_2023),
        ("grid:residual:national:2023", "0.6096", RESIDUAL_2023),
    ]


def _use(key: str) -> FactorUse:
    return FactorUse(key, "1", "s")


HAND_SOURCES = {
    key: _use(key)
    for key in (
        "blend:R-410A:HFC-125",
        "blend:R-410A:HFC-32",
        "fuel:diesel:ncv_gj_per_unit",
        "gwp:AR6:HFC-125",
        "gwp:AR6:HFC-32",
        "gwp:AR6:SF6",
        "heat:tco2_per_gj",
    )
}


@pytest.mark.parametrize(
    ("section", "line", "factors", "keys"),
    [
        ("energy", {"carrier": "purchased_steam", "quantity": "5", "unit": "t"}, FACTORS,
         ["heat:tco2_per_gj"]),
        ("energy", {"carrier": "diesel", "quantity": "1", "unit": "t"}, None,
         ["fuel:diesel:ncv_gj_per_unit"]),
        ("energy", {"carrier": "onsite_renewable_electricity", "quantity": "1", "unit": "MWh"},
         FACTORS, []),
        ("refrigerants", {"gas": "R-32", "quantity": "2", "unit": "kg"}, FACTORS,
         ["gwp:AR6:HFC-32"]),
        ("refrigerants", {"gas": "r410a", "quantity": "2", "unit": "kg"}, FACTORS,
         ["blend:R-410A:HFC-125", "blend:R-410A:HFC-32", "gwp:AR6:HFC-125", "gwp:AR6:HFC-32"]),
        ("refrigerants", {"gas": "HFC-32", "quantity": "2", "unit": "kg"}, FACTORS,
         ["gwp:AR6:HFC-32"]),
        ("refrigerants", {"gas": "R-32", "quantity": "2", "unit": "kg"}, None, []),
        ("process_emissions", {"source": "绝缘气体", "gas": "SF6", "quantity": "1", "unit": "t"},
         None, ["gwp:AR6:SF6"]),
        ("scope3", {"category": 3, "source": "运输", "tco2e": "4"}, FACTORS, []),
    ],
)  # fmt: skip
def test_each_line_shows_the_factor_values_of_its_carrier_or_gas_and_no_other(
    section: str, line: dict[str, Any], factors: FactorSet | None, keys: list[str]
) -> None:
    [table] = context.inventory(
        {section: [line]}, HAND_SOURCES, factors=factors, fuel_names={}, zh=False
    )
    [row] = table.rows
    assert [use.key for use in row.factors] == keys


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ({"category": 3, "source": "运输", "tco2e": "4"}, ("运输", "4", "tCO2e", ())),
        (
            {"category": 4, "source": "钢材", "quantity": "2", "unit": "t",
             "factor_tco2e_per_unit": "1.5"},
            ("钢材", "2", "t", (FactorUse("tCO2e/t", "1.5", "«declared in the dossier»"),)),
        ),
    ],
)  # fmt: skip
def test_a_category_3_or_4_line_shows_its_tonnes_or_its_declared_factor(
    line: dict[str, Any], shown: tuple[Any, ...]
) -> None:
    [table] = context.inventory({"scope3": [line]}, {}, factors=None, fuel_names={}, zh=False)
    [row] = table.rows
    assert (row.source, row.quantity, row.unit, row.factors) == shown


@pytest.mark.parametrize(
    "dossier",
    [{}, {"energy": [], "process_emissions": None, "refrigerants": [], "scope3": []}],
)
def test_a_category_without_lines_has_no_table(dossier: Mapping[str, Any]) -> None:
    assert context.inventory(dossier, SOURCES, factors=FACTORS, fuel_names={}, zh=False) == ()


@pytest.mark.parametrize(("zh", "diesel"), [(True, "柴油"), (False, "Diesel")])
def test_a_fuel_is_named_by_the_factor_sets_chinese_name_only_on_a_chinese_page(
    zh: bool, diesel: str
) -> None:
    line = {"carrier": "diesel", "quantity": "1", "unit": "t"}
    [table] = context.inventory(
        {"energy": [line]}, SOURCES, factors=FACTORS, fuel_names={"diesel": "柴油"}, zh=zh
    )
    assert table.rows[0].source == diesel


# --- instruments and factor values ------------------------------------------------------


def test_green_electricity_is_listed_in_mwh_then_credits_in_tco2e_blank_where_not_given() -> None:
    dossier = {
        "green_electricity": [{"instrument": "GEC", "quantity_mwh": "10", "vintage": 2023}],
        "credits": [
            {"instrument": "CCER", "registry": "r", "serial_from": "A1", "serial_to": "A9",
             "quantity_tco2e": "9", "vintage": 2022},
        ],
    }  # fmt: skip
    assert context.instruments(dossier) == (
        context.InstrumentRow("GEC", "", "", "", "10", "MWh", "2023"),
        context.InstrumentRow("CCER", "r", "A1", "A9", "9", "tCO2e", "2022"),
    )
    assert context.instruments({"green_electricity": None}) == ()


def test_every_factor_value_used_is_listed_once_in_key_order_with_its_source() -> None:
    record = _record(example("demo-rated-dossier"))
    uses = context.factor_uses(record, FACTORS)
    assert list(uses) == sorted(record.factor_values)
    assert uses["fuel:diesel:ncv_gj_per_unit"] == FactorUse(
        "fuel:diesel:ncv_gj_per_unit", "42.652", GB_T_32150
    )
    assert uses["grid:location:national:2023"].source == NATIONAL_2023


# --- the document -----------------------------------------------------------------------

ENTRIES = [
    ReviewEntry(datetime(2025, 7, 1, 9, 5, tzinfo=UTC), "Carol", "opened", "Round 1", ""),
    ReviewEntry(datetime(2025, 7, 2, 16, 30, tzinfo=UTC), "Carol", "approved", "Round 1", "ok"),
]


def test_an_issued_certificate_has_its_number_address_and_qr_code() -> None:
    doc = _document(example("demo-rated-dossier"), kind=context.CERTIFICATE, certificate=ISSUED)
    assert (doc.kind, doc.draft, doc.certificate) == (context.CERTIFICATE, False, ISSUED)
    assert doc.verify_url == "https://zc.example/verify/ZCF-2025-000123/"
    assert doc.qr_svg == context.qr_svg(doc.verify_url)


def test_a_document_without_a_certificate_is_a_draft_without_address_or_qr_code() -> None:
    doc = _document(example("demo-rated-dossier"))
    assert (doc.draft, doc.certificate, doc.verify_url, doc.qr_svg) == (True, None, "", "")


def test_the_document_names_the_factory_in_both_languages_and_its_level() -> None:
    doc = _document(example("demo-rated-dossier"))
    assert doc.factory_name == "示例精密制造（无锡）有限公司"
    assert doc.factory_name_en == "Example Precision Manufacturing (Wuxi) Co., Ltd."
    assert doc.level_name == "«Four-star zero-carbon factory»"
    assert doc.page.star_level == 4


@pytest.mark.parametrize(
    ("build", "scope"), [("demo-rated-dossier", "«national»"), ("regional", "«regional»")]
)
def test_the_grid_factors_scope_is_said_in_the_documents_language(build: str, scope: str) -> None:
    data = _rated_regional() if build == "regional" else example(build)
    assert _document(data).grid_scope == scope


def test_a_factory_without_an_english_name_has_none() -> None:
    data = example("demo-rated-dossier")
    del data["factory"]["name_en"]
    assert _document(data).factory_name_en == ""


@pytest.mark.parametrize(("language", "diesel"), [("zh-hans", "柴油"), ("en", "Diesel")])
def test_a_chinese_document_names_fuels_by_the_factor_set_and_an_english_one_in_english(
    language: str, diesel: str
) -> None:
    doc = _document(example("demo-rated-dossier"), language=language)
    assert doc.language == language
    assert doc.inventory[0].rows[3].source == diesel


def test_without_the_factor_set_fuels_keep_english_names_and_values_the_sets_version() -> None:
    doc = _document(example("demo-rated-dossier"), language="zh-hans", factors=None)
    assert doc.inventory[0].rows[3].source == "Diesel"
    diesel = next(use for use in doc.factor_values if use.key.startswith("fuel:diesel:"))
    assert diesel.source == "«factor set CN-2025.1»"


def test_the_review_history_is_kept_in_the_order_given_and_is_empty_by_default() -> None:
    assert _document(example("demo-rated-dossier")).review_history == ()
    doc = _document(example("demo-rated-dossier"), review_history=ENTRIES)
    assert doc.review_history == tuple(ENTRIES)
