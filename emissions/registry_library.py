"""The registries the platform ships with (emissions/data/registries.json) and the kernel's
directory built from the table admins maintain."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from emissions.dossier.registries import Registry, RegistryDirectory
from emissions.identifiers import canonical_identity

SEED_FILE = Path(__file__).resolve().parent / "data" / "registries.json"
GetModel = Callable[[str], Any]


def seed_registries(get_model: GetModel) -> None:
    """Add the shipped registries and aliases that are not there yet (data migration; tests
    after a flush). Keys are computed here, since historical models have no save() logic."""
    registry_model, alias_model = get_model("Registry"), get_model("RegistryAlias")
    for entry in json.loads(SEED_FILE.read_text(encoding="utf-8"))["registries"]:
        registry, _ = registry_model.objects.get_or_create(
            key=canonical_identity(entry["name"]),
            defaults={
                "name": entry["name"],
                "instruments": entry["instruments"],
                "website": entry["website"],
            },
        )
        for alias in entry["aliases"]:
            alias_model.objects.get_or_create(
                key=canonical_identity(alias), defaults={"registry": registry, "alias": alias}
            )


def directory_of(rows: Any) -> RegistryDirectory:
    """The kernel's directory from Registry rows with their aliases prefetched."""
    return RegistryDirectory.of(
        Registry(row.name, tuple(alias.alias for alias in row.aliases.all())) for row in rows
    )
