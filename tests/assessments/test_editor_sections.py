"""The editor's section service: a section replaced as a whole, checked in the inventory's
whole document, written all or nothing (its lines and their serial claims)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from emissions.models import CarbonCredit, Inventory, ReductionMeasure, Scope3Entry, SerialClaim
from emissions.services import records, sections
from emissions.services.changes import ChangeRejected
from emissions.services.inventory import AlreadyClaimed
from zerocarbon.errors import PermissionDenied

pytestmark = pytest.mark.django_db
CREDIT = {
    "instrument": "CCER",
    "registry": "全国温室气体自愿减排注册登记系统",
    "serial_from": "CCER-0009-2023-000001",
    "serial_to": "CCER-0009-2023-000010",
    "quantity_tco2e": "10",
    "kind": "avoidance",
}


@pytest.fixture
def inventory(demo: dict[str, Any], alice: User) -> Inventory:
    factory = demo["suzhou"].inventory.factory
    return records.create_inventory(alice, factory, {"year": 2022, "boundary": "II"})


def test_a_section_is_replaced_in_its_order_with_typed_values(
    inventory: Inventory, alice: User
) -> None:
    measures = [
        {
            "name": "空压机变频改造",
            "implemented_in": 2022,
            "reduction_tco2e": "320",
            "verified": True,
        },
        {"name": "LED", "implemented_in": 2021, "reduction_tco2e": "12.5", "verified": False},
    ]
    assert sections.replace_section(alice, inventory, "reduction_measures", measures) == 2
    assert sections.replace_section(alice, inventory, "reduction_measures", measures[1:]) == 1
    stored = ReductionMeasure.objects.get(inventory=inventory)
    assert (stored.name, stored.position, stored.verified) == ("LED", 0, False)
    scope3 = [{"category": 4, "source": "外购钢材", "tco2e": "420.5"}]
    sections.replace_section(alice, inventory, "scope3", scope3)
    assert Scope3Entry.objects.get(inventory=inventory).category == 4


def test_every_error_of_a_section_is_at_its_document_path_and_nothing_is_written(
    inventory: Inventory, alice: User
) -> None:
    sections.replace_section(alice, inventory, "credits", [CREDIT])
    wrong = [CREDIT, {**CREDIT, "serial_from": "CCER-0009-2023-000011", "quantity_tco2e": "x"}]
    with pytest.raises(ChangeRejected) as rejected:
        sections.replace_section(alice, inventory, "credits", wrong)
    paths = {error.path for error in rejected.value.errors}
    assert "/credits/1/quantity_tco2e" in paths
    assert all(path.startswith("/credits/1/") for path in paths)
    assert CarbonCredit.objects.filter(inventory=inventory).count() == 1


def test_a_range_claimed_elsewhere_refuses_the_save_and_keeps_the_lines_and_claims_there_were(
    demo: dict[str, Any], inventory: Inventory, alice: User
) -> None:
    sections.replace_section(alice, inventory, "credits", [CREDIT])
    taken = {**CREDIT, "serial_from": "CCER-0001-2023-000001", "serial_to": "CCER-0001-2023-000010"}
    with pytest.raises(AlreadyClaimed) as refused:
        sections.replace_section(alice, inventory, "credits", [CREDIT, taken])
    assert [error.path for error in refused.value.errors] == ["/credits/1/serial_from"]
    kept = CarbonCredit.objects.get(inventory=inventory)
    assert kept.serial_from == CREDIT["serial_from"]
    assert SerialClaim.objects.filter(credit=kept).count() == 1


def test_a_locked_inventory_refuses_a_save_even_when_the_page_saw_it_open(
    inventory: Inventory, alice: User
) -> None:
    records.lock_inventory(inventory.pk)  # a submission between the page and the save
    with pytest.raises(records.InventoryLocked):
        sections.replace_section(alice, inventory, "credits", [CREDIT])
    assert not CarbonCredit.objects.filter(inventory=inventory).exists()


def test_bob_may_not_replace_a_section(inventory: Inventory, bob: User) -> None:
    with pytest.raises(PermissionDenied):
        sections.replace_section(bob, inventory, "credits", [CREDIT])


def test_a_year_that_breaks_the_baseline_is_shown_with_a_link_to_the_baseline_field(
    inventory: Inventory, alice: User, alice_client: Client
) -> None:
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    production = {"baseline_year": 2021, "baseline_emissions_tco2e": "9800", "baseline_output": "1"}
    sections.save_fields(alice, inventory, "production", production)
    url = reverse("inventory-section", args=[inventory.pk, "header"])
    header = {"year": "2020", "boundary": "II", "gwp_set": "AR6", "grid_factor_scope": "national"}
    response = alice_client.post(url, header, headers={"HX-Request": "true"})
    assert response.status_code == 400
    [elsewhere] = response.context["elsewhere"]
    production_url = reverse("inventory-section", args=[inventory.pk, "production"])
    assert elsewhere["url"] == production_url + "#f-baseline_year"
    assert {s["key"]: s["errors"] for s in response.context["sections"]}["production"] == 1
    inventory.refresh_from_db()
    assert inventory.year == 2022
