"""Forms of the imports area: a spreadsheet or dossier upload, a dossier upload for a new
factory or year."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zerocarbon.accounts.models import Organisation


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx) or dossier (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )


class DossierUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    file = forms.FileField(label=_("Dossier file (zerocarbon.dossier/1 JSON)"))

    def __init__(self, *args: object, organisations: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
