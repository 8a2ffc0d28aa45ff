"""The API key in the OpenAPI schema: an HTTP bearer security scheme, so that the docs page
has an "Authorize" box and clients read how to send the key. Registered by importing it from
zerocarbon.schema, the schema class of every view."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "zerocarbon.accounts.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API key of your organisation: `Authorization: Bearer <key>`. Issued by an "
                "organisation admin at /accounts/api-keys/ or with "
                "`python manage.py issue_api_key`; shown once."
            ),
        }
