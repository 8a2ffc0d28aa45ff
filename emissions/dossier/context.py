"""What the semantic checks see: the raw dossier, minus the parts the schema already rejected.

A check reads a field only when the field is *sound* (no schema error at or below its path), so
one wrong type is reported once, and every other rule is still checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from emissions.accounting.factors import FactorSet
from emissions.dossier.errors import pointer
from emissions.dossier.layout import DEFAULT_GWP_SET
from emissions.dossier.registries import NO_DIRECTORY, RegistryDirectory


def to_decimal(value: object) -> Decimal:
    """A schema-valid number (int, float, Decimal or decimal string) as an exact Decimal.

    A float becomes the shortest decimal that reads back as it (`12.4`, not its binary
    expansion); a negative zero becomes zero, so that it is written back as "0".
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int | str):
        number = Decimal(value)
    else:
        raise TypeError(f"not a number: {value!r}")
    return number.copy_abs() if number.is_zero() else number


@dataclass(frozen=True)
class Item:
    """One object of the dossier (`/energy/2`, `/factory`) seen through its sound fields."""

    path: str
    raw: Mapping[str, object]
    unsound: frozenset[str]
    index: int = 0  # the position in its list section

    def at(self, key: str) -> str:
        return self.path + pointer(key)

    def has(self, key: str) -> bool:
        return key in self.raw

    def sound(self, key: str) -> object | None:
        """The value of `key` if present and schema-valid, else None."""
        if key not in self.raw:
            return None
        if self.unsound and not is_sound(self.at(key), self.unsound):  # no path if no errors
            return None
        return self.raw[key]

    def text(self, key: str) -> str | None:
        value = self.sound(key)
        return value if isinstance(value, str) else None

    def number(self, key: str) -> Decimal | None:
        value = self.sound(key)
        return None if value is None else to_decimal(value)

    def integer(self, key: str) -> int | None:
        value = self.sound(key)
        return None if value is None else int(to_decimal(value))

    def numbers(self, key: str) -> list[Decimal] | None:
        value = self.sound(key)
        return [to_decimal(entry) for entry in value] if isinstance(value, list) else None


def is_sound(path: str, unsound: frozenset[str]) -> bool:
    """`unsound` holds every erroneous path and all its ancestors (`unsound_paths`), so a path
    is sound when it is not among them: O(1), however many errors there are."""
    return path not in unsound


def unsound_paths(erroneous: Iterable[str]) -> frozenset[str]:
    """Each erroneous path with all its ancestors ("/energy/2/unit", "/energy/2", "/energy")."""
    found: set[str] = set()
    for error_path in erroneous:
        path = error_path
        while path and path not in found:
            found.add(path)
            path = path.rsplit("/", 1)[0]
    return frozenset(found)


@dataclass(frozen=True)
class Context:
    data: Mapping[str, object]
    factors: FactorSet
    as_of: date
    unsound: frozenset[str]
    registries: RegistryDirectory = NO_DIRECTORY

    def root(self) -> Item:
        return Item("", self.data, self.unsound)

    def object(self, key: str) -> Item | None:
        value = self.data.get(key)
        return Item(pointer(key), value, self.unsound) if isinstance(value, Mapping) else None

    def items(self, section: str) -> Iterator[Item]:
        """The objects of a list section, each with its path (`/energy/2`)."""
        entries = self.data.get(section)
        if not isinstance(entries, list):
            return
        for index, entry in enumerate(entries):
            if isinstance(entry, Mapping):
                yield Item(pointer(section, index), entry, self.unsound, index)

    @property
    def year(self) -> int | None:
        return self.root().integer("year")

    @property
    def gwp_set(self) -> str | None:
        if not self.root().has("gwp_set"):
            return DEFAULT_GWP_SET
        return self.root().text("gwp_set")
