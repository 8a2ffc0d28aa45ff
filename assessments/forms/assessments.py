"""Forms of the assessment page (the dossier upload form is in forms/imports.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import review_selectors
from assessments.services.review import TEXT_MAX_LENGTH
from zerocarbon.accounts.models import Organisation


class SubmitForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label=_("Evaluation date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    certification_body = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("No review: evaluate only"),
        label=_("Review by"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["certification_body"]
        if isinstance(field, forms.ModelChoiceField):  # always: the field above
            field.queryset = review_selectors.certification_bodies()


class ReplyForm(forms.Form):
    """The submitting organisation's comment on a round of its review, or on one item."""

    target = forms.CharField(required=False, max_length=300)
    text = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Your reply"), widget=forms.Textarea)
