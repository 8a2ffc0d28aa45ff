"""The three cells a year's standing shows in the lists of the dashboard and of a factory's
page (`{% load standings %}`), one filter each. Rows render these dozens of times a page, so
they are written in Python rather than as included partials; each returns the markup the
partial it replaced wrote, its closing newline included.

- `standing_status`: the assessment's status as a pill (ok, fail or warn by status).
- `standing_level`: the star level reached, `No level reached`, or `—` without an evaluation.
- `standing_zero_carbon`: whether the evaluation found the factory zero-carbon, or `—`.

Each takes a YearStanding (assessments.selectors), or None for `—`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from zerocarbon.templatetags import stars

register = template.Library()

_PILLS = {"evaluated": " ok", "failed": " fail"}


@register.filter
def standing_status(standing: Any) -> SafeString:
    status = getattr(standing, "assessment_status", None)
    pill = _PILLS.get(status, " warn") if status else ""
    label = conditional_escape(getattr(standing, "status_label", ""))
    return mark_safe(f'<span class="pill{pill}">{label}</span>\n')  # noqa: S308 (escaped)


@register.filter
def standing_level(standing: Any) -> SafeString:
    if not getattr(standing, "evaluation_pk", None):
        return mark_safe("—\n")
    level = standing.star_level
    if not level:
        return mark_safe(f'<span class="muted">{gettext("No level reached")}</span>\n')  # noqa: S308
    # As {% blocktranslate %} writes it: the value escaped, the translation as it is.
    name = gettext("Level %(level)s") % {"level": conditional_escape(level)}
    return mark_safe(  # noqa: S308 (the level escaped, the catalogue's text trusted)
        f'<span class="stars level" role="img" aria-label="{name}" title="{name}">'
        f"{conditional_escape(stars(level))}</span>\n"
    )


@register.filter
def standing_zero_carbon(standing: Any) -> SafeString:
    if not getattr(standing, "evaluation_pk", None):
        return mark_safe("—\n")
    if standing.zero_carbon:
        return mark_safe(f'<span class="pill ok">{gettext("Yes")}</span>\n')  # noqa: S308
    return mark_safe(f'<span class="pill">{gettext("No")}</span>\n')  # noqa: S308
