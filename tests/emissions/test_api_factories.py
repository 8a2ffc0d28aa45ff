"""Factories and inventories written through the REST API: created, read and changed by
consultants, checked by the dossier's rules, refused to viewers (403) and invisible to other
organisations (404), filtered and paginated with every bad parameter named."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Assessment
from emissions.identifiers import credit_code_check_character
from emissions.models import Factory, Inventory
from tests.conftest import logged_in
from zerocarbon.accounts.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def credit_code(serial: int) -> str:
    first = f"91320594MA{serial:07d}"
    return first + credit_code_check_character(first)


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def put(client: Client, url: str, body: Any) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


def errors(response: Any) -> dict[str, str]:
    return {e["path"]: e["message"] for e in response.json()["error"]["errors"]}


FACTORY = {"name": "测试工厂", "credit_code": credit_code(1), "province": "江苏省"}


@pytest.fixture
def factory(orgs: Any, alice_client: Client) -> dict[str, Any]:
    response = post(alice_client, "/api/v1/factories/", FACTORY)
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def inventory(factory: dict[str, Any], alice_client: Client) -> dict[str, Any]:
    body = {"factory": factory["id"], "year": 2024, "boundary": "II"}
    response = post(alice_client, "/api/v1/inventories/", body)
    assert response.status_code == 201, response.content
    created: dict[str, Any] = response.json()
    return created


# Factories


def test_alice_creates_a_factory_in_her_organisation_with_its_grid_region(
    factory: dict[str, Any],
) -> None:
    assert factory["organisation"] == "org-a"
    assert factory["province"] == "江苏"  # as a dossier's province is stored
    assert factory["grid_region"] == "east"
    stored = Factory.objects.get(pk=factory["id"])
    assert (stored.name, stored.credit_code) == ("测试工厂", credit_code(1))


def test_a_factory_is_checked_by_the_dossier_rules_at_the_fields_of_the_body(
    orgs: Any, alice_client: Client
) -> None:
    body = {"name": "", "credit_code": "91320594MA1EXAMPL3", "province": "Atlantis", "x": 1}
    response = post(alice_client, "/api/v1/factories/", body)
    assert response.status_code == 400
    assert "unknown key" in errors(response)["/x"]
    body.pop("x")
    found = errors(post(alice_client, "/api/v1/factories/", body))
    assert set(found) == {"/name", "/credit_code", "/province"}
    assert "check digit" in found["/credit_code"]
    assert Factory.objects.count() == 0


def test_a_missing_required_field_is_named(orgs: Any, alice_client: Client) -> None:
    response = post(alice_client, "/api/v1/factories/", {"name": "x", "province": "江苏"})
    assert response.status_code == 400
    assert errors(response) == {"/credit_code": "missing required field 'credit_code'"}


def test_a_credit_code_is_unique_in_an_organisation(
    factory: dict[str, Any], alice_client: Client, charlie_client: Client
) -> None:
    again = post(alice_client, "/api/v1/factories/", FACTORY)
    assert again.status_code == 409
    assert set(errors(again)) == {"/credit_code"}
    assert post(charlie_client, "/api/v1/factories/", FACTORY).status_code == 201


def test_alice_changes_a_factory_with_patch_and_put(
    factory: dict[str, Any], alice_client: Client
) -> None:
    url = f"/api/v1/factories/{factory['id']}/"
    changed = patch(alice_client, url, {"province": "广东", "address": "深圳"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["grid_region"], changed.json()["name"]) == ("south", "测试工厂")
    # What was read may be sent back: the fields only shown are ignored.
    replaced = put(alice_client, url, {**changed.json(), "name": "新名称", "address": None})
    assert replaced.status_code == 200, replaced.content
    assert (replaced.json()["name"], replaced.json()["address"]) == ("新名称", "")
    moved = patch(alice_client, url, {"organisation": "org-b"})
    assert moved.status_code == 400
    assert set(errors(moved)) == {"/organisation"}


def test_bob_the_viewer_may_not_create_or_change_a_factory(
    factory: dict[str, Any], bob_client: Client
) -> None:
    assert post(bob_client, "/api/v1/factories/", FACTORY).status_code == 403
    response = patch(bob_client, f"/api/v1/factories/{factory['id']}/", {"name": "x"})
    assert response.status_code == 403
    assert "viewer" in response.json()["error"]["message"]


def test_charlie_gets_404_for_alices_factory(
    factory: dict[str, Any], charlie_client: Client
) -> None:
    url = f"/api/v1/factories/{factory['id']}/"
    assert charlie_client.get(url).status_code == 404
    assert patch(charlie_client, url, {"name": "x"}).status_code == 404
    assert put(charlie_client, url, FACTORY).status_code == 404
    body = {**FACTORY, "organisation": "org-a"}
    assert post(charlie_client, "/api/v1/factories/", body).status_code == 404
    assert Factory.objects.get(pk=factory["id"]).name == "测试工厂"


def test_someone_in_several_organisations_names_the_organisation(
    orgs: dict[str, Organisation], alice: User
) -> None:
    Membership.objects.create(user=alice, organisation=orgs["org-b"], role="consultant")
    client = logged_in(alice)
    response = post(client, "/api/v1/factories/", FACTORY)
    assert response.status_code == 400
    assert set(errors(response)) == {"/organisation"}
    named = post(client, "/api/v1/factories/", {**FACTORY, "organisation": "org-b"})
    assert named.status_code == 201
    assert named.json()["organisation"] == "org-b"
    bad = post(client, "/api/v1/factories/", {**FACTORY, "organisation": "org b\u0000"})
    assert bad.status_code == 400


# Inventories


def test_an_inventory_stores_its_quantities_exactly(
    factory: dict[str, Any], alice_client: Client
) -> None:
    body = {
        "factory": factory["id"],
        "year": 2024,
        "boundary": "I",
        "gwp_set": "AR5",
        "production_output": "1234.567890123456",
        "production_unit": "t",
        "baseline_year": 2020,
        "baseline_emissions_tco2e": "EMISSIONS",
        "baseline_output": "0.000000000001",
    }
    # A JSON number with 30 significant digits, which no float holds.
    text = json.dumps(body).replace('"EMISSIONS"', "999999999999999999.999999999999")
    response = alice_client.post("/api/v1/inventories/", text, content_type="application/json")
    assert response.status_code == 201, response.content
    assert b'"production_output":1234.567890123456' in response.content
    assert b'"baseline_emissions_tco2e":999999999999999999.999999999999' in response.content
    assert b'"baseline_output":0.000000000001' in response.content
    stored = Inventory.objects.get(pk=response.json()["id"])
    assert stored.production_output == Decimal("1234.567890123456")
    assert stored.factor_set.version == "CN-2025.1"
    assert (stored.status, stored.gwp_set) == ("draft", "AR5")
    read = alice_client.get(f"/api/v1/inventories/{stored.pk}/")
    assert b'"production_output":1234.567890123456' in read.content


def test_an_inventory_is_checked_by_the_dossier_rules(
    factory: dict[str, Any], alice_client: Client
) -> None:
    body = {
        "factory": factory["id"],
        "year": 2024,
        "boundary": "III",
        "production_unit": "t",
        "baseline_year": 2025,
        "baseline_emissions_tco2e": "-1",
        "baseline_output": "1",
    }
    found = errors(post(alice_client, "/api/v1/inventories/", body))
    assert set(found) == {
        "/boundary",
        "/production_output",
        "/baseline_year",
        "/baseline_emissions_tco2e",
    }
    body |= {"boundary": "I", "production_output": "1", "baseline_emissions_tco2e": "1"}
    found = errors(post(alice_client, "/api/v1/inventories/", body))
    assert found == {"/baseline_year": "year 2025 is after the dossier's year 2024"}
    assert Inventory.objects.count() == 0
    missing = post(alice_client, "/api/v1/inventories/", {"year": 2024, "boundary": "I"})
    assert errors(missing) == {"/factory": "missing required field 'factory'"}


def test_a_factory_has_one_inventory_a_year(
    inventory: dict[str, Any], alice_client: Client
) -> None:
    body = {"factory": inventory["factory"]["id"], "year": 2024, "boundary": "I"}
    response = post(alice_client, "/api/v1/inventories/", body)
    assert response.status_code == 409
    assert set(errors(response)) == {"/year"}


def test_alice_changes_and_deletes_an_inventory(
    inventory: dict[str, Any], alice_client: Client
) -> None:
    url = f"/api/v1/inventories/{inventory['id']}/"
    changed = patch(alice_client, url, {"year": 2023, "production_output": "5.50"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["year"], changed.json()["boundary"]) == (2023, "II")
    assert b'"production_output":5.5' in changed.content
    cleared = patch(alice_client, url, {"production_output": None, "production_unit": None})
    assert cleared.json()["production_output"] is None
    moved = patch(alice_client, url, {"factory": inventory["factory"]["id"] + 1})
    assert set(errors(moved)) == {"/factory"}
    assert alice_client.delete(url).status_code == 204
    assert not Inventory.objects.filter(pk=inventory["id"]).exists()


def test_an_inventory_used_by_an_assessment_is_not_deleted(
    demo: dict[str, Any], alice_client: Client
) -> None:
    inventory = demo["suzhou"].inventory
    response = alice_client.delete(f"/api/v1/inventories/{inventory.pk}/")
    assert response.status_code == 409
    assert "assessment" in response.json()["error"]["message"]
    assert Inventory.objects.filter(pk=inventory.pk).exists()


def test_a_locked_inventory_and_its_factory_do_not_change(
    demo: dict[str, Any], alice_client: Client
) -> None:
    inventory = demo["suzhou"].inventory
    Inventory.objects.filter(pk=inventory.pk).update(status="locked")
    for response in (
        patch(alice_client, f"/api/v1/inventories/{inventory.pk}/", {"year": 2023}),
        alice_client.delete(f"/api/v1/inventories/{inventory.pk}/"),
        patch(alice_client, f"/api/v1/factories/{inventory.factory_id}/", {"name": "x"}),
    ):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "locked"
    inventory.refresh_from_db()
    assert (inventory.year, inventory.factory.name) == (2023, "示例精密制造（苏州）有限公司")


def test_a_change_is_checked_in_the_whole_inventory(
    demo: dict[str, Any], alice_client: Client
) -> None:
    inventory = demo["suzhou"].inventory  # 2023, baseline 2020
    response = patch(alice_client, f"/api/v1/inventories/{inventory.pk}/", {"year": 2019})
    assert response.status_code == 400
    assert errors(response) == {"/baseline_year": "year 2020 is after the dossier's year 2019"}
    inventory.refresh_from_db()
    assert inventory.year == 2023


def test_bob_and_charlie_may_not_write_inventories(
    inventory: dict[str, Any], bob_client: Client, charlie_client: Client
) -> None:
    url = f"/api/v1/inventories/{inventory['id']}/"
    body = {"factory": inventory["factory"]["id"], "year": 2023, "boundary": "I"}
    assert post(bob_client, "/api/v1/inventories/", body).status_code == 403
    assert patch(bob_client, url, {"year": 2023}).status_code == 403
    assert bob_client.delete(url).status_code == 403
    assert post(charlie_client, "/api/v1/inventories/", body).status_code == 404
    assert patch(charlie_client, url, {"year": 2023}).status_code == 404
    assert charlie_client.delete(url).status_code == 404
    assert Inventory.objects.get().year == 2024


# Filters and pagination


def test_factories_are_filtered_by_province_region_code_and_name(
    demo: dict[str, Any], factory: dict[str, Any], alice_client: Client
) -> None:
    patch(alice_client, f"/api/v1/factories/{factory['id']}/", {"province": "广东"})

    def names(query: str) -> set[str]:
        response = alice_client.get(f"/api/v1/factories/?{query}")
        assert response.status_code == 200, response.content
        return {row["name"] for row in response.json()["results"]}

    assert names("province=广东省") == {"测试工厂"}
    assert names("province=32") == {"示例精密制造（苏州）有限公司", "示例精密制造（无锡）有限公司"}
    assert names("grid_region=south") == {"测试工厂"}
    assert names("credit_code=91320214MA1WXJM00Y") == {"示例精密制造（无锡）有限公司"}
    assert names("name=无锡") == {"示例精密制造（无锡）有限公司"}


def test_inventories_are_filtered_by_factory_year_boundary_and_status(
    demo: dict[str, Any], alice_client: Client
) -> None:
    suzhou = demo["suzhou"].inventory
    Inventory.objects.filter(pk=suzhou.pk).update(status="locked")

    def ids(query: str) -> set[int]:
        response = alice_client.get(f"/api/v1/inventories/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"factory={suzhou.factory_id}") == {suzhou.pk}
    assert ids("year=2023&boundary=I&status=locked") == {suzhou.pk}
    assert ids("status=draft") == {demo["wuxi"].inventory_id}
    assert ids("year=1999") == set()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("year=abc", "year"),
        ("year=99999999999999999999", "year"),
        ("factory=0", "factory"),
        ("factory=1234567890123456789", "factory"),
        ("boundary=III", "boundary"),
        ("status=open", "status"),
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_a_bad_filter_or_page_is_a_400_naming_the_parameter(
    orgs: Any, alice_client: Client, query: str, parameter: str
) -> None:
    response = alice_client.get(f"/api/v1/inventories/?{query}")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert [e["path"] for e in error["errors"]] == [parameter]


def test_an_unknown_province_filter_is_a_400_naming_it(orgs: Any, alice_client: Client) -> None:
    response = alice_client.get("/api/v1/factories/?province=Atlantis")
    assert response.status_code == 400
    assert set(errors(response)) == {"province"}
    assert alice_client.get("/api/v1/factories/?grid_region=moon").status_code == 400


def test_pages_hold_at_most_500_rows_and_end_quietly(
    factory: dict[str, Any], alice_client: Client
) -> None:
    big = alice_client.get("/api/v1/factories/?limit=100000000000000000000000")
    assert big.status_code == 200
    assert big.json()["count"] == 1
    past = alice_client.get("/api/v1/factories/?offset=1000000000000000000000000")
    assert (past.status_code, past.json()["results"]) == (200, [])


def test_lists_of_factories_and_inventories_stay_within_a_query_budget(
    orgs: dict[str, Organisation], alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    factories = Factory.objects.bulk_create(
        Factory(
            organisation=orgs["org-a"],
            name=f"工厂 {n}",
            credit_code=credit_code(n),
            province="江苏",
            grid_region="east",
        )
        for n in range(30)
    )
    from emissions.selectors import default_factor_set

    factor_set = default_factor_set()
    Inventory.objects.bulk_create(
        Inventory(factory=f, year=2024, boundary="I", factor_set=factor_set) for f in factories
    )
    for url in ("/api/v1/factories/", "/api/v1/inventories/?year=2024"):
        with django_assert_max_num_queries(8):
            response = alice_client.get(url)
        assert response.json()["count"] == 30, url
    assert Assessment.objects.count() == 0
