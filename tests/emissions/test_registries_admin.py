"""Registries are reference data admins maintain: an alias they add makes two spellings one
registry at once, moves the claims made under it, and is refused when it would merge two
claims of the same certificates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client

from assessments.services.dossier import import_dossier
from emissions.models import Registry, RegistryAlias, SerialClaim
from tests.conftest import example
from zerocarbon.accounts.demo import DEMO_PASSWORD
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)


def _admin(client: Client) -> Client:
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    return client


def _add_alias(client: Client, registry: Registry, alias: str) -> Any:
    existing = list(registry.aliases.all())
    data = {
        "instruments": registry.instruments,
        "website": registry.website,
        "aliases-TOTAL_FORMS": str(len(existing) + 1),
        "aliases-INITIAL_FORMS": str(len(existing)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        f"aliases-{len(existing)}-alias": alias,
        f"aliases-{len(existing)}-registry": str(registry.pk),
    }
    for index, row in enumerate(existing):
        data |= {f"aliases-{index}-id": str(row.pk), f"aliases-{index}-registry": str(registry.pk)}
    return client.post(f"/admin/emissions/registry/{registry.pk}/change/", data)


def test_the_migration_seeds_the_registries_the_spec_names() -> None:
    names = set(Registry.objects.values_list("name", flat=True))
    assert {"中国绿证", "全国温室气体自愿减排注册登记系统", "I-REC Registry"} <= names
    assert RegistryAlias.objects.get(key="chinagec").registry.name == "中国绿证"


def test_an_alias_moves_the_claims_made_under_it(
    orgs: dict[str, Organisation], client: Client
) -> None:
    data = example("demo-dossier")
    data["green_electricity"][0]["registry"] = "省绿证中心"  # unknown: claimed under its own text
    import_dossier(orgs["org-a"], data, as_of=AS_OF)
    assert SerialClaim.objects.filter(registry="省绿证中心").count() == 1
    gec = Registry.objects.get(name="中国绿证")
    response = _add_alias(_admin(client), gec, "省绿证中心 ")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SerialClaim.objects.filter(registry="中国绿证").count() == 1
    assert not SerialClaim.objects.filter(registry="省绿证中心").exists()


def test_an_alias_that_would_merge_a_double_claim_is_refused(
    orgs: dict[str, Organisation], client: Client
) -> None:
    import_dossier(orgs["org-a"], example("demo-dossier"), as_of=AS_OF)
    data = example("demo-dossier")
    data["factory"].update(name="另一家工厂", credit_code="91320214MA1WXJM00Y")
    data["green_electricity"][0]["registry"] = "省绿证中心"
    data["credits"] = []
    import_dossier(orgs["org-b"], data, as_of=AS_OF)
    gec = Registry.objects.get(name="中国绿证")
    response = _add_alias(_admin(client), gec, "省绿证中心")
    assert response.status_code == 200
    assert "这些证书已分别以两个名称被申领" in response.content.decode()  # the admin is Chinese
    assert not RegistryAlias.objects.filter(key="省绿证中心").exists()
    assert SerialClaim.objects.filter(registry="省绿证中心").count() == 1


def test_an_alias_naming_another_registry_is_refused(client: Client, orgs: Any) -> None:
    gec = Registry.objects.get(name="中国绿证")
    response = _add_alias(_admin(client), gec, "Verra")
    assert response.status_code == 200
    assert "“Verra”已是" in response.content.decode()  # the admin speaks Chinese by default
