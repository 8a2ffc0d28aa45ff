"""Forms of the assessment page (the dossier upload form is in forms/imports.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SubmitForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label=_("Evaluation date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
