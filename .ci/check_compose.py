"""Validates docker-compose.yml offline (no Docker engine here): the compose-spec JSON Schema
vendored by check-jsonschema, every depends_on naming a service, every service with a health
check that others wait on."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import yaml


def problems(document: dict[str, object]) -> list[str]:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    found = [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in jsonschema.Draft7Validator(schema).iter_errors(document)
    ]
    services = document.get("services")
    if not isinstance(services, dict) or not services:
        return [*found, "services: none defined"]
    for name, service in services.items():
        depends = service.get("depends_on", {}) if isinstance(service, dict) else {}
        for target in depends:
            if target not in services:
                found.append(f"services/{name}/depends_on: '{target}' is not a service")
            elif isinstance(depends, dict):
                condition = depends[target].get("condition")
                if condition == "service_healthy" and "healthcheck" not in services[target]:
                    found.append(f"services/{target}: waited on as healthy but has no healthcheck")
    return found


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "docker-compose.yml")
    found = problems(yaml.safe_load(path.read_text(encoding="utf-8")))
    for problem in found:
        print(f"{path}: {problem}", file=sys.stderr)
    if not found:
        print(f"{path}: valid compose file")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
