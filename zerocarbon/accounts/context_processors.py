from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zerocarbon.accounts.models import Membership


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's memberships, for the header of every page, and whether they admin
    an organisation (the API keys page is theirs). An API key (the browsable API) has none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.pk is None:
        return {"memberships": [], "admins_an_organisation": False, "audits": False, "owns": False}
    memberships = list(Membership.objects.filter(user_id=user.pk).select_related("organisation"))
    return {
        "memberships": memberships,
        "admins_an_organisation": any(m.role == Membership.Role.ADMIN for m in memberships),
        "audits": any(m.role == Membership.Role.AUDITOR for m in memberships),
        "owns": any(m.organisation.owns_factories for m in memberships),
    }
