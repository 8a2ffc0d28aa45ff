"""E-mail for each step of a review, to the consultants and auditors concerned.

`notify` is called in the transaction of the step: it names the event and the recipients,
and the mail task is published once the step commits (nothing is sent for a step that rolled
back). The task (`assessments.send_review_mail`) writes one message per recipient in the
recipient's own language (their saved choice, else Chinese), through Django's e-mail backend
(SMTP in production, the console in the quickstart), and retries a mail server that does not
answer. Nobody is mailed about their own step.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.models import Review, ReviewEvent
from zerocarbon.accounts.models import Membership, Preferences

logger = logging.getLogger(__name__)

# What a publish can raise when the broker is unreachable (as in services.workflow).
SEND_ERRORS = (SMTPException, OSError)
_WRITERS = [Membership.Role.ADMIN.value, Membership.Role.CONSULTANT.value]


def notify(
    review: Review,
    action: str,
    *,
    actor_id: int | None = None,
    auditors: bool = False,
    consultants: bool = False,
) -> None:
    """Mail the latest event of `action` on the review, after the commit."""
    recipients: set[int] = set()
    if auditors:
        recipients |= _members(review.certification_body_id, [Membership.Role.AUDITOR.value])
    if consultants:
        owner = review.assessment.inventory.factory.organisation_id
        recipients |= _members(owner, _WRITERS)
        if review.submitted_by_id is not None:
            recipients.add(review.submitted_by_id)
    if actor_id is not None:
        recipients.discard(actor_id)
    event = review.events.filter(action=action).order_by("-at", "-pk").first()
    if event is None or not recipients:
        return
    event_id, user_ids = event.pk, sorted(recipients)
    transaction.on_commit(lambda: _publish(event_id, user_ids))


def _members(organisation_id: int, roles: list[str]) -> set[int]:
    rows = Membership.objects.filter(organisation_id=organisation_id, role__in=roles)
    return set(rows.values_list("user_id", flat=True))


def _publish(event_id: int, user_ids: list[int]) -> None:
    from assessments.tasks import send_review_mail_task
    from zerocarbon.leases import PUBLISH_ERRORS, PUBLISH_RETRY_POLICY

    try:
        send_review_mail_task.apply_async((event_id, user_ids), retry_policy=PUBLISH_RETRY_POLICY)
    except PUBLISH_ERRORS as error:
        logger.warning("review mail of event %s not queued (%s)", event_id, error)


def send_review_mail(event_id: int, user_ids: list[int]) -> int:
    """Write and send the event's message to each recipient with an address; the number
    sent. Raises SEND_ERRORS for the task to retry."""
    event = ReviewEvent.objects.select_related(
        "actor",
        "review__certification_body",
        "review__assessment__inventory__factory",
    ).get(pk=event_id)
    users = _recipients(event.review, user_ids)
    messages = [_message(event, user, auditor) for user, auditor in users if user.email]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


def _recipients(review: Review, user_ids: list[int]) -> list[tuple[User, bool]]:
    auditors = _members(review.certification_body_id, [Membership.Role.AUDITOR.value])
    users = User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
    return [(user, user.pk in auditors) for user in users]


def _language(user: User) -> str:
    chosen = Preferences.objects.filter(user_id=user.pk).first()
    return chosen.language if chosen and chosen.language else settings.LANGUAGE_CODE


def _message(event: ReviewEvent, user: User, auditor: bool) -> EmailMessage:
    review = event.review
    inventory = review.assessment.inventory
    with translation.override(_language(user)):
        page = (
            reverse("review-detail", args=[review.pk])
            if auditor
            else reverse("assessment-detail", args=[review.assessment_id])
        )
        context = {
            "event": event,
            "review": review,
            "factory": inventory.factory,
            "year": inventory.year,
            "action": event.get_action_display(),
            "actor": _name(event.actor),
            "link": settings.ZEROCARBON_PUBLIC_BASE_URL.rstrip("/") + page,
            "auditor": auditor,
        }
        subject = _("[ZeroCarbon] {factory} {year}: {action}").format(
            factory=inventory.factory.name, year=inventory.year, action=context["action"]
        )
        body = render_to_string("emails/review_step.txt", context)
    return EmailMessage(subject, body, to=[user.email])


def _name(user: User | None) -> str:
    if user is None:
        return _("the platform")
    return user.get_full_name() or user.get_username()
