from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parents[2]


def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_compose", ROOT / ".ci" / "check_compose.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compose() -> dict[str, object]:
    document: dict[str, object] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return document


def test_the_repositorys_compose_file_is_valid_and_has_the_five_services() -> None:
    document = compose()
    assert checker().problems(document) == []
    assert set(document["services"]) == {"postgres", "redis", "web", "worker", "beat"}  # type: ignore[call-overload]


def test_a_depends_on_naming_no_service_is_reported() -> None:
    document = compose()
    document["services"]["worker"]["depends_on"] = {"rabbit": {"condition": "service_started"}}  # type: ignore[index]
    assert any("'rabbit' is not a service" in p for p in checker().problems(document))


def test_a_schema_violation_is_reported_with_its_path() -> None:
    document = compose()
    document["services"]["web"]["ports"] = "8000"  # type: ignore[index]
    assert any(p.startswith("services/web/ports") for p in checker().problems(document))
