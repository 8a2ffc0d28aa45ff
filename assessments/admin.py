from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from assessments.models import (
    Answer,
    Assessment,
    Evaluation,
    Review,
    ReviewDecision,
    ReviewEvent,
    Rubric,
)
from emissions.admin import ReadOnlyHistoryAdmin


class ReadOnly(admin.ModelAdmin[Any]):
    """Records that never change: shown, never edited here."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Rubric)
class RubricAdmin(ReadOnly):
    list_display = ["code", "edition", "status", "created_at"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly):
    list_display = [
        "assessment", "as_of", "total_score", "star_level", "zero_carbon",
        "factor_set_version", "rubric_edition", "created_at",
    ]  # fmt: skip
    list_filter = ["star_level", "zero_carbon"]


class AnswerInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Answer
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyHistoryAdmin, admin.ModelAdmin[Assessment]):
    list_display = ["inventory", "rubric", "status", "submitted_at", "updated_at"]
    list_filter = ["status"]
    readonly_fields = [
        "status", "submitted_at", "submitted_by", "evaluation_error", "evaluation_error_texts",
    ]  # fmt: skip
    inlines = [AnswerInline]


class NoDelete(ReadOnly):
    """The review's records: shown, never edited or deleted here (the workflow writes them)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DecisionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReviewDecision
    extra = 0
    can_delete = False
    readonly_fields = ["subject", "key", "verdict", "note", "decided_by", "decided_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyHistoryAdmin, NoDelete):
    list_display = ["assessment", "number", "certification_body", "status", "submitted_at"]
    list_filter = ["status", "certification_body"]
    inlines = [DecisionInline]


@admin.register(ReviewEvent)
class ReviewEventAdmin(NoDelete):
    list_display = ["review", "action", "target", "actor", "at"]
    list_filter = ["action"]


from assessments import rerate_admin  # noqa: E402, F401  (re-ratings, and the factor sets' actions)
