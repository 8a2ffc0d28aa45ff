"""Numbers, shares, star levels and dates as the page's language writes them (the `zc`
filters of zerocarbon/templatetags.py and Django's localized date formats)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from zerocarbon.templatetags import bi, html_lang, num, pct, stars

NBSP = "\u00a0"


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load zc %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("share", "places", "expected"),
    [
        (Decimal("0.6918"), 2, f"69.18{NBSP}%"),
        (Decimal("0.69185"), 2, f"69.19{NBSP}%"),  # half-up, exactly
        (Decimal("1"), 1, f"100.0{NBSP}%"),
        (Decimal("12.5"), 0, f"1,250{NBSP}%"),
        ("0.5", 2, f"50.00{NBSP}%"),
        (0.1, 2, f"10.00{NBSP}%"),  # a float through its shortest text, never its binary value
    ],
)
def test_pct_writes_a_share_of_one_as_a_percentage(
    share: object, places: int, expected: str
) -> None:
    assert pct(share, places) == expected


def test_pct_has_two_places_by_default_in_a_template() -> None:
    assert render("{{ share|pct }}", "zh-hans", share=Decimal("0.6918")) == f"69.18{NBSP}%"
    assert render("{{ share|pct:1 }}", "en", share=Decimal("0.6918")) == f"69.2{NBSP}%"


@pytest.mark.parametrize("missing", [None, ""])
def test_pct_of_nothing_is_a_dash(missing: object) -> None:
    assert pct(missing) == "—"


def test_pct_leaves_text_that_is_no_number_as_it_is() -> None:
    assert pct("n/a") == "n/a"


@pytest.mark.parametrize(
    ("level", "expected"),
    [(3, "★★★"), (6, "★★★★★★"), ("4", "★★★★"), (0, "—"), (None, "—"), ("x", "—")],
)
def test_stars_draws_a_level_or_a_dash(level: object, expected: str) -> None:
    assert stars(level) == expected


@pytest.mark.parametrize(
    ("code", "expected"), [("zh-hans", "zh-Hans"), ("en", "en"), ("en-gb", "en-GB"), ("", "")]
)
def test_html_lang_writes_the_language_as_bcp_47_does(code: str, expected: str) -> None:
    assert html_lang(code) == expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_num_groups_thousands_and_keeps_every_digit_in_both_languages(language: str) -> None:
    with translation.override(language):
        assert num(Decimal("12345678.123456789")) == "12,345,678.123456789"
        assert num(Decimal("2.345"), 2) == "2.35"
        assert num(None) == "—"
        assert num(Decimal("NaN")) == "NaN"


def test_bi_takes_the_side_of_the_page_language() -> None:
    text = {"zh": "电力", "en": "Electricity"}
    with translation.override("zh-hans"):
        assert bi(text) == "电力"
    with translation.override("en"):
        assert bi(text) == "Electricity"
        assert bi({"message": "", "message_zh": "仅中文"}, "message") == "仅中文"


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "2025年6月30日"), ("en", "June 30, 2025")]
)
def test_dates_follow_the_page_language(language: str, expected: str) -> None:
    assert render('{{ d|date:"DATE_FORMAT" }}', language, d=date(2025, 6, 30)) == expected
