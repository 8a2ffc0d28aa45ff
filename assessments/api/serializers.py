from __future__ import annotations

from typing import Any

from rest_framework import serializers

from assessments import review_selectors, selectors
from assessments.models import Assessment, Evaluation, Review, ReviewDecision, ReviewEvent
from assessments.rubric_editions import DEFAULT_RUBRIC_CODE
from emissions.api.fields import BodyInput


class EvaluationSummarySerializer(serializers.ModelSerializer[Evaluation]):
    class Meta:
        model = Evaluation
        fields = [
            "id",
            "created_at",
            "as_of",
            "rubric_code",
            "rubric_edition",
            "factor_set_version",
            "gwp_set",
            "code_version",
            "total_score",
            "star_level",
            "zero_carbon",
            "input_sha256",
            "sha256",
        ]
        read_only_fields = fields


class EvaluationSerializer(EvaluationSummarySerializer):
    class Meta(EvaluationSummarySerializer.Meta):
        fields = [*EvaluationSummarySerializer.Meta.fields, "result", "inputs", "factor_values"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    factory = serializers.CharField(source="inventory.factory.name", read_only=True)
    factory_id = serializers.IntegerField(source="inventory.factory_id", read_only=True)
    year = serializers.IntegerField(source="inventory.year", read_only=True)
    boundary = serializers.CharField(source="inventory.boundary", read_only=True)
    rubric = serializers.SerializerMethodField()
    evaluation_error = serializers.SerializerMethodField(
        help_text="why the evaluation failed (empty unless failed), in the answer's language"
    )
    evaluation_queued = serializers.SerializerMethodField(
        help_text="whether the task queue has taken the evaluation of the latest submission; "
        "false while submitted: accepted, the platform queues it as soon as the queue answers"
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "factory",
            "factory_id",
            "inventory",
            "year",
            "boundary",
            "rubric",
            "status",
            "declared_gates",
            "as_of",
            "submitted_at",
            "evaluation_error",
            "evaluation_queued",
            "evaluation_enqueued_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_rubric(self, assessment: Assessment) -> dict[str, str]:
        return {"code": assessment.rubric.code, "edition": assessment.rubric.edition}

    def get_evaluation_error(self, assessment: Assessment) -> str:
        return selectors.evaluation_failure(assessment)

    def get_evaluation_queued(self, assessment: Assessment) -> bool:
        return assessment.evaluation_enqueued_at is not None


class SubmitSerializer(serializers.Serializer[None]):
    as_of = serializers.DateField(required=False, help_text="evaluation date (default today)")
    certification_body = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=review_selectors.certification_bodies(),
        required=False,
        allow_null=True,
        help_text="slug of the certification body that reviews this submission (cert-body); "
        "left out or null: evaluated only, no review",
    )


class ReviewDecisionSerializer(serializers.ModelSerializer[ReviewDecision]):
    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    carried_over = serializers.SerializerMethodField(
        help_text="the verdict of an earlier round on the same unchanged file or gate"
    )

    class Meta:
        model = ReviewDecision
        fields = ["subject", "key", "verdict", "note", "evidence_sha256", "decided_by"]
        fields += ["decided_at", "carried_over"]
        read_only_fields = fields

    def get_carried_over(self, decision: ReviewDecision) -> bool:
        return decision.carried_from_id is not None


class ReviewEventSerializer(serializers.ModelSerializer[ReviewEvent]):
    actor: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ReviewEvent
        fields = ["action", "target", "actor", "text", "at"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer[Review]):
    """A round of a certification body's review, with its decisions and history."""

    certification_body: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    submitted_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    decisions = ReviewDecisionSerializer(many=True, read_only=True)
    events = ReviewEventSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "number", "certification_body", "status", "evaluation"]
        fields += ["approved_evaluation", "submitted_by", "submitted_at", "opened_at"]
        fields += ["decided_by", "decided_at", "reason", "decisions", "events"]
        read_only_fields = fields


class WhatIfSerializer(serializers.Serializer[None]):
    extra_green_mwh = serializers.DecimalField(
        max_digits=20, decimal_places=6, min_value=0, required=False
    )
    extra_credits_tco2e = serializers.DecimalField(
        max_digits=20, decimal_places=6, min_value=0, required=False
    )
    extra_removals_tco2e = serializers.DecimalField(
        max_digits=20, decimal_places=6, min_value=0, required=False
    )
    answers = serializers.DictField(required=False)
    as_of = serializers.DateField(required=False)


class AssessmentInput(BodyInput):
    """A new assessment: the inventory and what its dossier adds to it. Parsed only: the
    rubric layer checks gates and answers, as in a dossier."""

    inventory = serializers.IntegerField(help_text="id of the inventory assessed")
    rubric = serializers.CharField(
        required=False,
        help_text=f"rubric code (default {DEFAULT_RUBRIC_CODE}); its latest published edition",
    )
    gates = serializers.DictField(help_text='declared gates, as in a dossier: {"G1": true}')
    answers = serializers.DictField(
        required=False, help_text="rubric item answers by item id, as in a dossier"
    )
