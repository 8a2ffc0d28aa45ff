from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def answer(value: object) -> str:
    """An item's answer or value as a reader expects it: 是/否 for booleans, — when missing."""
    if value is None:
        return "—"
    if value is True:
        return "是 yes"
    if value is False:
        return "否 no"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {answer(item)}" for key, item in value.items())
    return str(value)
