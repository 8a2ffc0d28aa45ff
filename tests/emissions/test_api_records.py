"""An inventory's lines written through the REST API: every write checked by the dossier's
rules in the inventory's document (errors at the fields of the body), quantities stored and
served exactly, serial ranges claimed across the platform as a dossier import claims them,
nothing changed while the inventory is under evaluation, and nothing seen by other tenants."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from assessments.models import Assessment
from emissions.models import CarbonCredit, EnergyRecord, GreenElectricityInstrument, SerialClaim
from tests.conftest import DEMO_DATA

pytestmark = pytest.mark.django_db
EXACT = "1234.567890123456"


def send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def errors(response: Any) -> dict[str, str]:
    return {e["path"]: e["message"] for e in response.json()["error"]["errors"]}


def credit(serial_from: str, serial_to: str, quantity: str, **extra: Any) -> dict[str, Any]:
    return {
        "instrument": "CCER",
        "registry": "全国温室气体自愿减排注册登记系统",
        "serial_from": serial_from,
        "serial_to": serial_to,
        "quantity_tco2e": quantity,
        "vintage": 2023,
        "kind": "avoidance",
        **extra,
    }


@pytest.fixture
def suzhou(demo: dict[str, Any]) -> Any:
    return demo["suzhou"].inventory


def test_an_energy_record_round_trips_exactly(suzhou: Any, alice_client: Client) -> None:
    body = {
        "inventory": suzhou.pk,
        "carrier": "grid_electricity",
        "quantity": EXACT,
        "unit": "MWh",
        "note": "  as given  ",
    }
    created = send(alice_client, "post", "/api/v1/energy-records/", body)
    assert created.status_code == 201, created.content
    assert f'"quantity":{EXACT}'.encode() in created.content
    record = created.json()
    assert (record["inventory"], record["position"]) == (suzhou.pk, 5)
    assert EnergyRecord.objects.get(pk=record["id"]).quantity == Decimal(EXACT)
    url = f"/api/v1/energy-records/{record['id']}/"
    read = alice_client.get(url)
    assert f'"quantity":{EXACT}'.encode() in read.content
    assert read.json()["note"] == "  as given  "
    # The inventory's dossier carries the new line, exactly.
    dossier = alice_client.get(f"/api/v1/inventories/{suzhou.pk}/dossier/").json()
    assert dossier["energy"][5] == {
        "carrier": "grid_electricity",
        "quantity": EXACT,
        "unit": "MWh",
        "note": "  as given  ",
    }
    assert alice_client.delete(url).status_code == 204
    assert alice_client.get(url).status_code == 404
    assert suzhou.energy.count() == 5


def test_monthly_values_are_served_as_exact_numbers(suzhou: Any, alice_client: Client) -> None:
    line = suzhou.energy.get(carrier="natural_gas")
    response = alice_client.get(f"/api/v1/energy-records/{line.pk}/")
    assert b'"monthly":[7.1,7,7.2,7,7.1,7,7.2,7.1,7,7.1,7.1,7.1]' in response.content


def test_a_record_is_checked_by_the_dossier_rules_at_the_fields_of_the_body(
    suzhou: Any, alice_client: Client
) -> None:
    body = {
        "inventory": suzhou.pk,
        "carrier": "natural_gas",
        "quantity": "12.5",
        "unit": "MWh",
        "monthly": ["1"] * 12,
        "quantiy": "1",
    }
    response = send(alice_client, "post", "/api/v1/energy-records/", body)
    assert response.status_code == 400
    assert set(errors(response)) == {"/quantiy"}
    del body["quantiy"]
    found = errors(send(alice_client, "post", "/api/v1/energy-records/", body))
    assert set(found) == {"/unit", "/monthly"}
    assert "does not fit carrier natural gas (natural_gas)" in found["/unit"]
    body |= {"quantity": "-1", "monthly": ["1"] * 11}
    found = errors(send(alice_client, "post", "/api/v1/energy-records/", body))
    assert set(found) == {"/quantity", "/unit", "/monthly"}
    assert "negative" in found["/quantity"]
    assert suzhou.energy.count() == 5


def test_a_record_names_its_inventory_and_keeps_it(suzhou: Any, alice_client: Client) -> None:
    body = {"carrier": "diesel", "quantity": "1", "unit": "t"}
    missing = send(alice_client, "post", "/api/v1/energy-records/", body)
    assert errors(missing) == {"/inventory": "missing required field 'inventory'"}
    for bad in ("1", True, 1.5, 10**20):
        response = send(alice_client, "post", "/api/v1/energy-records/", {**body, "inventory": bad})
        assert response.status_code == 400, bad
        assert set(errors(response)) == {"/inventory"}
    line = suzhou.energy.first()
    moved = send(alice_client, "patch", f"/api/v1/energy-records/{line.pk}/", {"inventory": 1})
    assert set(errors(moved)) == {"/inventory"}


def test_patch_changes_what_it_names_and_put_replaces_the_line(
    suzhou: Any, alice_client: Client
) -> None:
    line = suzhou.energy.get(carrier="natural_gas")
    url = f"/api/v1/energy-records/{line.pk}/"
    patched = send(alice_client, "patch", url, {"note": "metered"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["monthly"] is not None
    assert patched.json()["note"] == "metered"
    cleared = send(alice_client, "patch", url, {"monthly": None, "quantity": "86"})
    assert (cleared.json()["monthly"], cleared.json()["quantity"]) == (None, 86)
    replaced = send(alice_client, "put", url, {"carrier": "diesel", "quantity": "2", "unit": "t"})
    assert replaced.status_code == 200, replaced.content
    line.refresh_from_db()
    assert (line.carrier, line.quantity, line.note, line.position) == ("diesel", 2, "", 2)
    partial = send(alice_client, "put", url, {"carrier": "diesel"})
    assert set(errors(partial)) == {"/quantity", "/unit"}


def test_every_kind_of_line_is_written_through_its_resource(
    suzhou: Any, alice_client: Client
) -> None:
    cases: dict[str, dict[str, Any]] = {
        "process-emissions": {"gas": "CH4", "quantity": "0.5", "unit": "t", "source": "x"},
        "refrigerants": {"gas": "R-410A", "quantity": "3", "unit": "kg"},
        "scope3-entries": {"category": 4, "source": "钢材", "tco2e": EXACT},
        "reduction-measures": {"name": "LED", "implemented_in": 2022, "reduction_tco2e": "12"},
        "green-instruments": {
            "instrument": "GREEN_POWER",
            "contract_ref": "PPA-2023-9",
            "quantity_mwh": "500",
            "vintage": 2023,
        },
    }
    for resource, body in cases.items():
        url = f"/api/v1/{resource}/"
        created = send(alice_client, "post", url, {**body, "inventory": suzhou.pk})
        assert created.status_code == 201, (resource, created.content)
        listed = alice_client.get(f"{url}?inventory={suzhou.pk}").json()
        assert listed["results"][-1]["id"] == created.json()["id"], resource
    scope3 = alice_client.get(f"/api/v1/scope3-entries/?inventory={suzhou.pk}&limit=1&offset=2")
    assert f'"tco2e":{EXACT}'.encode() in scope3.content
    both = send(
        alice_client,
        "post",
        "/api/v1/scope3-entries/",
        {"inventory": suzhou.pk, "category": 3, "source": "x", "tco2e": "1", "quantity": "1"},
    )
    assert set(errors(both)) == {"/"}  # the entry as a whole: either tco2e or the product


def test_a_new_credit_claims_its_serials_across_the_platform(
    demo: dict[str, Any], suzhou: Any, alice_client: Client
) -> None:
    wuxi = demo["wuxi"].inventory
    taken = credit("CCER-0001-2023-001000", "CCER-0001-2023-001999", "1000")  # suzhou's
    response = send(alice_client, "post", "/api/v1/credits/", {**taken, "inventory": wuxi.pk})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "already_claimed"
    assert set(errors(response)) == {"/serial_from"}
    assert "already claimed on the platform" in errors(response)["/serial_from"]
    fresh = credit("ccer-0001-2023-001469 ", "CCER-0001-2023-001500", "32")
    created = send(alice_client, "post", "/api/v1/credits/", {**fresh, "inventory": wuxi.pk})
    assert created.status_code == 201, created.content
    claim = SerialClaim.objects.get(credit_id=created.json()["id"])
    assert (claim.prefix, claim.start_key[-4:], claim.end_key[-4:]) == (
        "ccer-0001-2023-",
        "1469",
        "1500",
    )


def test_an_overlap_inside_the_inventory_is_a_dossier_error(
    suzhou: Any, alice_client: Client
) -> None:
    inside = credit("CCER-0001-2023-000010", "CCER-0001-2023-000019", "10")
    response = send(alice_client, "post", "/api/v1/credits/", {**inside, "inventory": suzhou.pk})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "overlaps /credits/0" in errors(response)["/serial_from"]
    wrong_size = credit("X-1", "X-10", "9")
    response = send(
        alice_client, "post", "/api/v1/credits/", {**wrong_size, "inventory": suzhou.pk}
    )
    assert set(errors(response)) == {"/quantity_tco2e"}


def test_changing_or_deleting_a_credit_releases_its_range(
    demo: dict[str, Any], suzhou: Any, alice_client: Client
) -> None:
    wuxi = demo["wuxi"].inventory
    line = suzhou.credits.get()
    url = f"/api/v1/credits/{line.pk}/"
    old = credit("CCER-0001-2023-000001", "CCER-0001-2023-000100", "100")
    moved = send(
        alice_client,
        "patch",
        url,
        {"serial_from": "CCER-0009-2023-000001", "serial_to": "CCER-0009-2023-001468"},
    )
    assert moved.status_code == 200, moved.content
    assert SerialClaim.objects.get(credit=line).prefix == "ccer-0009-2023-"
    reused = send(alice_client, "post", "/api/v1/credits/", {**old, "inventory": wuxi.pk})
    assert reused.status_code == 201, reused.content
    back = send(alice_client, "patch", url, {"serial_from": "CCER-0001-2023-000001"})
    assert back.status_code == 400  # the prefixes now differ: a reading error
    clash = send(
        alice_client,
        "patch",
        url,
        {"serial_from": "CCER-0001-2023-000001", "serial_to": "CCER-0001-2023-001468"},
    )
    assert clash.json()["error"]["code"] == "already_claimed"
    assert SerialClaim.objects.get(credit=line).prefix == "ccer-0009-2023-"  # unchanged
    assert alice_client.delete(f"/api/v1/credits/{reused.json()['id']}/").status_code == 204
    again = send(
        alice_client,
        "patch",
        url,
        {"serial_from": "CCER-0001-2023-000001", "serial_to": "CCER-0001-2023-001468"},
    )
    assert again.status_code == 200, again.content


def test_a_green_certificate_range_is_claimed_like_a_credit(
    demo: dict[str, Any], alice_client: Client
) -> None:
    wuxi = demo["wuxi"].inventory
    body = {
        "inventory": wuxi.pk,
        "instrument": "GEC",
        "registry": "中国绿证",
        "serial_from": "GEC2023000100001",  # suzhou's
        "serial_to": "GEC2023000100010",
        "quantity_mwh": "10",
    }
    response = send(alice_client, "post", "/api/v1/green-instruments/", body)
    assert response.json()["error"]["code"] == "already_claimed"
    assert GreenElectricityInstrument.objects.filter(inventory=wuxi).count() == 1


def test_the_same_claim_as_a_dossier_import_refuses_it(
    suzhou: Any, alice_client: Client, charlie_client: Client
) -> None:
    """A range claimed through the API is refused to a dossier, as the reverse is."""
    line = suzhou.credits.get()
    send(alice_client, "delete", f"/api/v1/credits/{line.pk}/", {})
    body = credit("CCER-0001-2023-000001", "CCER-0001-2023-001468", "1468")
    created = send(alice_client, "post", "/api/v1/credits/", {**body, "inventory": suzhou.pk})
    assert created.status_code == 201, created.content
    dossier = json.loads((DEMO_DATA / "demo-dossier.json").read_text(encoding="utf-8"))
    dossier["factory"]["credit_code"] = "91320594MA1EXAMPL2"
    imported = send(charlie_client, "post", "/api/v1/dossiers/?organisation=org-b", dossier)
    assert imported.status_code == 400
    assert "/credits/0/serial_from" in errors(imported)


def test_nothing_changes_while_the_inventory_is_under_evaluation(
    demo: dict[str, Any], suzhou: Any, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assessment: Assessment = demo["suzhou"]
    with django_capture_on_commit_callbacks(execute=True):
        submitted = send(alice_client, "post", f"/api/v1/assessments/{assessment.pk}/submit/", {})
    assert submitted.status_code == 202
    suzhou.refresh_from_db()
    assert suzhou.status == "locked"
    line = suzhou.energy.first()
    body = {"inventory": suzhou.pk, "carrier": "diesel", "quantity": "1", "unit": "t"}
    for response in (
        send(alice_client, "post", "/api/v1/energy-records/", body),
        send(alice_client, "patch", f"/api/v1/energy-records/{line.pk}/", {"quantity": "1"}),
        alice_client.delete(f"/api/v1/energy-records/{line.pk}/"),
    ):
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "locked"
        assert "under evaluation or review" in error["message"]
    assert suzhou.energy.count() == 5
    reopened = send(alice_client, "post", f"/api/v1/assessments/{assessment.pk}/reopen/", {})
    assert reopened.status_code == 200, reopened.content
    assert send(alice_client, "post", "/api/v1/energy-records/", body).status_code == 201


def test_bob_reads_lines_but_may_not_write_them(suzhou: Any, bob_client: Client) -> None:
    line = suzhou.credits.get()
    url = f"/api/v1/credits/{line.pk}/"
    assert bob_client.get(url).status_code == 200
    body = credit("Z-1", "Z-1", "1", inventory=suzhou.pk)
    assert send(bob_client, "post", "/api/v1/credits/", body).status_code == 403
    assert send(bob_client, "patch", url, {"beneficiary": "x"}).status_code == 403
    assert bob_client.delete(url).status_code == 403
    assert CarbonCredit.objects.filter(pk=line.pk).exists()


def test_charlie_gets_404_for_alices_lines(suzhou: Any, charlie_client: Client) -> None:
    line = suzhou.energy.first()
    url = f"/api/v1/energy-records/{line.pk}/"
    assert charlie_client.get(url).status_code == 404
    assert send(charlie_client, "patch", url, {"quantity": "1"}).status_code == 404
    assert send(charlie_client, "put", url, {"quantity": "1"}).status_code == 404
    assert charlie_client.delete(url).status_code == 404
    body = {"inventory": suzhou.pk, "carrier": "diesel", "quantity": "1", "unit": "t"}
    response = send(charlie_client, "post", "/api/v1/energy-records/", body)
    assert response.status_code == 404
    assert charlie_client.get(f"/api/v1/energy-records/?inventory={suzhou.pk}").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert suzhou.energy.count() == 5


def test_lines_are_filtered_by_inventory(
    demo: dict[str, Any], suzhou: Any, alice_client: Client
) -> None:
    everything = alice_client.get("/api/v1/energy-records/").json()
    assert everything["count"] == suzhou.energy.count() + demo["wuxi"].inventory.energy.count()
    mine = alice_client.get(f"/api/v1/energy-records/?inventory={suzhou.pk}").json()
    assert [row["position"] for row in mine["results"]] == [0, 1, 2, 3, 4]
    bad = alice_client.get("/api/v1/credits/?inventory=abc")
    assert bad.status_code == 400
    assert errors(bad) == {"inventory": "Enter a whole number."}


def test_a_list_of_lines_stays_within_a_query_budget(
    suzhou: Any, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    EnergyRecord.objects.bulk_create(
        EnergyRecord(
            inventory=suzhou,
            position=10 + n,
            carrier="diesel",
            quantity=Decimal(n),
            unit="t",
            monthly=["1"] * 12,
        )
        for n in range(30)
    )
    with django_assert_max_num_queries(6):
        response = alice_client.get(f"/api/v1/energy-records/?inventory={suzhou.pk}")
    assert response.json()["count"] == 35
