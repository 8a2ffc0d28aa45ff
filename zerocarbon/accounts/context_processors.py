from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zerocarbon.accounts.models import Membership


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's memberships, for the header of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"memberships": []}
    return {
        "memberships": list(Membership.objects.filter(user=user).select_related("organisation"))
    }
