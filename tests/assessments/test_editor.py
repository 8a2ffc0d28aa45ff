"""The inventory editor in the browser: a new year of a factory with its draft assessment,
sections saved as a whole and checked by the dossier's rules (every error at its field,
nothing saved, nothing typed lost), the live panel told by HX-Trigger, and roles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from emissions.models import CarbonCredit, EnergyRecord, Factory, Inventory, Scope3Entry
from emissions.services import records
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
TENS = ["10"] * 12
SECTIONS = [
    "header",
    "energy",
    "process_emissions",
    "refrigerants",
    "scope3",
    "production",
    "reduction_measures",
    "green_electricity",
    "credits",
]


@pytest.fixture(autouse=True)
def _english_pages(request: pytest.FixtureRequest) -> None:
    """The personas' pages in English, as the expected messages are (Chinese is the default:
    see test_pages_speak_chinese_by_default)."""
    request.getfixturevalue("demo")  # it loads the personas again: first, or logins are lost
    for name in request.fixturenames:
        if name.endswith("_client"):
            request.getfixturevalue(name).cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def factory(demo: dict[str, Any]) -> Factory:
    factory: Factory = demo["suzhou"].inventory.factory
    return factory


def create(client: Client, factory: Factory, year: str = "2022", boundary: str = "II") -> Any:
    url = reverse("inventory-create", args=[factory.pk])
    body = {"year": year, "boundary": boundary, "gwp_set": "AR6", "grid_factor_scope": "national"}
    return client.post(url, body)


@pytest.fixture
def inventory(factory: Factory, alice_client: Client) -> Inventory:
    """A new inventory of 2022, type II, created through the page."""
    response = create(alice_client, factory)
    assert response.status_code == 302, response.content.decode()
    return Inventory.objects.get(factory=factory, year=2022)


def section_url(inventory: Inventory, section: str) -> str:
    return reverse("inventory-section", args=[inventory.pk, section])


def energy(
    index: int, carrier: str, quantity: str, unit: str, monthly: Sequence[str] = ()
) -> dict[str, str]:
    row = {f"r-{index}-carrier": carrier, f"r-{index}-quantity": quantity, f"r-{index}-unit": unit}
    row |= {f"r-{index}-monthly-{month}": value for month, value in enumerate(monthly)}
    return row


def save(client: Client, inventory: Inventory, section: str, rows: int, **fields: str) -> Any:
    body = {"rows": str(rows), "action": "save", **fields}
    return client.post(section_url(inventory, section), body, headers=HTMX)


def field_html(page: str, anchor: str) -> str:
    """The table cell (or month cell) holding the field with this id, with its errors."""
    start = page.index(f'id="{anchor}"')
    cell_start = max(page.rfind("<td", 0, start), page.rfind("<label", 0, start))
    end = min(i for i in (page.find("</td>", start), page.find("</label>", start)) if i != -1)
    return page[cell_start:end]


def test_alice_creates_an_inventory_and_its_draft_assessment_and_lands_in_the_editor(
    factory: Factory, alice_client: Client
) -> None:
    response = create(alice_client, factory)
    inventory = Inventory.objects.get(factory=factory, year=2022)
    assert response["Location"] == reverse("inventory-edit", args=[inventory.pk])
    assert (inventory.boundary, inventory.gwp_set, inventory.grid_factor_scope) == (
        "II",
        "AR6",
        "national",
    )
    assert Assessment.objects.get(inventory=inventory).status == Assessment.Status.DRAFT
    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    assert (
        reverse("assessment-panel", args=[inventory.assessments.get().pk]) in page.content.decode()
    )


def test_a_year_taken_is_refused_at_the_year_field_and_creates_nothing(
    factory: Factory, alice_client: Client
) -> None:
    response = create(alice_client, factory, year="2023")
    assert response.status_code == 409
    form = response.context["form"]
    assert form.errors["year"] == ["an inventory for 2023 exists already"]
    assert Inventory.objects.filter(factory=factory).count() == 1
    assert 'value="2023"' in response.content.decode()


def test_a_bad_year_is_refused_at_the_year_field_and_no_assessment_is_left_behind(
    factory: Factory, alice_client: Client
) -> None:
    response = create(alice_client, factory, year="20x2")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["year"]
    assert 'value="20x2"' in response.content.decode()
    assert Assessment.objects.filter(inventory__factory=factory).count() == 1


def test_alice_saves_energy_with_twelve_monthly_values_and_the_panel_is_told(
    inventory: Inventory, alice_client: Client
) -> None:
    response = save(
        alice_client, inventory, "energy", 1, **energy(0, "grid_electricity", "120", "MWh", TENS)
    )
    assert response.status_code == 200, response.content.decode()
    assert response["HX-Trigger"] == "inventory-changed"
    line = EnergyRecord.objects.get(inventory=inventory)
    assert (line.carrier, line.quantity, line.unit, line.monthly) == (
        "grid_electricity",
        120,
        "MWh",
        TENS,
    )
    page = response.content.decode()
    assert 'id="section-body"' in page  # the section alone
    assert "<html" not in page
    assert 'id="editor-nav"' in page
    assert 'hx-swap-oob="true"' in page
    assert response.context["saved"] is True


def test_a_unit_that_does_not_fit_is_shown_at_its_field_nothing_is_saved_and_nothing_typed_lost(
    inventory: Inventory, alice_client: Client
) -> None:
    rows = energy(0, "grid_electricity", "120", "MWh") | energy(
        1, "natural_gas", "120", "kWhh", TENS
    )
    response = save(alice_client, inventory, "energy", 2, **rows)
    assert response.status_code == 400
    assert "HX-Trigger" not in response
    assert not EnergyRecord.objects.filter(inventory=inventory).exists()
    page = response.content.decode()
    cell = field_html(page, "f-energy-1-unit")
    assert "kWhh" in cell
    assert "does not fit carrier" in cell
    assert 'aria-invalid="true"' in cell
    assert 'value="kWhh" selected' in cell  # the typed unit stays, though no option offers it
    assert 'value="120"' in field_html(page, "f-energy-1-quantity")
    assert 'value="10"' in field_html(page, "f-energy-1-monthly-11")
    assert 'value="120"' in field_html(page, "f-energy-0-quantity")
    assert "does not fit" not in field_html(page, "f-energy-0-unit")
    nav = {s["key"]: s["errors"] for s in response.context["sections"]}
    assert nav["energy"] == 1


def test_monthly_values_that_miss_the_quantity_are_shown_at_the_months_and_fixing_them_saves(
    inventory: Inventory, alice_client: Client
) -> None:
    wrong = energy(0, "grid_electricity", "130", "MWh", TENS)
    refused = save(alice_client, inventory, "energy", 1, **wrong)
    assert refused.status_code == 400
    page = refused.content.decode()
    months = page[page.index('id="f-energy-0-monthly"') : page.index("</details>")]
    assert "monthly values sum to 120, quantity is 130" in months
    assert " open" in months[: months.index(">")]
    assert not EnergyRecord.objects.filter(inventory=inventory).exists()
    fixed = save(alice_client, inventory, "energy", 1, **(wrong | {"r-0-quantity": "120"}))
    assert fixed.status_code == 200
    assert EnergyRecord.objects.get(inventory=inventory).quantity == 120


def test_a_bad_month_is_shown_at_that_month(inventory: Inventory, alice_client: Client) -> None:
    months = [*TENS[:3], "ten", *TENS[4:]]
    response = save(
        alice_client, inventory, "energy", 1, **energy(0, "grid_electricity", "120", "MWh", months)
    )
    assert response.status_code == 400
    cell = field_html(response.content.decode(), "f-energy-0-monthly-3")
    assert 'value="ten"' in cell
    assert 'aria-invalid="true"' in cell


def test_saving_without_javascript_redirects_back_and_a_refusal_shows_the_whole_page(
    inventory: Inventory, alice_client: Client
) -> None:
    url = section_url(inventory, "energy")
    body = {"rows": "1", "action": "save", **energy(0, "grid_electricity", "120", "MWh")}
    saved = alice_client.post(url, body)
    assert (saved.status_code, saved["Location"]) == (302, url)
    refused = alice_client.post(url, body | {"r-0-quantity": "-1"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "<html" in page
    assert "negative value -1" in field_html(page, "f-energy-0-quantity")
    assert EnergyRecord.objects.get(inventory=inventory).quantity == 120


def test_a_line_is_added_by_a_blank_row_and_removed_by_its_tick(
    inventory: Inventory, alice_client: Client
) -> None:
    two = energy(0, "grid_electricity", "120", "MWh") | energy(1, "diesel", "2", "t")
    assert (
        save(alice_client, inventory, "energy", 3, **two, **energy(2, "", "", "")).status_code
        == 200
    )
    assert list(
        EnergyRecord.objects.filter(inventory=inventory).values_list("carrier", flat=True)
    ) == [
        "grid_electricity",
        "diesel",
    ]
    assert (
        save(alice_client, inventory, "energy", 2, **two, **{"r-0-remove": "1"}).status_code == 200
    )
    assert list(
        EnergyRecord.objects.filter(inventory=inventory).values_list("carrier", flat=True)
    ) == ["diesel"]


def test_add_a_line_shows_one_more_row_and_saves_nothing(
    inventory: Inventory, alice_client: Client
) -> None:
    body = {"rows": "1", "action": "add", **energy(0, "grid_electricity", "120", "MWh")}
    response = alice_client.post(section_url(inventory, "energy"), body, headers=HTMX)
    assert response.status_code == 200
    assert len(response.context["table"]) == 2
    assert 'value="120"' in field_html(response.content.decode(), "f-energy-0-quantity")
    assert not EnergyRecord.objects.filter(inventory=inventory).exists()


def test_add_a_line_to_an_empty_section_shows_two_blank_rows(
    inventory: Inventory, alice_client: Client
) -> None:
    """The empty section shows one blank row; "add a line" before typing anything must still
    show one more, not swallow the blank one."""
    body = {"rows": "1", "action": "add", **energy(0, "", "", "")}
    response = alice_client.post(section_url(inventory, "energy"), body, headers=HTMX)
    assert response.status_code == 200
    assert len(response.context["table"]) == 2


def test_the_header_and_production_errors_are_at_their_fields(
    inventory: Inventory, alice_client: Client
) -> None:
    production = {
        "production_output": "1200",
        "production_unit": "台",
        "baseline_year": "2030",
        "baseline_emissions_tco2e": "9800",
        "baseline_output": "1000",
    }
    response = alice_client.post(section_url(inventory, "production"), production, headers=HTMX)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["baseline_year"]
    assert 'value="1200"' in response.content.decode()
    inventory.refresh_from_db()
    assert inventory.production_output is None
    saved = alice_client.post(
        section_url(inventory, "production"), production | {"baseline_year": "2020"}, headers=HTMX
    )
    assert saved.status_code == 200
    assert saved["HX-Trigger"] == "inventory-changed"
    stored = Inventory.objects.values_list("production_output", "baseline_year").get(
        pk=inventory.pk
    )
    assert stored == (1200, 2020)
    header = {"year": "2022", "boundary": "III", "gwp_set": "AR6", "grid_factor_scope": "national"}
    refused = alice_client.post(section_url(inventory, "header"), header, headers=HTMX)
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["boundary"]


def test_a_credit_range_claimed_by_another_inventory_is_refused_at_its_serial(
    demo: dict[str, Any], inventory: Inventory, alice_client: Client
) -> None:
    credit = {
        "r-0-instrument": "CCER",
        "r-0-registry": "全国温室气体自愿减排注册登记系统",
        "r-0-serial_from": "CCER-0001-2023-000001",
        "r-0-serial_to": "CCER-0001-2023-000010",
        "r-0-quantity_tco2e": "10",
        "r-0-kind": "avoidance",
    }
    response = save(alice_client, inventory, "credits", 1, **credit)
    assert response.status_code == 400
    assert "already claimed" in field_html(response.content.decode(), "f-credits-0-serial_from")
    assert not CarbonCredit.objects.filter(inventory=inventory).exists()
    fresh = credit | {
        "r-0-serial_from": "CCER-0009-2022-000001",
        "r-0-serial_to": "CCER-0009-2022-000010",
    }
    assert save(alice_client, inventory, "credits", 1, **fresh).status_code == 200
    assert CarbonCredit.objects.get(inventory=inventory).claim is not None


def test_saving_a_section_again_keeps_its_own_serial_claims(
    demo: dict[str, Any], alice_client: Client
) -> None:
    inventory = demo["suzhou"].inventory
    records.unlock_inventory(inventory.pk)
    page = alice_client.get(section_url(inventory, "credits"))
    rows = {c["name"]: c["value"] for row in page.context["table"] for c in row["cells"]}
    response = save(alice_client, inventory, "credits", len(page.context["table"]), **rows)
    assert response.status_code == 200, response.content.decode()
    assert CarbonCredit.objects.get(inventory=inventory).claim.start_key  # claimed again


def test_scope3_is_hidden_with_a_note_for_a_type_i_inventory(
    factory: Factory, alice_client: Client
) -> None:
    create(alice_client, factory, year="2021", boundary="I")
    inventory = Inventory.objects.get(factory=factory, year=2021)
    page = alice_client.get(section_url(inventory, "scope3"))
    assert page.context["hidden"] is True
    assert "r-0-category" not in page.content.decode()
    type_ii = Inventory.objects.filter(pk=inventory.pk)
    type_ii.update(boundary="II")
    assert (
        'name="r-0-category"' in alice_client.get(section_url(inventory, "scope3")).content.decode()
    )
    assert not Scope3Entry.objects.filter(inventory=inventory).exists()


def test_bob_sees_the_editor_read_only_and_his_save_is_forbidden(
    inventory: Inventory, bob_client: Client
) -> None:
    for section in SECTIONS:
        page = bob_client.get(section_url(inventory, section))
        assert page.status_code == 200
        html = page.content.decode()
        assert "<input name=" not in html
        assert "<select" not in html
        assert 'value="save"' not in html
        assert page.context["can_write"] is False
    body = {"rows": "1", "action": "save", **energy(0, "grid_electricity", "120", "MWh")}
    assert bob_client.post(section_url(inventory, "energy"), body, headers=HTMX).status_code == 403
    assert (
        bob_client.post(section_url(inventory, "energy"), body | {"action": "add"}).status_code
        == 403
    )
    assert create(bob_client, inventory.factory, year="2020").status_code == 403
    assert not EnergyRecord.objects.filter(inventory=inventory).exists()


@pytest.mark.parametrize("persona", ["charlie_client", "carol_client"])
def test_other_organisations_get_404_for_every_editor_page(
    persona: str, inventory: Inventory, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("inventory-edit", args=[inventory.pk])).status_code == 404
    assert client.get(section_url(inventory, "energy")).status_code == 404
    body = {"rows": "1", "action": "save", **energy(0, "grid_electricity", "120", "MWh")}
    assert client.post(section_url(inventory, "energy"), body).status_code == 404
    assert create(client, inventory.factory, year="2020").status_code == 404
    assert not EnergyRecord.objects.filter(inventory=inventory).exists()


def test_pages_speak_chinese_by_default(inventory: Inventory, bob: Any) -> None:
    client = logged_in(bob)
    page = client.get(section_url(inventory, "energy"))
    assert page.status_code == 200
    assert 'lang="zh-Hans"' in page.content.decode()


def test_an_unknown_section_is_404(inventory: Inventory, alice_client: Client) -> None:
    assert alice_client.get(section_url(inventory, "gates")).status_code == 404
    assert alice_client.get(section_url(inventory, "factory")).status_code == 404


def test_a_locked_inventory_is_read_only_with_a_new_version_button_and_refuses_a_save(
    inventory: Inventory, alice_client: Client
) -> None:
    records.lock_inventory(inventory.pk)
    page = alice_client.get(section_url(inventory, "energy"))
    html = page.content.decode()
    assessment = inventory.assessments.get()
    assert reverse("assessment-new-version", args=[assessment.pk]) in html
    assert "<input name=" not in html
    assert 'value="save"' not in html
    body = {"rows": "1", "action": "save", **energy(0, "grid_electricity", "120", "MWh")}
    refused = alice_client.post(section_url(inventory, "energy"), body, headers=HTMX)
    assert refused.status_code == 409
    assert "is locked" in refused.context["refusal"]
    assert 'role="alert"' in refused.content.decode()
    assert not EnergyRecord.objects.filter(inventory=inventory).exists()


@pytest.mark.parametrize("section", ["energy", "credits", "header"])
def test_the_editor_page_query_count_does_not_grow_with_the_lines(
    section: str,
    inventory: Inventory,
    alice_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    def lines(count: int) -> None:
        EnergyRecord.objects.filter(inventory=inventory).delete()
        EnergyRecord.objects.bulk_create(
            EnergyRecord(inventory=inventory, position=i, carrier="diesel", quantity=1, unit="t")
            for i in range(count)
        )

    lines(2)
    alice_client.get(section_url(inventory, section))  # caches warm
    with django_assert_max_num_queries(20) as few:
        alice_client.get(section_url(inventory, section))
    lines(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = alice_client.get(section_url(inventory, section))
    if section == "energy":
        assert len(response.context["table"]) == 61
