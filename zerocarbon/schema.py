"""The OpenAPI schema of the API (drf-spectacular): the one error shape of zerocarbon.api as the
`Error` component, and the error answers every operation can give, so that no view repeats
them. Which answers an operation can give follows from what it is, not from a list per view."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from zerocarbon.accounts import openapi  # noqa: F401  (registers the key's scheme)
from zerocarbon.errors import MAX_LISTED_ERRORS


class ErrorItemSerializer(serializers.Serializer[None]):
    path = serializers.CharField(help_text="JSON pointer to the problem: /energy/2/unit")
    message = serializers.CharField()


class ErrorDetailSerializer(serializers.Serializer[None]):
    code = serializers.CharField(help_text="stable machine-readable code: not_found, busy, …")
    message = serializers.CharField(help_text="what went wrong, for a person")
    # A field, not Serializer.errors: the serializer metaclass takes it off the class.
    errors = ErrorItemSerializer(  # type: ignore[assignment]
        many=True, help_text=f"the first {MAX_LISTED_ERRORS} problems, each with its path"
    )
    total = serializers.IntegerField(
        min_value=0, help_text="how many problems were found (0: the message says it all)"
    )


class ErrorSerializer(serializers.Serializer[None]):
    error = ErrorDetailSerializer()


# Every operation: these come from the middleware and Django's handlers as much as the view.
_ALWAYS = {
    "400": "The request is invalid or malformed; `errors` lists each problem with its path.",
    "403": "Not allowed: a viewer, a read-only key, a key limited to other factories, or a "
    "browser write without its CSRF token.",
    "404": "Nothing is served at this address, or it belongs to another organisation.",
    "413": "The body is above this address's limit (`request_too_large`).",
    "429": "Too many requests from this key, user or address (`throttled`); try again after "
    "Retry-After seconds.",
}
# Writes: a transition from a wrong state or a clash with stored data; a busy database.
_WRITES = {
    "409": "The request clashes with the current state; the message says why.",
    "503": "The database is busy; try again after Retry-After seconds (`busy`).",
}
_UNAUTHENTICATED = (
    "No valid API key (`Authorization: Bearer …`) and no login: `not_authenticated`, or "
    "`authentication_failed` for an unknown, revoked or expired key."
)


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in self._error_answers().items():
            if code not in responses:
                answer = OpenApiResponse(ErrorSerializer, description=description)
                responses[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    answer, code, direction=direction
                )
        return responses

    def _error_answers(self) -> dict[str, str]:
        answers = dict(_ALWAYS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            answers.update(_WRITES)
        if self._challenges():
            answers["401"] = _UNAUTHENTICATED
        return dict(sorted(answers.items()))

    def _challenges(self) -> bool:
        """DRF answers 401 only with an authenticator that names a challenge (session
        login has none, so not logged in is a 403)."""
        request = self.view.request
        return any(
            authenticator.authenticate_header(request)
            for authenticator in self.view.get_authenticators()
        )
