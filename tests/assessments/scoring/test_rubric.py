"""The rubric as data: the shipped edition matches rubric.md, and every way a rubric file can be
wrong is reported with its JSON path (shape by the JSON Schema, meaning by the checks)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from assessments.scoring.rubric import (
    ComputedItem,
    DeclaredGate,
    EnumItem,
    FootprintItem,
    InventoryGate,
    LevelItem,
    MetricGate,
    RatioItem,
    RubricError,
    Text,
    load_default_rubric,
    load_rubric_file,
    rubric_from_dict,
    stored_rubric,
)
from assessments.scoring.rubric_checks import SCHEMA_PATH, rubric_schema

from .support import D, default_rubric_document, small_rubric_document

RUBRIC = load_default_rubric()

# rubric.md section 3, row by row: (id, kind, points, parameter)
ITEM_TABLE = [
    ("INF-1", "level", 3, 3),
    ("INF-2", "ratio", 2, (0, 1)),
    ("INF-3", "ratio", 3, (0, 1)),
    ("INF-4", "level", 2, 3),
    ("ICT-1", "level", 3, 3),
    ("ICT-2", "bool", 3, None),
    ("ICT-3", "level", 2, 2),
    ("ICT-4", "bool", 2, None),
    ("ERU-1", "computed", 8, ("renewable_electricity_share", 0, 1)),
    (
        "ERU-2",
        "enum",
        4,
        {"below_limit": 0, "meets_limit": D("0.25"), "advanced": D("0.75"), "benchmark": 1},
    ),
    ("ERU-3", "bool", 2, None),
    ("ERU-4", "computed", 2, ("electrification_share", D("0.3"), 1)),
    ("ERU-5", "ratio", 2, (0, 1)),
    ("ERU-6", "ratio", 2, (0, 1)),
    ("PRD-1", "bool", 3, None),
    ("PRD-2", "footprint", 4, D("0.5")),
    ("PRD-3", "bool", 3, None),
    ("RED-1", "bool", 5, None),
    ("RED-2", "level", 4, 2),
    ("RED-3", "computed", 6, ("reduction_ratio", 0, D("0.2"))),
    ("RED-4", "computed", 6, ("intensity_reduction", 0, D("0.3"))),
    ("RED-5", "bool", 4, None),
    ("OFS-1", "computed", 15, ("neutralisation_ratio", 0, 1)),
    ("OFS-2", "computed", 5, ("offset_quality_ratio", 0, 1)),
    ("OFS-3", "computed", 3, ("removal_ratio", 0, 1)),
    ("OFS-4", "bool", 2, None),
]


def parameter(item: object) -> object:
    match item:
        case LevelItem():
            return item.levels
        case RatioItem():
            return (item.lo, item.hi)
        case ComputedItem():
            return (item.metric, item.lo, item.hi)
        case EnumItem():
            return {option.value: option.fraction for option in item.options}
        case FootprintItem():
            return item.unverified_fraction
    return None


def test_the_shipped_rubric_has_every_item_of_the_product_table() -> None:
    assert [(i.id, i.kind, int(i.points), parameter(i)) for i in RUBRIC.items] == ITEM_TABLE


def test_the_shipped_rubric_names_its_edition_and_indicators() -> None:
    assert (RUBRIC.code, RUBRIC.edition, RUBRIC.status) == (
        "T/CECA-G 0171-2022",
        "2022.1",
        "published",
    )
    assert RUBRIC.name == Text(
        zh="零碳工厂评价规范", en="Zero-carbon factory evaluation specification"
    )
    assert [(i.id, int(i.max_points), i.provenance) for i in RUBRIC.indicators] == [
        ("INF", 10, "std"),
        ("ICT", 10, "std"),
        ("ERU", 20, "std"),
        ("PRD", 10, "std"),
        ("RED", 25, "std"),
        ("OFS", 25, "std"),
    ]
    assert RUBRIC.total_points == 100


def test_only_the_energy_efficiency_item_may_be_not_applicable_and_only_equipment_has_a_flag() -> (
    None
):
    assert [i.id for i in RUBRIC.items if i.na_allowed] == ["ERU-2"]
    assert [(i.id, i.zero_if) for i in RUBRIC.items if i.zero_if] == [
        ("INF-3", "obsolete_equipment_present")
    ]
    assert all(i.provenance == "platform" for i in RUBRIC.items)


def test_the_shipped_gates_and_their_provenance() -> None:
    assert [(type(g), g.id, g.provenance) for g in RUBRIC.gates] == [
        (DeclaredGate, "G1", "platform"),
        (DeclaredGate, "G2", "platform"),
        (InventoryGate, "G3", "std"),
        (MetricGate, "G4", "std"),
    ]
    g4 = RUBRIC.gates[3]
    assert isinstance(g4, MetricGate)
    assert (g4.metric, g4.minimum) == ("neutralisation_ratio", D(1))


@pytest.mark.parametrize(
    ("boundary", "last"), [("I", "neutralisation_ratio"), ("II", "removal_ratio")]
)
def test_the_shipped_level_table_per_boundary_type(boundary: str, last: str) -> None:
    table = [
        (level.level, [(r.metric, r.minimum, r.provenance) for r in level.requirements])
        for level in RUBRIC.levels_for(boundary)
    ]
    assert table == [
        (3, [("total_score", 60, "platform")]),
        (
            4,
            [
                ("total_score", 70, "platform"),
                ("renewable_electricity_share", D("0.3"), "platform"),
            ],
        ),
        (
            5,
            [
                ("total_score", 80, "platform"),
                ("renewable_electricity_share", D("0.5"), "platform"),
            ],
        ),
        (
            6,
            [
                ("total_score", 90, "platform"),
                ("renewable_electricity_share", 1, "std"),
                (last, 1, "std"),
            ],
        ),
    ]


def test_the_default_rubric_is_read_once() -> None:
    assert load_default_rubric() is RUBRIC


@pytest.mark.parametrize("document", [default_rubric_document, small_rubric_document])
def test_a_stored_edition_is_built_as_when_it_was_checked(
    document: Callable[[], dict[str, Any]],
) -> None:
    assert stored_rubric(document()) == rubric_from_dict(document())


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(rubric_schema())
    assert rubric_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def object_schemas(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield path, node
        for key, value in node.items():
            yield from object_schemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from object_schemas(value, f"{path}/{index}")


def test_every_object_in_the_schema_refuses_unknown_keys() -> None:
    schemas = list(object_schemas(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))))
    assert len(schemas) >= 10
    assert [
        path for path, schema in schemas if schema.get("additionalProperties") is not False
    ] == []


def test_the_shipped_file_validates_against_the_schema_alone() -> None:
    assert list(Draft202012Validator(rubric_schema()).iter_errors(default_rubric_document())) == []


def test_a_rubric_can_be_read_from_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "rubric.json"
    path.write_text(json.dumps(small_rubric_document()), encoding="utf-8")
    assert load_rubric_file(path).code == "TEST-1"


def test_a_rubric_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(RubricError) as raised:
        load_rubric_file(path)
    assert raised.value.problems == [("", "expected a mapping at the top of list.yaml")]


Document = dict[str, Any]


def walk(document: Document, keys: tuple[str, ...]) -> tuple[Any, Any]:
    """The container holding the last key, and that key (an index inside a list)."""
    target: Any = document
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    return target, int(last) if isinstance(target, list) else last


def drop(*keys: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target, last = walk(document, keys)
        del target[last]

    return change


def put(value: Any, *keys: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target, last = walk(document, keys)
        target[last] = value

    return change


def also(*changes: Callable[[Document], None]) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        for one in changes:
            one(document)

    return change


def duplicate(section: str, index: int) -> Callable[[Document], None]:
    return lambda document: document[section].append(dict(document[section][index]))


FORBIDDEN = "not allowed for this kind"
KNOWN_METRICS = (
    "(known: electrification_share, intensity_reduction, neutralisation_ratio, "
    "offset_quality_ratio, reduction_ratio, removal_ratio, renewable_electricity_share)"
)
METRIC_FIELDS = "(allowed: {required}, {shortfall}, {value}, no format spec)"
SHAPE_PROBLEMS = [
    ("no code", drop("code"), "", "'code' is a required property"),
    (
        "an unknown key",
        put("red", "colour"),
        "",
        "Additional properties are not allowed ('colour' was unexpected)",
    ),
    (
        "an unknown status",
        put("final", "status"),
        "/status",
        "'final' is not one of ['draft', 'published', 'withdrawn']",
    ),
    ("a name without English", drop("name", "en"), "/name", "'en' is a required property"),
    ("an empty Chinese name", put("", "name", "zh"), "/name/zh", "'' should be non-empty"),
    (
        "an indicator worth nothing",
        put(0, "indicators", "0", "max_points"),
        "/indicators/0/max_points",
        "0 is less than or equal to the minimum of 0",
    ),
    (
        "an unknown item kind",
        put("slider", "items", "0", "kind"),
        "/items/0/kind",
        "'slider' is not one of ['bool', 'level', 'ratio', 'enum', 'computed', 'footprint']",
    ),
    (
        "points as text",
        put("3", "items", "0", "points"),
        "/items/0/points",
        "'3' is not of type 'number'",
    ),
    (
        "a malformed item id",
        put("inf 1", "items", "0", "id"),
        "/items/0/id",
        "'inf 1' does not match '^[A-Z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$'",
    ),
    (
        "a level item without L",
        drop("items", "0", "levels"),
        "/items/0",
        "'levels' is a required property",
    ),
    (
        "a level item with L = 0",
        put(0, "items", "0", "levels"),
        "/items/0/levels",
        "0 is less than the minimum of 1",
    ),
    (
        "a ratio item without hi",
        drop("items", "1", "hi"),
        "/items/1",
        "'hi' is required property".replace("is ", "is a "),
    ),
    ("a bool item with a range", put(0, "items", "5", "lo"), "/items/5/lo", FORBIDDEN),
    ("a level item with options", put([], "items", "0", "options"), "/items/0/options", FORBIDDEN),
    (
        "a ratio item with a metric",
        put("removal_ratio", "items", "1", "metric"),
        "/items/1/metric",
        FORBIDDEN,
    ),
    (
        "an enum item without options",
        drop("items", "9", "options"),
        "/items/9",
        "'options' is a required property",
    ),
    ("an enum item with a range", put(1, "items", "9", "hi"), "/items/9/hi", FORBIDDEN),
    (
        "an option named na",
        put("na", "items", "9", "options", "0", "value"),
        "/items/9/options/0/value",
        '"na" is reserved for "not applicable" and cannot be an option value',
    ),
    (
        "an option above 1",
        put(1.5, "items", "9", "options", "0", "fraction"),
        "/items/9/options/0/fraction",
        "1.5 is greater than the maximum of 1",
    ),
    (
        "a computed item that may be na",
        put(True, "items", "8", "na_allowed"),
        "/items/8/na_allowed",
        FORBIDDEN,
    ),
    (
        "a computed item without a metric",
        drop("items", "8", "metric"),
        "/items/8",
        "'metric' is a required property",
    ),
    (
        "a footprint item without its factor",
        drop("items", "15", "unverified_fraction"),
        "/items/15",
        "'unverified_fraction' is a required property",
    ),
    (
        "a footprint item with levels",
        put(2, "items", "15", "levels"),
        "/items/15/levels",
        FORBIDDEN,
    ),
    (
        "a provenance other than std or platform",
        put("guess", "items", "0", "provenance"),
        "/items/0/provenance",
        "'guess' is not one of ['std', 'platform']",
    ),
    (
        "a flag with a capital",
        put("Obsolete", "flags", "0", "id"),
        "/flags/0/id",
        "'Obsolete' does not match '^[a-z][a-z0-9_]*$'",
    ),
    (
        "a declared gate without its failure message",
        drop("gates", "0", "messages", "failed"),
        "/gates/0/messages",
        "'failed' is a required property",
    ),
    (
        "a declared gate with a metric",
        put("removal_ratio", "gates", "0", "metric"),
        "/gates/0/metric",
        FORBIDDEN,
    ),
    (
        "a declared gate with inventory messages",
        put({"zh": "x", "en": "x"}, "gates", "0", "messages", "no_category_3"),
        "/gates/0/messages/no_category_3",
        FORBIDDEN,
    ),
    (
        "an inventory gate with a plain failure message",
        put({"zh": "x", "en": "x"}, "gates", "2", "messages", "failed"),
        "/gates/2/messages/failed",
        FORBIDDEN,
    ),
    (
        "an inventory gate without its category 4 message",
        drop("gates", "2", "messages", "no_category_4"),
        "/gates/2/messages",
        "'no_category_4' is a required property",
    ),
    (
        "a metric gate on the total score",
        put("total_score", "gates", "3", "metric"),
        "/gates/3/metric",
        "'total_score' is not one of "
        "['renewable_electricity_share', 'neutralisation_ratio', 'removal_ratio']",
    ),
    (
        "a metric gate without a minimum",
        drop("gates", "3", "minimum"),
        "/gates/3",
        "'minimum' is a required property",
    ),
    (
        "an unknown gate kind",
        put("vote", "gates", "0", "kind"),
        "/gates/0/kind",
        "'vote' is not one of ['declared', 'inventory_complete', 'metric_threshold']",
    ),
    ("no level table for type II", drop("levels", "II"), "/levels", "'II' is a required property"),
    (
        "a level table for type III",
        put([], "levels", "III"),
        "/levels",
        "Additional properties are not allowed ('III' was unexpected)",
    ),
    (
        "a level without requirements",
        put([], "levels", "I", "0", "requirements"),
        "/levels/I/0/requirements",
        "[] should be non-empty",
    ),
    (
        "a requirement on an unknown metric",
        put("electrification_share", "levels", "I", "0", "requirements", "0", "metric"),
        "/levels/I/0/requirements/0/metric",
        "'electrification_share' is not one of ['total_score', "
        "'renewable_electricity_share', 'neutralisation_ratio', 'removal_ratio']",
    ),
    (
        "a negative minimum",
        put(-1, "levels", "I", "0", "requirements", "0", "minimum"),
        "/levels/I/0/requirements/0/minimum",
        "-1 is less than the minimum of 0",
    ),
]

MEANING_PROBLEMS = [
    (
        "a duplicate indicator id",
        duplicate("indicators", 0),
        "/indicators/6/id",
        "duplicate id 'INF' (first at /indicators/0)",
    ),
    (
        "a duplicate item id",
        put("INF-1", "items", "1", "id"),
        "/items/1/id",
        "duplicate id 'INF-1' (first at /items/0)",
    ),
    (
        "a duplicate flag id",
        duplicate("flags", 0),
        "/flags/1/id",
        "duplicate id 'obsolete_equipment_present' (first at /flags/0)",
    ),
    (
        "a duplicate gate id",
        put("G1", "gates", "1", "id"),
        "/gates/1/id",
        "duplicate id 'G1' (first at /gates/0)",
    ),
    (
        "a duplicate option",
        put("advanced", "items", "9", "options", "0", "value"),
        "/items/9/options/2/value",
        "duplicate value 'advanced' (first at /items/9/options/0)",
    ),
    (
        "an item of an unknown indicator",
        put("XYZ", "items", "0", "indicator"),
        "/items/0/indicator",
        "unknown indicator 'XYZ' (known: INF, ICT, ERU, PRD, RED, OFS)",
    ),
    (
        "a flag that is not declared",
        put("leaks", "items", "2", "zero_if"),
        "/items/2/zero_if",
        "unknown flag 'leaks' (known: obsolete_equipment_present)",
    ),
    (
        "a flag without a flags section",
        drop("flags"),
        "/items/2/zero_if",
        "unknown flag 'obsolete_equipment_present' (known: none declared under /flags)",
    ),
    (
        "item points that do not add up",
        put(4, "items", "0", "points"),
        "/indicators/0/max_points",
        "the items of INF add up to 11 points, not 10",
    ),
    (
        "indicators that do not add up to an undeclared 100",
        also(
            drop("total_points"),
            put(4, "items", "0", "points"),
            put(11, "indicators", "0", "max_points"),
        ),
        "/indicators",
        "the indicator maxima add up to 101 points, not 100",
    ),
    (
        "a declared total the indicators miss",
        put(101, "total_points"),
        "/total_points",
        "the indicator maxima add up to 100 points, not 101",
    ),
    (
        "a computed item on a quantity",
        put("electricity_consumption_mwh", "items", "8", "metric"),
        "/items/8/metric",
        f"unknown metric 'electricity_consumption_mwh' {KNOWN_METRICS}",
    ),
    (
        "a computed item on an unknown metric",
        put("nr", "items", "22", "metric"),
        "/items/22/metric",
        f"unknown metric 'nr' {KNOWN_METRICS}",
    ),
    (
        "a ratio range upside down",
        put(1, "items", "1", "lo"),
        "/items/1/hi",
        "hi (1) must be greater than lo (1)",
    ),
    (
        "a computed range upside down",
        put(0.1, "items", "11", "hi"),
        "/items/11/hi",
        "hi (0.1) must be greater than lo (0.3)",
    ),
    (
        "levels out of order",
        put(3, "levels", "I", "1", "level"),
        "/levels/I/1/level",
        "level 3 must be above the previous 3",
    ),
    (
        "a level that drops a requirement",
        drop("levels", "II", "2", "requirements", "1"),
        "/levels/II/2/requirements",
        "level 5 drops the renewable_electricity_share requirement of level 4",
    ),
    (
        "a level asking less than the one below",
        put(0.2, "levels", "I", "2", "requirements", "1", "minimum"),
        "/levels/I/2/requirements/1/minimum",
        "0.2 is below the 0.3 of level 4",
    ),
    (
        "a requirement twice in a level",
        put("total_score", "levels", "I", "1", "requirements", "1", "metric"),
        "/levels/I/1/requirements/1/metric",
        "duplicate metric 'total_score' (first at /levels/I/1/requirements/0)",
    ),
    (
        "a score above the total",
        put(101, "levels", "I", "3", "requirements", "0", "minimum"),
        "/levels/I/3/requirements/0/minimum",
        "101 points can never be reached: the rubric totals 100",
    ),
    (
        "an unknown placeholder",
        put({"zh": "{nr}", "en": "x"}, "gates", "3", "messages", "failed"),
        "/gates/3/messages/failed/zh",
        f"placeholder {{nr}} is not allowed here {METRIC_FIELDS}",
    ),
    (
        "a placeholder with a format spec",
        put({"zh": "x", "en": "{value:.2f}"}, "gates", "3", "messages", "passed"),
        "/gates/3/messages/passed/en",
        f"placeholder {{value}} is not allowed here {METRIC_FIELDS}",
    ),
    (
        "a placeholder in a declared gate",
        put({"zh": "{value}", "en": "x"}, "gates", "0", "messages", "passed"),
        "/gates/0/messages/passed/zh",
        "placeholder {value} is not allowed here (allowed: none, no format spec)",
    ),
    (
        "a lone brace",
        put({"zh": "x", "en": "1 { 2"}, "gates", "2", "messages", "passed"),
        "/gates/2/messages/passed/en",
        "malformed template (expected '}' before end of string); write a literal brace as {{ or }}",
    ),
]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        pytest.param(change, path, message, id=name)
        for name, change, path, message in SHAPE_PROBLEMS + MEANING_PROBLEMS
    ],
)
def test_a_wrong_rubric_file_is_refused_naming_the_path_and_the_problem(
    change: Callable[[Document], None], path: str, message: str
) -> None:
    document = default_rubric_document()
    change(document)
    with pytest.raises(RubricError) as raised:
        rubric_from_dict(document)
    assert (path, message) in raised.value.problems


def test_a_rubric_where_every_item_may_be_not_applicable_is_refused() -> None:
    document = small_rubric_document()
    for item in document["items"]:
        item["na_allowed"] = True
    with pytest.raises(RubricError) as raised:
        rubric_from_dict(document)
    assert raised.value.problems == [
        ("/items", 'every item allows "na": at least one item must always count')
    ]


def test_every_problem_of_a_rubric_file_is_reported_at_once() -> None:
    document = default_rubric_document()
    put("INF-1", "items", "1", "id")(document)
    put(0.1, "items", "11", "hi")(document)
    put(3, "levels", "I", "1", "level")(document)
    with pytest.raises(RubricError) as raised:
        rubric_from_dict(document)
    assert [path for path, _ in raised.value.problems] == [
        "/items/1/id",
        "/items/11/hi",
        "/levels/I/1/level",
    ]
    assert str(raised.value).startswith(
        "invalid rubric (3 problem(s)):\n  /items/1/id: duplicate id"
    )


def test_shape_problems_are_reported_in_document_order() -> None:
    document = default_rubric_document()
    put("x", "items", "10", "points")(document)
    put("x", "items", "2", "points")(document)
    drop("code")(document)
    with pytest.raises(RubricError) as raised:
        rubric_from_dict(document)
    assert [path for path, _ in raised.value.problems] == [
        "",
        "/items/2/points",
        "/items/10/points",
    ]
    assert str(raised.value).splitlines()[1] == "  /: 'code' is a required property"


def test_a_new_edition_with_other_thresholds_needs_no_code_change() -> None:
    document = default_rubric_document()
    document["edition"] = "2026.1"
    document["levels"]["I"][0]["requirements"][0] = {
        "metric": "total_score",
        "minimum": 65,
        "provenance": "std",
    }
    rubric = rubric_from_dict(document)
    assert rubric.edition == "2026.1"
    assert rubric.levels_for("I")[0].requirements[0].minimum == 65
    assert rubric.item("XYZ") is None
    assert rubric.flag("xyz") is None


def test_the_lookups_by_id_find_what_a_scan_of_the_rubric_finds() -> None:
    """`item`, `items_of` and `flag` read dictionaries made once; a scan is the definition."""
    for found in RUBRIC.items:
        assert RUBRIC.item(found.id) is next(i for i in RUBRIC.items if i.id == found.id)
    for ind in RUBRIC.indicators:
        assert RUBRIC.items_of(ind.id) == tuple(i for i in RUBRIC.items if i.indicator == ind.id)
        assert RUBRIC.items_of(ind.id)
    for flag in RUBRIC.flags:
        assert RUBRIC.flag(flag.id) is flag
    assert RUBRIC.flags
    assert RUBRIC.item("NO-SUCH") is None
    assert RUBRIC.items_of("NO-SUCH") == ()
    assert RUBRIC.flag(RUBRIC.items[0].id) is None  # an item is not a flag
