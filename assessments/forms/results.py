"""The what-if form: hypothetical amounts of instruments and changed answers (issue 9).

The form only parses: amounts are exact Decimals (never float), an answer is typed as a
dossier would type it (true/false, an integer level, a decimal share, an option, "na", or a
JSON object for a footprint). Whether an answer fits its item is the scoring kernel's rule,
checked by the what-if service; its errors come back at `/answers/<item>` and are put at the
row's field here (`add_answer_errors`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.evaluation.whatif import Changes
from assessments.scoring.rubric import ComputedItem, Rubric
from zerocarbon.errors import FieldError
from zerocarbon.templatetags import bi

ANSWER_ROWS = 3
MAX_AMOUNT = Decimal("1e12")
TRUE_WORDS = frozenset({"true", "yes", "是"})
FALSE_WORDS = frozenset({"false", "no", "否"})


def _amount(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=MAX_AMOUNT,
        max_digits=None,
        decimal_places=6,
    )


class WhatIfForm(forms.Form):
    extra_green_mwh = _amount(gettext_lazy("Green electricity to add (MWh)"))
    extra_credits_tco2e = _amount(gettext_lazy("Carbon credits to retire (tCO2e)"))
    extra_removals_tco2e = _amount(gettext_lazy("Removals to retire (tCO2e)"))

    def __init__(self, *args: Any, rubric: Rubric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— item —")), *answerable(rubric)]
        for row in range(ANSWER_ROWS):
            self.fields[f"item_{row}"] = forms.ChoiceField(
                label=_("Answer {row}: item").format(row=row + 1),
                choices=choices,
                required=False,
            )
            self.fields[f"value_{row}"] = forms.CharField(
                label=_("Answer {row}: value").format(row=row + 1),
                required=False,
                max_length=200,
                help_text=_('yes or no, a level, a share (0.8), an option or "na"'),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(ANSWER_ROWS):
            item, value = cleaned.get(f"item_{row}"), cleaned.get(f"value_{row}", "")
            if item and not value:
                self.add_error(f"value_{row}", _("Give the value this item would have."))
            elif value and not item:
                self.add_error(f"item_{row}", _("Choose the item this value is for."))
        return cleaned

    def changes(self) -> Changes:
        data = self.cleaned_data
        answers = {
            data[f"item_{row}"]: typed(data[f"value_{row}"])
            for row in range(ANSWER_ROWS)
            if data.get(f"item_{row}") and data.get(f"value_{row}")
        }
        return Changes(
            extra_green_mwh=data.get("extra_green_mwh") or Decimal(0),
            extra_credits_tco2e=data.get("extra_credits_tco2e") or Decimal(0),
            extra_removals_tco2e=data.get("extra_removals_tco2e") or Decimal(0),
            answers=answers,
        )

    def add_answer_errors(self, errors: tuple[FieldError, ...]) -> None:
        """Put the service's `/answers/<item>` errors at the row that changed that item."""
        rows = {self.cleaned_data.get(f"item_{row}"): row for row in range(ANSWER_ROWS)}
        for error in errors:
            item = error.path.removeprefix("/answers/").split("/")[0]
            row = rows.get(item)
            self.add_error(f"value_{row}" if row is not None else None, error.message)


def answerable(rubric: Rubric) -> list[tuple[str, str]]:
    """The items a consultant answers (not the computed ones) and the flags, as choices."""
    items = [
        (item.id, f"{item.id} {bi(item.name)}")
        for item in rubric.items
        if not isinstance(item, ComputedItem)
    ]
    return items + [(flag.id, bi(flag.name)) for flag in rubric.flags]


def typed(text: str) -> object:
    """An answer typed in a text box, as the dossier would write it."""
    value = text.strip()
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    if value.lstrip("-").isdigit():
        return int(value)
    if value.startswith("{"):
        try:
            parsed: object = json.loads(value, parse_float=Decimal)
        except json.JSONDecodeError:
            return value  # the kernel says what it expected
        return parsed
    return value
