"""The `<id:pk>` path converter: a database id is 1 to 18 digits. `<int:…>` takes any number of
digits, and a 30-digit id is not a lookup the database should be asked to make; 18 digits stay
below the largest bigint (9,223,372,036,854,775,807). Importing this module registers it."""

from __future__ import annotations

from django.urls import register_converter

ID_PATTERN = "[0-9]{1,18}"


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")
