"""Forms of the public verification pages (a certificate number, a PDF to check) and of the
auditor's pages (the queue's filters, a reason)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Review
from assessments.review_selectors import QueueFilters

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


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def _status_choices() -> list[tuple[str, str]]:
    statuses = [(value, str(label)) for value, label in Review.Status.choices]
    return [("", str(_("Any status"))), *statuses]


def _boundary_choices() -> list[tuple[str, str]]:
    return [("", str(_("Any boundary"))), ("I", str(_("Type I"))), ("II", str(_("Type II")))]


class QueueFilterForm(forms.Form):
    """The queue's filters (GET): status (open unless asked; empty for every status), a
    factory's name or credit code, boundary, age."""

    status = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        choices=_status_choices,
        coerce=str,
        empty_value="",
        initial=Review.Status.OPEN,
    )
    search = forms.CharField(
        label=_("Factory or credit code"), required=False, max_length=100, strip=True
    )
    boundary = forms.TypedChoiceField(
        label=_("Boundary"), required=False, choices=_boundary_choices, coerce=str, empty_value=""
    )
    older_than_days = forms.IntegerField(
        label=_("Waiting more than (days)"), required=False, min_value=0, max_value=3650
    )

    def filters(self) -> QueueFilters:
        """What the queue selects: the defaults (open ones) for no or invalid filters."""
        if not self.is_bound or not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        asked = "status" in self.data  # an empty status asks for every one
        return QueueFilters(
            status=str(data["status"]) if asked else Review.Status.OPEN,
            search=str(data["search"]),
            boundary=str(data["boundary"]),
            older_than_days=data["older_than_days"],
        )
