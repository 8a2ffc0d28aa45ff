"""The review history a full report shows: every event of the rounds that led to the
evaluation it draws (the round that reviewed or approved it and the rounds before), as plain
entries in the document's language (reports.context.ReviewEntry)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import Evaluation, Review, ReviewEvent
from reports.context import ReviewEntry

_SUBJECTS = {
    "evidence": gettext_noop("Evidence {key}"),
    "gate": gettext_noop("Gate {key}"),
    "item": gettext_noop("Item {key}"),
    "certificate": gettext_noop("Certificate {key}"),
}


def review_entries(evaluation: Evaluation, language: str) -> tuple[ReviewEntry, ...]:
    """The entries oldest first; none when the evaluation was never under review."""
    rounds = Review.objects.filter(Q(evaluation=evaluation) | Q(approved_evaluation=evaluation))
    last = rounds.order_by("-number").values_list("assessment_id", "number").first()
    if last is None:
        return ()
    assessment_id, number = last
    events = (
        ReviewEvent.objects.filter(review__assessment_id=assessment_id, review__number__lte=number)
        .select_related("actor", "review__certification_body")
        .order_by("at", "pk")
    )
    with translation.override(language):
        return tuple(_entry(event) for event in events)


def _entry(event: ReviewEvent) -> ReviewEntry:
    return ReviewEntry(
        at=timezone.localtime(event.at),
        actor=_who(event),
        action=str(event.get_action_display()),
        subject=_subject(event),
        text=event.text,
    )


def _who(event: ReviewEvent) -> str:
    if event.actor is None:
        return _("the platform")
    return event.actor.get_full_name() or event.actor.get_username()


def _subject(event: ReviewEvent) -> str:
    kind, _sep, key = event.target.partition(":")
    label = _SUBJECTS.get(kind)
    round_label = _("Round {number}").format(number=event.review.number)
    if label is None:
        return round_label
    return f"{round_label} · {_(label).format(key=key)}"
