"""Filters of the factory pages (`{% load factory_pages %}`).

- `province`: the stored province in the page's language (江苏 on a Chinese page, Jiangsu on an
  English one; emissions.provinces).
- `names`: a factory's two names, the one in the page's language first.
"""

from __future__ import annotations

from django import template

from emissions.provinces import province_name
from zerocarbon.templatetags import chinese

register = template.Library()


@register.filter
def province(value: object) -> str:
    return province_name(str(value or ""), chinese=chinese())


@register.filter
def names(factory: object) -> tuple[str, str]:
    """(the name the page shows first, the other one or ""): the Chinese legal name on a
    Chinese page, the English name, when there is one, on an English page."""
    name, name_en = str(getattr(factory, "name", "")), str(getattr(factory, "name_en", "") or "")
    if chinese() or not name_en:
        return name, name_en
    return name_en, name
