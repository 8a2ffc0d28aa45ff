"""Query parameters of the API: required ones, filters (django-filter) and pagination, each bad
or missing one answered 400 naming the parameter by its name (`organisation`, `year`, `limit`).

Body fields are named by JSON pointers into the body (`/unit`); a query parameter is not in the
body, so its path is its bare name.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.views import APIView

from zerocarbon.errors import FieldError, ValidationFailed

MAX_LIMIT = 500
_COUNT = re.compile(r"[0-9]+")
# More digits than any count the database holds: read as that many, not parsed.
_MAX_COUNT_DIGITS = 18


class MissingParameter(ValidationFailed):
    """A required query parameter is absent or empty (400)."""

    code = "required"


def required_param(request: Request, name: str, meaning: str) -> str:
    """The value of the required query parameter `name`; `meaning` says what it gives."""
    value = str(request.query_params.get(name, ""))
    if not value:
        raise MissingParameter(
            _("The query parameter {name} is required.").format(name=name),
            [FieldError(name, _("required: {meaning}").format(meaning=meaning))],
        )
    return value


class FilterBackend(DjangoFilterBackend):
    """django-filter whose refusals are the API's error, each naming its parameter."""

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            errors = [
                FieldError(name, str(message))
                for name, messages in filterset.errors.items()
                for message in messages
            ]
            raise ValidationFailed(_("Some query parameters are invalid."), errors)
        result: QuerySet[Model] = filterset.qs
        return result


class Pagination(LimitOffsetPagination):
    """`limit` (1 to MAX_LIMIT; more is served as MAX_LIMIT) and `offset` (0 or more; past
    the end is an empty page). Anything that is not a whole number is a 400 naming it, where
    DRF's own would quietly serve the first page."""

    max_limit = MAX_LIMIT
    limit_query_description = f"rows per page, 1 to {MAX_LIMIT} (default 50; more is {MAX_LIMIT})"
    offset_query_description = "rows to skip, 0 or more"

    def get_limit(self, request: Request) -> int | None:
        limit = _count(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, MAX_LIMIT)

    def get_offset(self, request: Request) -> int:
        return _count(request, self.offset_query_param, minimum=0) or 0

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        minimum = {self.limit_query_param: 1, self.offset_query_param: 0}
        for parameter in parameters:
            parameter["schema"]["minimum"] = minimum[parameter["name"]]
        return parameters


def _count(request: Request, name: str, *, minimum: int) -> int | None:
    raw = str(request.query_params.get(name, ""))
    if not raw:
        return None
    if not _COUNT.fullmatch(raw):
        message = _("{value!r} is not a whole number; expected {minimum} or more")
        raise _invalid(name, message.format(value=raw[:40], minimum=minimum))
    value = 10**_MAX_COUNT_DIGITS if len(raw) > _MAX_COUNT_DIGITS else int(raw)
    if value < minimum:
        message = _("{value} is too small; expected {minimum} or more")
        raise _invalid(name, message.format(value=value, minimum=minimum))
    return value


def _invalid(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        _("The query parameter {name} is invalid.").format(name=name), [FieldError(name, message)]
    )
