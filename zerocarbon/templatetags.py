"""Template filters every page uses (loaded as `{% load zc %}`, see TEMPLATES in settings).

- `bi`: the active language's side of a bilingual text. The kernels and the rubric file carry
  both languages: a `Text`/mapping with `zh` and `en`, or a result row with `message` (English)
  and `message_zh` (`{{ gate|bi:"message" }}`, `{{ item|bi:"note" }}`).
- `num`: a number as the reader's language writes it, digit for digit (Decimals never go
  through float), with thousands grouped; `{{ value|num:2 }}` rounds half-up to 2 places.
  Chinese and English both write `1,234.5`; nothing at all is `—`.
- `pct`: a share (a fraction of one) as a percentage: `{{ share|pct }}` of 0.6918 is
  `69.18 %` (two places by default, half-up, a no-break space before `%`); `{{ share|pct:1 }}`.
- `stars`: a star level as stars: 4 is `★★★★`; no level (None or 0) is `—`.
- `html_lang`: a Django language code as the `lang` attribute writes it (`zh-hans` is
  `zh-Hans`).
Dates use Django's localized formats: `{{ d|date:"DATE_FORMAT" }}` is `2025年6月30日` on a
Chinese page and `June 30, 2025` on an English one (`SHORT_DATE_FORMAT`, `DATETIME_FORMAT`
likewise: Django's own zh_Hans and en formats, USE_I18N on; localization is always on).
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


def _decimal(value: Any) -> Decimal | None:
    """`value` as an exact Decimal (floats through their shortest text), or None."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def num(value: Any, places: Any = None) -> str:
    """`value` with thousands grouped in the page's language; `places` rounds half-up."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return str(value)
    number = _decimal(value)
    if number is None:
        return str(value)
    if places not in (None, ""):
        number = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    text = format(number, "f")
    return numberformat.format(text, ".", grouping=3, thousand_sep=",", force_grouping=True)


@register.filter
def pct(value: Any, places: Any = 2) -> str:
    """A share of one as a percentage with `places` decimals: 0.6918 is `69.18 %`."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    return num(number * 100, places) + "\u00a0%"


@register.filter
def stars(level: Any) -> str:
    """A star level as that many stars; no level (None, 0, not a number) is `—`."""
    try:
        count = int(level)
    except (TypeError, ValueError):
        return EMPTY
    return "★" * count if count > 0 else EMPTY


@register.filter
def html_lang(code: Any) -> str:
    """`zh-hans` → `zh-Hans` (BCP 47 writes the script in title case); `en` stays `en`."""
    parts = str(code or "").split("-")
    return "-".join(
        [parts[0].lower(), *(p.title() if len(p) == 4 else p.upper() for p in parts[1:])]
    )


@register.filter
def anchor(path: Any) -> str:
    """The id of the form field a document path points at: `/energy/2/unit` is
    `f-energy-2-unit`, so an error or a failed evaluation can link to the very field."""
    text = str(path or "").strip("/")
    return "f-" + text.replace("/", "-") if text else "f-top"
