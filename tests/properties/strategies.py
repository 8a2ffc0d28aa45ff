"""Hypothesis strategies for `zerocarbon.dossier/1` documents, starting from the worked examples.

- `valid_dossiers()`: variations a consultant may legitimately send, every one of which the
  reader must accept: numbers as JSON numbers (`Decimal`, `int`) or decimal strings with up to
  18 digits before and 12 after the point (zero, 1e-12 and the largest included), texts of any
  Unicode within the storage lengths (CJK, full-width forms, zero-width characters, the
  ideographic space), lists of various lengths, serial ranges that match their quantities and
  never overlap, answers of every kind the rubric has. The texts and numbers come from
  `tests.properties.values`, the instruments from `tests.properties.instruments`.
- `tests.properties.hostile` builds on these: the same documents broken at random JSON paths
  (`hostile_dossiers()`), and broken as text or bytes (`raw_bodies()`).

Documents are plain parsed JSON, as `emissions.dossier.parse_dossier_text` gives them (numbers
with a fraction or an exponent are `Decimal`), so they can be read directly or written as text
with `tests.properties.hostile.json_text`.
"""

from __future__ import annotations

import copy
from decimal import Decimal, localcontext

from hypothesis import strategies as st

from assessments.scoring.answers import NA_ANSWER
from assessments.scoring.rubric import (
    AnyItem,
    BoolItem,
    EnumItem,
    FootprintItem,
    LevelItem,
    RatioItem,
    load_default_rubric,
)
from emissions.accounting.carriers import FIXED_CARRIERS, PURCHASED_STEAM
from emissions.accounting.units import allowed_units_for_carrier, allowed_units_for_gas
from emissions.dossier.schema import MAX_DIGITS
from emissions.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_character
from emissions.limits import CODE_MAX_LENGTH, MAX_FREE_STRING_LENGTH, NOTE_MAX_LENGTH
from tests.conftest import example
from tests.emissions.dossier import support
from tests.properties.instruments import SerialAllocator, credit_lines, green_lines
from tests.properties.values import (
    SMALLEST,
    WIDE,
    Document,
    Draw,
    decimal_values,
    maybe,
    number_forms,
    plain,
    quantities,
    texts,
    year_forms,
)

AS_OF = support.AS_OF  # the examples' evaluation date
EXAMPLE_NAMES = ("demo-dossier", "demo-rated-dossier")
BASES: tuple[Document, ...] = tuple(example(name) for name in EXAMPLE_NAMES)
FACTORS = support.default_factors()
RUBRIC = load_default_rubric()
LATEST_YEAR = AS_OF.year

# --- Sections --------------------------------------------------------------------------------

CARRIERS = (*sorted(FIXED_CARRIERS), *sorted(FACTORS.fuels))
_IN_EVERY_GWP_SET = (
    FACTORS.gwp["AR4"].keys() & FACTORS.gwp["AR5"].keys() & FACTORS.gwp["AR6"].keys()
)
GASES = (*sorted(_IN_EVERY_GWP_SET), *sorted(FACTORS.blends))
PROVINCES = (
    "江苏", "江苏省", "32", "320000", " 江苏 ", "上海市", "北京", "内蒙古自治区", "广西壮族自治区",
    "新疆维吾尔自治区", "11", "650000", "重庆", "西藏", "黑龙江省",
)  # fmt: skip
FEED_WATER = Decimal("83.74")


@st.composite
def credit_codes(draw: Draw) -> str:
    first = draw(st.text(st.sampled_from(CREDIT_CODE_ALPHABET), min_size=17, max_size=17))
    return first + credit_code_check_character(first)


@st.composite
def factories(draw: Draw) -> Document:
    factory: Document = {
        "name": draw(texts(1)),
        "credit_code": draw(credit_codes()),
        "province": draw(st.sampled_from(PROVINCES)),
    }
    maybe(factory, "name_en", texts(0), draw)
    maybe(factory, "industry", texts(0, CODE_MAX_LENGTH), draw)
    maybe(factory, "address", texts(0, NOTE_MAX_LENGTH), draw)
    return factory


@st.composite
def energy_lines(draw: Draw) -> Document:
    carrier = draw(st.sampled_from(CARRIERS))
    line: Document = {
        "carrier": carrier,
        "unit": draw(st.sampled_from(allowed_units_for_carrier(carrier, FACTORS))),
    }
    if draw(st.booleans()):
        # Monthly values summing exactly to the quantity (which then fits 18 digits).
        months = draw(st.lists(decimal_values(integer_digits=16), min_size=12, max_size=12))
        with localcontext(WIDE):
            total = sum(months, Decimal(0))
        line["quantity"] = draw(number_forms(total))
        line["monthly"] = [draw(number_forms(month)) for month in months]
    else:
        line["quantity"] = draw(quantities())
    if carrier == PURCHASED_STEAM:
        excess = draw(decimal_values(integer_digits=17, fraction_digits=10))
        with localcontext(WIDE):
            enthalpy = FEED_WATER + SMALLEST + excess
        line["enthalpy_kj_per_kg"] = draw(number_forms(enthalpy))
    maybe(line, "note", texts(0, NOTE_MAX_LENGTH), draw)
    return line


@st.composite
def gas_lines(draw: Draw) -> Document:
    line: Document = {
        "gas": draw(st.sampled_from(GASES)),
        "quantity": draw(quantities()),
        "unit": draw(st.sampled_from(allowed_units_for_gas())),
    }
    maybe(line, "source", texts(0), draw)
    return line


@st.composite
def scope3_lines(draw: Draw) -> Document:
    line: Document = {"category": draw(st.sampled_from([3, 4])), "source": draw(texts(1))}
    if draw(st.booleans()):
        line["tco2e"] = draw(quantities())
    else:
        line["quantity"] = draw(quantities())
        line["unit"] = draw(texts(1, CODE_MAX_LENGTH))
        line["factor_tco2e_per_unit"] = draw(quantities())
        line["factor_source"] = draw(texts(1))
    maybe(line, "method", texts(0), draw)
    return line


@st.composite
def reduction_measures(draw: Draw) -> Document:
    measure: Document = {
        "name": draw(texts(1)),
        "implemented_in": draw(st.integers(1950, LATEST_YEAR).flatmap(year_forms)),
        "reduction_tco2e": draw(quantities()),
    }
    maybe(measure, "verified", st.booleans(), draw)
    return measure


# --- Answers and gates, typed by the default rubric -------------------------------------------


@st.composite
def ratios(draw: Draw) -> object:
    """A number in [0, 1]: any digits the reader allows in answers, exponents included."""
    value = draw(
        st.one_of(
            decimal_values(integer_digits=0),
            st.sampled_from([Decimal(0), Decimal(1), Decimal("1.000"), SMALLEST]),
            st.integers(1, MAX_DIGITS).map(lambda places: Decimal(f"1E-{places}")),
        )
    )
    text = plain(value)  # a string in answers counts against the free-string limit
    return draw(st.sampled_from([value, text] if len(text) <= MAX_FREE_STRING_LENGTH else [value]))


def answer_values(item: AnyItem) -> st.SearchStrategy[object]:
    strategy: st.SearchStrategy[object]
    if isinstance(item, BoolItem):
        strategy = st.booleans()
    elif isinstance(item, LevelItem):
        strategy = st.integers(0, item.levels).flatmap(
            lambda level: st.sampled_from([level, Decimal(level), Decimal(f"{level}.0")])
        )
    elif isinstance(item, EnumItem):
        strategy = st.sampled_from([option.value for option in item.options])
    elif isinstance(item, FootprintItem):
        strategy = st.fixed_dictionaries(
            {"share": ratios()}, optional={"third_party_verified": st.booleans()}
        )
    else:
        assert isinstance(item, RatioItem), item
        strategy = ratios()
    return st.one_of(strategy, st.just(NA_ANSWER)) if item.na_allowed else strategy


ANSWERABLE = [item for item in RUBRIC.items if item.kind != "computed"]


def answers() -> st.SearchStrategy[dict[str, object]]:
    optional = {item.id: answer_values(item) for item in ANSWERABLE}
    optional |= {flag.id: st.booleans() for flag in RUBRIC.flags}
    return st.fixed_dictionaries({}, optional=optional)


def gates() -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({}, optional={"G1": st.booleans(), "G2": st.booleans()})


# --- Whole dossiers --------------------------------------------------------------------------


def _lines(draw: Draw, base: Document, key: str, line: st.SearchStrategy[Document]) -> None:
    """Keep the example's list, or replace it by 0..3 lines (sometimes 0..25)."""
    choice = draw(st.sampled_from(["keep", "some", "many"]))
    if choice != "keep":
        base[key] = draw(st.lists(line, max_size=3 if choice == "some" else 25))


def _instruments(draw: Draw, data: Document) -> None:
    allocator = SerialAllocator()
    for key, build in (("green_electricity", green_lines), ("credits", credit_lines)):
        choice = draw(st.sampled_from(["keep", "some", "many", "none"]))
        if choice == "none":
            del data[key]
        elif choice != "keep":
            data[key] = build(draw, allocator, draw(st.integers(0, 3 if choice == "some" else 12)))
        else:  # the example's ranges stay: generated ones come after them
            for line in data[key]:
                allocator.reserve(line["serial_to"])


def _top_level(draw: Draw, data: Document, year: int) -> None:
    data["year"] = draw(year_forms(year))
    data["boundary"] = draw(st.sampled_from(["I", "II"]))
    for key, values in (
        ("rubric", [RUBRIC.code]),
        ("gwp_set", ["AR4", "AR5", "AR6"]),
        ("grid_factor_scope", ["national", "regional", "provincial"]),
    ):
        if draw(st.booleans()):
            data.pop(key, None)
        else:
            data[key] = draw(st.sampled_from(values))


def _intensity(draw: Draw, data: Document, year: int) -> None:
    choice = draw(st.sampled_from(["keep", "new", "none"]))
    if choice == "none":
        data.pop("production", None)
        data.pop("baseline", None)
    elif choice == "new":
        production: Document = {"output": draw(quantities())}
        maybe(production, "unit", texts(0, CODE_MAX_LENGTH), draw)
        data["production"] = production
        data["baseline"] = {
            "year": draw(st.integers(1950, year).flatmap(year_forms)),
            "emissions_tco2e": draw(quantities()),
            "output": draw(quantities()),
        }
    elif data["baseline"]["year"] > year:
        data["baseline"]["year"] = year


@st.composite
def valid_dossiers(draw: Draw) -> Document:
    """A variation of a worked example that every reading rule accepts."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    year = draw(st.integers(2000, LATEST_YEAR))
    _top_level(draw, data, year)
    if draw(st.booleans()):
        data["factory"] = draw(factories())
    _lines(draw, data, "energy", energy_lines())
    _lines(draw, data, "process_emissions", gas_lines())
    _lines(draw, data, "refrigerants", gas_lines())
    _lines(draw, data, "scope3", scope3_lines())
    _lines(draw, data, "reduction_measures", reduction_measures())
    _intensity(draw, data, year)
    _instruments(draw, data)
    if draw(st.booleans()):
        data["gates"] = draw(gates())
    if draw(st.booleans()):
        data["answers"] = draw(answers())
    return data


def examples() -> st.SearchStrategy[Document]:
    """The worked examples as they are."""
    return st.sampled_from(BASES).map(copy.deepcopy)
