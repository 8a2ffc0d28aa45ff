from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zerocarbon.accounts.models import Organisation


class DossierUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    file = forms.FileField(label=_("Dossier file (zerocarbon.dossier/1 JSON)"))

    def __init__(self, *args: object, organisations: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class SubmitForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label=_("Evaluation date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
