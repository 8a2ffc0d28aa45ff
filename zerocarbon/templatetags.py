"""Template filters every page uses (loaded as `{% load zc %}`, see TEMPLATES in settings).

- `bi`: the active language's side of a bilingual text. The kernels and the rubric file carry
  both languages: a `Text`/mapping with `zh` and `en`, or a result row with `message` (English)
  and `message_zh` (`{{ gate|bi:"message" }}`, `{{ item|bi:"note" }}`).
- `num`: a number as the reader's language writes it, digit for digit (Decimals never go
  through float), with thousands grouped; `{{ value|num:2 }}` rounds half-up to 2 places.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import numberformat
from django.utils.translation import get_language

register = template.Library()

EMPTY = "—"


def chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def _side(value: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(key)
    return getattr(value, key, None)


@register.filter
def bi(value: Any, field: str = "") -> str:
    """The Chinese or English side of `value` (or of its `field`), whichever the page speaks;
    the other side when the one wanted is missing, so that no row is left empty."""
    if value is None:
        return ""
    if field:
        zh, en = _side(value, f"{field}_zh"), _side(value, field)
    else:
        zh, en = _side(value, "zh"), _side(value, "en")
        if zh is None and en is None:
            return str(value)
    first, second = (zh, en) if chinese() else (en, zh)
    return str(first if first not in (None, "") else (second or ""))


@register.filter
def num(value: Any, places: Any = None) -> str:
    """`value` with thousands grouped in the page's language; `places` rounds half-up."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if places not in (None, ""):
        number = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    text = format(number, "f")
    return numberformat.format(text, ".", grouping=3, thousand_sep=",", force_grouping=True)


@register.filter
def anchor(path: Any) -> str:
    """The id of the form field a document path points at: `/energy/2/unit` is
    `f-energy-2-unit`, so an error or a failed evaluation can link to the very field."""
    text = str(path or "").strip("/")
    return "f-" + text.replace("/", "-") if text else "f-top"
