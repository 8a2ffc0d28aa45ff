"""The chart kernel draws self-contained SVG: valid XML, titled, no scripts or classes, every
value written with its digits, and a chart without data says so instead of drawing zeros."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from assessments.evaluation import charts
from assessments.evaluation.charts import Bar, Series

SVG = "{http://www.w3.org/2000/svg}"
D = Decimal


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, the very thing under test
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("font-family") == charts.FONT
    for element in root.iter():
        assert element.tag != f"{SVG}script"
        assert "class" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    return root


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def title(root: ET.Element) -> str:
    found = root.find(f"{SVG}title")
    assert found is not None
    return found.text or ""


CASES = {
    "bars": (
        charts.bar_chart(
            [Bar("范围一", D("1234.567")), Bar("Category 2", D("0")), Bar("Category 3", None)],
            label="Emissions by category",
            unit="tCO2e",
            empty="No data",
        ),
        "Emissions by category",
        ["范围一", "1,234.567 tCO2e", "0 tCO2e", "—"],
    ),
    "stacked with its 100 % line": (
        charts.stacked_bar(
            [Bar("GPO", D("4244.8")), Bar("Credits", D("1468")), Bar("Removals", D("0"))],
            label="Neutralisation",
            unit="tCO2e",
            empty="No data",
            reference=Bar("100 % = E", D("8922.74")),
        ),
        "Neutralisation",
        ["100 % = E: 8,922.74 tCO2e", "GPO: 4,244.8 tCO2e", "Credits: 1,468 tCO2e"],
    ),
    "stacked beyond its 100 % line": (
        charts.stacked_bar(
            [Bar("GPO", D("900")), Bar("Credits", D("300"))],
            label="Over",
            unit="tCO2e",
            empty="No data",
            reference=Bar("E", D("1000")),
        ),
        "Over",
        ["E: 1,000 tCO2e", "GPO: 900 tCO2e", "Credits: 300 tCO2e"],
    ),
    "stacked without a reference": (
        charts.stacked_bar(
            [Bar("On-site", D("2100")), Bar("Grid", D("4500.000")), Bar("Unknown", None)],
            label="Electricity",
            unit="MWh",
            empty="No data",
        ),
        "Electricity",
        ["On-site: 2,100 MWh", "Grid: 4,500.000 MWh", "Unknown: — MWh"],
    ),
    "small multiples": (
        charts.small_multiples(
            [
                Series("天然气", "10^4 Nm3", [D("7.1"), D("7.0"), None, D("0")]),
                Series("Never measured", "t", [None, None]),
            ],
            columns=["1", "2", "3"],
            label="Monthly energy",
            empty="No data",
        ),
        "Monthly energy",
        ["天然气", "▲ 7.1 10^4 Nm3", "1", "2", "3"],
    ),
    "small multiples of zeros": (
        charts.small_multiples(
            [Series("Diesel", "t", [D("0"), D("0")])], columns=[], label="Zeros", empty="No data"
        ),
        "Zeros",
        ["Diesel"],
    ),
    "sparkline": (
        charts.sparkline([D("1"), None, D("3.5"), D("2")], label="Trend"),
        "Trend",
        [],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_chart_is_valid_svg_with_its_title_and_exact_values(case: str) -> None:
    svg, label, expected = CASES[case]
    root = parsed(svg)
    assert title(root) == label
    assert root.get("aria-label") == label
    for value in expected:
        assert value in texts(root), value


EMPTY = {
    "bars without values": charts.bar_chart(
        [Bar("Category 1", None)], label="E", unit="t", empty="Nothing recorded"
    ),
    "no bars": charts.bar_chart([], label="E", unit="t", empty="Nothing recorded"),
    "stacked without anything": charts.stacked_bar(
        [Bar("GPO", D("0")), Bar("Credits", None)],
        label="E",
        unit="t",
        empty="Nothing recorded",
        reference=Bar("E", D("0")),
    ),
    "small multiples without values": charts.small_multiples(
        [Series("Gas", "t", [None] * 12)], columns=[], label="E", empty="Nothing recorded"
    ),
    "sparkline without values": charts.sparkline([None, None], label="E", empty="Nothing recorded"),
}


@pytest.mark.parametrize("case", list(EMPTY))
def test_a_chart_without_data_says_so(case: str) -> None:
    root = parsed(EMPTY[case])
    assert texts(root) == ["Nothing recorded"]
    assert root.find(f"{SVG}path") is None


def test_labels_and_values_are_escaped() -> None:
    svg = charts.bar_chart(
        [Bar('<script>alert("x")</script> & co', D("1"))],
        label='"quoted" <title>',
        unit="t<",
        empty="",
    )
    root = parsed(svg)
    assert "<script>" not in svg
    assert title(root) == '"quoted" <title>'
    assert '<script>alert("x")</script> & co' in texts(root)


def test_a_sparkline_leaves_a_gap_for_a_missing_value_and_marks_the_last_point() -> None:
    root = parsed(charts.sparkline([D("1"), None, D("3"), D("2")], width=100, height=20))
    path = root.find(f"{SVG}path")
    assert path is not None
    assert path.get("d") == "M2 18h0 M66 2h0 L98 10"
    circle = root.find(f"{SVG}circle")
    assert circle is not None
    assert (circle.get("cx"), circle.get("cy")) == ("98", "10")


def test_a_flat_or_single_point_sparkline_sits_in_the_middle() -> None:
    path = parsed(charts.sparkline([D("5"), D("5")], height=20)).find(f"{SVG}path")
    assert path is not None
    assert path.get("d") == "M2 10h0 L118 10"
    single = parsed(charts.sparkline([D("5")], height=20)).find(f"{SVG}path")
    assert single is not None
    assert single.get("d") == "M2 10h0"


def test_bars_share_one_scale_from_zero_and_a_negative_value_draws_no_bar() -> None:
    root = parsed(
        charts.bar_chart(
            [Bar("half", D("5")), Bar("full", D("10")), Bar("negative", D("-3"))],
            label="Scale",
            unit="t",
            empty="",
        )
    )
    widths = [Decimal(rect.get("width", "")) for rect in root.iter(f"{SVG}rect")]
    half, full, negative = widths
    assert full == 2 * half
    assert full == charts.WIDTH - 10 - 140  # the whole track: the largest value fills it
    assert negative == 0
    assert "-3 t" in texts(root)


def test_bars_of_zero_only_draw_no_length() -> None:
    root = parsed(charts.bar_chart([Bar("zero", D("0"))], label="Z", unit="t", empty=""))
    assert [rect.get("width") for rect in root.iter(f"{SVG}rect")] == ["0"]


def test_coordinates_round_half_up_to_a_hundredth_and_values_keep_their_digits() -> None:
    assert charts.coord(D("1.005")) == "1.01"
    assert charts.coord(D("-0.001")) == "0"
    assert charts.coord(D("120")) == "120"
    assert charts.number(D("1234567.8900")) == "1,234,567.8900"
    assert charts.number(D("1E+3")) == "1,000"
    assert charts.number(None) == "—"
