"""Browser forms of the factory pages. A form only parses (required, lengths, the province
chosen from the list): the rules are the dossier's, checked by the service on the document
the form's values become, and its errors come back to the fields here (`add_service_errors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from emissions.identifiers import CREDIT_CODE_LENGTH
from emissions.limits import CODE_MAX_LENGTH, NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from emissions.provinces import province_choices
from zerocarbon.accounts.models import Organisation
from zerocarbon.errors import FieldError

# The `factory` object of a dossier, in its order (emissions.dossier.layout SECTION_KEYS).
FACTORY_FIELDS = ("name", "name_en", "credit_code", "province", "industry", "address")
OPTIONAL_FIELDS = frozenset({"name_en", "industry", "address"})
CREDIT_CODE_CHECK = "credit-code-check"  # the element the check-as-typed answer goes into


def _credit_code_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "spellcheck": "false",
            "maxlength": str(CREDIT_CODE_LENGTH),
            "hx-get": reverse_lazy("factory-check-code"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{CREDIT_CODE_CHECK}",
            "hx-sync": "this:replace",
            "aria-describedby": CREDIT_CODE_CHECK,
        }
    )


class FactoryForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation"), empty_label=None
    )
    name = forms.CharField(
        label=_("Legal name (Chinese)"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("As on the business licence."),
    )
    name_en = forms.CharField(label=_("English name"), max_length=TEXT_MAX_LENGTH, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=CREDIT_CODE_LENGTH,
        help_text=_("18 characters (GB 32100-2015); checked as you type."),
        widget=_credit_code_widget(),
    )
    province = forms.ChoiceField(
        label=_("Province"), help_text=_("Decides the grid region and its emission factor.")
    )
    industry = forms.CharField(
        label=_("Industry code"),
        max_length=CODE_MAX_LENGTH,
        required=False,
        help_text=_("GB/T 4754 code, for example C3130."),
    )
    address = forms.CharField(label=_("Address"), max_length=NOTE_MAX_LENGTH, required=False)

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        """`organisations`: where a new factory may go (the field is left out when there is
        only one, and for an edit, None)."""
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *province_choices(chinese=(get_language() or "").startswith("zh")),
        ]
        if organisations is None or len(organisations) < 2:
            del self.fields["organisation"]
            self.only_organisation = organisations[0] if organisations else None
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            self.only_organisation = None

    def chosen_organisation(self) -> Organisation:
        """Where the new factory goes (a form for a new factory is given its choices)."""
        chosen: Organisation | None = (
            self.cleaned_data.get("organisation") or self.only_organisation
        )
        if chosen is None:
            raise ValueError("a form for a new factory needs the organisations it may go to")
        return chosen

    def factory_fields(self) -> dict[str, Any]:
        """The `factory` object the service checks; an optional field left empty is absent."""
        return {
            key: self.cleaned_data[key]
            for key in FACTORY_FIELDS
            if not (key in OPTIONAL_FIELDS and self.cleaned_data[key] == "")
        }

    def add_service_errors(self, message: str, errors: Iterable[FieldError]) -> None:
        """A refusal of the service at the fields it names (`/credit_code` is the credit
        code field); the rest, and a refusal without fields, above the form."""
        placed = False
        for error in errors:
            field = error.path.strip("/").split("/")[-1]
            if field in self.fields:
                self.add_error(field, error.message)
            else:
                self.add_error(None, error.message)
            placed = True
        if not placed:
            self.add_error(None, message)
