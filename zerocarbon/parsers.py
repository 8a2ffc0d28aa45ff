"""JSON bodies read exactly as a dossier file is read by the command line and the browser
upload (`emissions.dossier.parse_dossier_bytes`): UTF-8 with an optional byte-order mark,
numbers as Decimal (no binary float ever enters the platform), NaN and Infinity refused,
a repeated key refused with its JSON path. The size is bounded by BodyLimitMiddleware."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.parsers import JSONParser

from emissions.dossier import DossierInvalid, parse_dossier_bytes
from zerocarbon.errors import FieldError, ValidationFailed


class BodyRefused(ValidationFailed):
    """The body is not JSON the platform reads; `errors` says where (400)."""

    code = "parse_error"


class DecimalJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # JSON is UTF-8 (RFC 8259 §8.1): a charset parameter in Content-Type is not followed.
        try:
            return parse_dossier_bytes(stream.read())
        except DossierInvalid as invalid:
            errors = [FieldError(e.path, e.message) for e in invalid.errors]
            message = _("The request body is not JSON the platform reads.")
            raise BodyRefused(message, errors) from None
