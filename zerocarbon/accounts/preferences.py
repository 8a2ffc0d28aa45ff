"""A user's own choices, kept on the user so that they follow them to another browser.

The page language: saved when the user switches (`save_language`), read once when they log in
(`saved_language`) and carried in the session from then on (zerocarbon/language.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from zerocarbon.accounts.models import Preferences


def supported_language(code: str) -> bool:
    """Whether `code` is one of the page languages (settings.LANGUAGES), exactly."""
    return code in {language for language, _name in settings.LANGUAGES}


def save_language(user: AbstractBaseUser, code: str) -> None:
    """Remember `code` as `user`'s page language; an unknown code is refused (ValueError)."""
    if not supported_language(code):
        raise ValueError(f"{code!r} is not a page language")
    with transaction.atomic():
        Preferences.objects.update_or_create(user_id=user.pk, defaults={"language": code})


def saved_language(user: AbstractBaseUser) -> str | None:
    """The page language `user` chose, or None when they never chose one (or chose one the
    platform no longer speaks)."""
    code = Preferences.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return code if code and supported_language(code) else None


# The session key of the language a signed-in user chose (zerocarbon/language.py reads it).
LANGUAGE_SESSION_KEY = "zerocarbon_language"


def remember_language(session: SessionBase, user: AbstractBaseUser, code: str) -> None:
    """Save `code` on `user` and carry it in their session from this request on."""
    save_language(user, code)
    session[LANGUAGE_SESSION_KEY] = code


@receiver(user_logged_in, dispatch_uid="zerocarbon.accounts.preferences.restore_language")
def restore_language(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At login, the language the user chose (on any browser) goes into the new session."""
    if request is None or not hasattr(request, "session"):
        return
    code = saved_language(user)
    if code is not None:
        request.session[LANGUAGE_SESSION_KEY] = code
