"""Registries as the platform knows them: each with its canonical name and aliases.

Claims are keyed on a registry's *key*: the canonical identity (`emissions.identifiers.
canonical_identity`) of its name. A name the directory knows (the registry's own name or one
of its aliases, compared in canonical form) gives that registry's key, so two spellings of one
registry are one registry; an unknown name is still a registry, keyed on its own canonical
text, and the reader names it in the result's warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from emissions.identifiers import canonical_identity


@dataclass(frozen=True)
class Registry:
    name: str  # the canonical (display) name, e.g. 中国绿证
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return canonical_identity(self.name)


@dataclass(frozen=True)
class RegistryDirectory:
    """`known` is False for a directory that knows no registry (a kernel test, a file
    evaluated without the platform): then no name is reported as unknown."""

    by_alias: Mapping[str, Registry] = field(default_factory=dict)
    known: bool = False

    @classmethod
    def of(cls, registries: Iterable[Registry]) -> RegistryDirectory:
        by_alias: dict[str, Registry] = {}
        for registry in registries:
            for name in (registry.name, *registry.aliases):
                by_alias.setdefault(canonical_identity(name), registry)
        return cls(by_alias, known=True)

    def key(self, name: str) -> str:
        """The claim key of a registry name as written in a dossier."""
        canonical = canonical_identity(name)
        registry = self.by_alias.get(canonical)
        return registry.key if registry is not None else canonical

    def is_unknown(self, name: str) -> bool:
        canonical = canonical_identity(name)
        return self.known and canonical != "" and canonical not in self.by_alias


NO_DIRECTORY = RegistryDirectory()
