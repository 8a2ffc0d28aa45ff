"""The standing cells of the dashboard and of a factory's page (assessments/templatetags/
standings.py) write, byte for byte, what the included partials they replaced wrote: every
status, level and zero-carbon answer, in both languages, with or without an evaluation."""

from __future__ import annotations

import itertools

import pytest
from django.template import Context, Template
from django.utils import translation

from assessments.selectors import YearStanding

# The partials as they were (templates/assessments/_standing_*.html), each file's closing
# newline included.
PARTIALS = {
    "standing_status": (
        "<span class=\"pill{% if standing.assessment_status == 'evaluated' %} ok{% elif "
        "standing.assessment_status == 'failed' %} fail{% elif standing.assessment_status %} "
        'warn{% endif %}">{{ standing.status_label }}</span>\n'
    ),
    "standing_level": (
        "{% load i18n zc %}{% if standing.evaluation_pk %}{% if standing.star_level %}"
        '<span class="stars level" role="img" aria-label="{% blocktranslate with '
        'level=standing.star_level %}Level {{ level }}{% endblocktranslate %}" title="'
        "{% blocktranslate with level=standing.star_level %}Level {{ level }}"
        '{% endblocktranslate %}">{{ standing.star_level|stars }}</span>{% else %}'
        '<span class="muted">{% translate "No level reached" %}</span>{% endif %}{% else %}'
        "—{% endif %}\n"
    ),
    "standing_zero_carbon": (
        "{% load i18n %}{% if standing.evaluation_pk %}{% if standing.zero_carbon %}"
        '<span class="pill ok">{% translate "Yes" %}</span>{% else %}<span class="pill">'
        '{% translate "No" %}</span>{% endif %}{% else %}—{% endif %}\n'
    ),
}


def _standings() -> list[YearStanding | None]:
    standings: list[YearStanding | None] = [None]
    for status, evaluation, level, zero in itertools.product(
        (None, "draft", "submitted", "evaluated", "failed"),
        (None, 7),
        (None, 0, 1, 3, 5),
        (None, False, True),
    ):
        standings.append(
            YearStanding(
                inventory_pk=1,
                factory_pk=2,
                year=2025,
                boundary="factory",
                inventory_status="draft",
                assessment_pk=3 if status else None,
                assessment_status=status,
                evaluation_pk=evaluation,
                star_level=level,
                zero_carbon=zero,
            )
        )
    return standings


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("cell", sorted(PARTIALS))
def test_a_cell_writes_what_its_partial_wrote(cell: str, language: str) -> None:
    old = Template(PARTIALS[cell])
    new = Template("{% load standings %}{{ standing|" + cell + " }}")
    with translation.override(language):
        for standing in _standings():
            if cell == "standing_status" and standing is None:
                continue  # the pages show a status only for a year they have
            context = {"standing": standing}
            assert new.render(Context(context)) == old.render(Context(context)), standing
