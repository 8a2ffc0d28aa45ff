"""python manage.py issue_api_key: the key is the last line of the output and works."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from emissions.models import Factory
from zerocarbon.accounts.models import ApiKey, Organisation

pytestmark = pytest.mark.django_db


def issue(*args: str) -> list[str]:
    out = StringIO()
    call_command("issue_api_key", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_key_is_the_last_line_and_it_works(demo: dict[str, Any]) -> None:
    lines = issue("--organisation", "org-a", "--name", "Meter gateway")
    key = lines[-1]
    assert "Meter gateway" in lines[0]
    assert any("shown once" in line for line in lines[:-1])
    assert key not in "\n".join(lines[:-1])
    assert ApiKey.objects.get().prefix == key.partition(".")[0]
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/factories/")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_a_key_limited_to_a_factory_and_read_only(demo: dict[str, Any]) -> None:
    factory = demo["suzhou"].inventory.factory
    lines = issue(
        "--organisation", "org-a", "--name", "Suzhou", "--factory", str(factory.pk), "--read-only"
    )
    stored = ApiKey.objects.get()
    assert stored.read_only
    assert list(stored.factories.all()) == [factory]
    assert any(factory.name in line for line in lines)
    assert any("read-only" in line for line in lines)
    client = Client(headers={"Authorization": f"Bearer {lines[-1]}"})
    assert client.get("/api/v1/factories/").json()["count"] == 1


def test_an_unknown_organisation_is_a_clear_error(orgs: dict[str, Organisation]) -> None:
    with pytest.raises(CommandError, match="No organisation with slug 'org-z'"):
        issue("--organisation", "org-z", "--name", "x")
    assert not ApiKey.objects.exists()


def test_a_factory_of_another_organisation_is_refused(demo: dict[str, Any]) -> None:
    factory = demo["suzhou"].inventory.factory
    with pytest.raises(CommandError, match=f"Factory {factory.pk} does not exist or does not"):
        issue("--organisation", "org-b", "--name", "x", "--factory", str(factory.pk))
    assert not ApiKey.objects.exists()


def test_an_unknown_factory_is_refused(orgs: dict[str, Organisation]) -> None:
    missing = (Factory.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with pytest.raises(CommandError, match=f"Factory {missing} does not exist"):
        issue("--organisation", "org-a", "--name", "x", "--factory", str(missing))


def test_a_name_is_required(orgs: dict[str, Organisation]) -> None:
    with pytest.raises(CommandError, match="A key needs a name"):
        issue("--organisation", "org-a", "--name", "  ")
