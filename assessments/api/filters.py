"""Query filters of the assessment resources (django-filter); a bad value is a 400 naming
the parameter (zerocarbon.query_params.FilterBackend)."""

from __future__ import annotations

import django_filters

from assessments.models import Assessment, Evaluation
from emissions.api.filters import IdFilter


class AssessmentFilter(django_filters.FilterSet):
    inventory = IdFilter(field_name="inventory_id", help_text="id of the inventory")
    status = django_filters.ChoiceFilter(choices=Assessment.Status.choices)

    class Meta:
        model = Assessment
        fields = ["inventory", "status"]


class EvaluationFilter(django_filters.FilterSet):
    assessment = IdFilter(field_name="assessment_id", help_text="id of the assessment")

    class Meta:
        model = Evaluation
        fields = ["assessment"]
