"""Forms of the public verification pages: a certificate number, a PDF to check."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

PDF_MAGIC = b"%PDF-"


class NumberForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(attrs={"placeholder": "ZCF-2026-0001", "autocomplete": "off"}),
    )

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).upper()


class PdfCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate PDF"),
        help_text=_("The certificate as downloaded; it is compared by its SHA-256 and not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_file(self) -> object:
        uploaded = self.cleaned_data["file"]
        head = uploaded.read(len(PDF_MAGIC))
        uploaded.seek(0)
        if head != PDF_MAGIC:
            raise forms.ValidationError(_("This file is not a PDF: it does not start with %PDF-."))
        return uploaded
