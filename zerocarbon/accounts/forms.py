from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from zerocarbon.accounts.keys import NAME_MAX_LENGTH
from zerocarbon.accounts.models import Organisation

READ_WRITE = "read_write"
READ_ONLY = "read_only"


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What the key is for, e.g. the meter gateway of the Suzhou plant."),
    )
    factories: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Factories"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "None selected: every factory of the organisation, also those added later. "
            "Hold Ctrl (⌘ on a Mac) to select several."
        ),
    )
    access = forms.ChoiceField(
        label=_("Access"),
        choices=[(READ_WRITE, _("Read and write")), (READ_ONLY, _("Read-only"))],
        initial=READ_WRITE,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        factory_model = apps.get_model("emissions", "Factory")
        choices = factory_model.objects.filter(organisation=organisation).order_by("name")
        self.fields["factories"].queryset = choices  # type: ignore[attr-defined]
