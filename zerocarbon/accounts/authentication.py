"""`Authorization: Bearer <key>` for the REST API (DRF authentication).

First in DEFAULT_AUTHENTICATION_CLASSES: DRF asks the first authenticator for the challenge
of a 401, and without one it answers 403 to a request that is not authenticated at all. A
request without a Bearer header is not ours (None): the browser's session login comes next.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from zerocarbon.accounts.actors import KeyActor
from zerocarbon.accounts.keys import InvalidKey, actor_for_key
from zerocarbon.accounts.models import ApiKey

SCHEME = "Bearer"
CHALLENGE = f'{SCHEME} realm="api"'


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[KeyActor, ApiKey] | None:
        scheme, _space, credentials = get_authorization_header(request).partition(b" ")
        if scheme.lower() != SCHEME.lower().encode():
            return None
        try:
            plaintext = credentials.strip().decode("ascii")
        except UnicodeDecodeError:
            plaintext = ""
        if not plaintext:
            raise AuthenticationFailed(_("Send the key as 'Authorization: Bearer <key>'."))
        try:
            actor = actor_for_key(plaintext, now=timezone.now())
        except InvalidKey as error:
            raise AuthenticationFailed(error.message) from None
        return actor, actor.key

    def authenticate_header(self, request: Request) -> str:
        return CHALLENGE
