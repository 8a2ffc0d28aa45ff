from __future__ import annotations

from django import forms

from zerocarbon.accounts.models import Organisation


class DossierUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="机构 Organisation"
    )
    file = forms.FileField(label="档案文件 Dossier file (zerocarbon.dossier/1 JSON)")

    def __init__(self, *args: object, organisations: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class SubmitForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label="评价日期 Evaluation date",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
