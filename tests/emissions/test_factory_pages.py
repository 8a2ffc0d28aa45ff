"""The factory pages: the list (paginated, a fixed number of queries), create and edit through
the dossier's rules with every refusal at its field, the credit code checked as typed, and
the roles: bob reads, charlie sees nothing of org A."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emissions.identifiers import credit_code_check_character
from emissions.models import Factory, Inventory
from emissions.selectors import default_factor_set
from tests.conftest import logged_in
from zerocarbon.accounts.models import Membership, Organisation

pytestmark = pytest.mark.django_db

LIST = reverse("factory-list")
CREATE = reverse("factory-create")
CHECK = reverse("factory-check-code")


def credit_code(serial: int) -> str:
    first = f"91320594MC{serial:07d}"
    return first + credit_code_check_character(first)


def wrong_check_character(code: str) -> str:
    """The code with another character of the alphabet in place of its check character."""
    return code[:17] + ("1" if code[17] != "1" else "2")


def make_factories(organisation: Organisation, count: int, *, start: int = 0) -> list[Factory]:
    factories = Factory.objects.bulk_create(
        Factory(
            organisation=organisation,
            name=f"工厂 {n:04d}",
            name_en=f"Factory {n:04d}",
            credit_code=credit_code(n),
            province="江苏",
            grid_region="east",
        )
        for n in range(start, start + count)
    )
    factor_set = default_factor_set()
    Inventory.objects.bulk_create(
        Inventory(factory=f, year=y, boundary="I", factor_set=factor_set)
        for f in factories
        for y in (2023, 2024)
    )
    return factories


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "苏州示例工厂",
        "name_en": "Suzhou Example Works",
        "credit_code": credit_code(900),
        "province": "江苏",
        "industry": "C3130",
        "address": "",
    }
    return data | changes


def field_html(page: str, name: str) -> str:
    """The HTML of one field's block (label, input, help, errors)."""
    start = page.rindex('<div class="field', 0, page.index(f'id="f-{name}"'))
    return page[start : page.index("\n</div>", start)]


# The list


def test_the_factory_list_runs_the_same_queries_for_10_and_for_200_factories(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 10)
    with CaptureQueriesContext(connection) as with_10:
        assert alice_client.get(LIST).status_code == 200
    make_factories(orgs["org-a"], 190, start=10)
    with CaptureQueriesContext(connection) as with_200:
        assert alice_client.get(LIST).status_code == 200

    assert len(with_200) == len(with_10) <= 10


def test_the_factory_list_shows_25_factories_a_page_with_their_latest_year(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 30)

    first = english(alice_client).get(LIST).content.decode()
    second = alice_client.get(LIST + "?page=2").content.decode()

    assert first.count("<tr>") - 1 == 25  # the header row aside
    assert "Factory 0024" in first
    assert "Factory 0025" not in first
    assert second.count("<tr>") - 1 == 5
    assert "Factory 0029" in second
    assert "2024" in first
    assert "Jiangsu" in first
    assert 'href="?page=2"' in first


def test_the_factory_list_speaks_the_chosen_language(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 1)

    chinese = alice_client.get(LIST)
    in_english = english(alice_client).get(LIST)

    assert chinese.headers["Content-Language"] == "zh-hans"
    assert "江苏" in chinese.content.decode()
    assert "Jiangsu" not in chinese.content.decode()
    assert in_english.headers["Content-Language"] == "en"
    assert "Jiangsu" in in_english.content.decode()
    assert "New factory" in in_english.content.decode()


def test_charlie_sees_none_of_org_as_factories_in_the_list(
    orgs: dict[str, Organisation], charlie_client: Client
) -> None:
    make_factories(orgs["org-a"], 2)

    page = charlie_client.get(LIST).content.decode()

    assert "工厂 0000" not in page


# Create


def test_alice_creates_a_factory_and_lands_on_its_page(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    response = alice_client.post(CREATE, form_data(address="苏州工业园区 1 号"))

    factory = Factory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("factory-detail", args=[factory.pk])
    assert (factory.organisation, factory.name, factory.credit_code) == (
        orgs["org-a"],
        "苏州示例工厂",
        credit_code(900),
    )
    assert (factory.province, factory.grid_region, factory.industry) == ("江苏", "east", "C3130")
    assert factory.address == "苏州工业园区 1 号"


def test_a_wrong_check_character_is_shown_at_the_credit_code_field_and_nothing_is_saved(
    alice_client: Client,
) -> None:
    code = wrong_check_character(credit_code(900))

    response = english(alice_client).post(CREATE, form_data(credit_code=code))

    assert response.status_code == 200
    assert Factory.objects.count() == 0
    expected = credit_code(900)[17]
    message = f"credit code check digit expected '{expected}', got '{code[17]}'"
    assert response.context["form"].errors["credit_code"] == [message]
    field = field_html(response.content.decode(), "credit_code")
    assert "field error" in field
    assert "expected &#x27;" in field
    # What was typed is kept.
    assert f'value="{code}"' in field
    assert 'value="苏州示例工厂"' in response.content.decode()


def test_the_credit_code_error_speaks_chinese_on_a_chinese_page(alice_client: Client) -> None:
    code = wrong_check_character(credit_code(900))

    response = alice_client.post(CREATE, form_data(credit_code=code))

    assert "统一社会信用代码校验码应为" in response.context["form"].errors["credit_code"][0]


def test_a_credit_code_the_organisation_already_has_is_refused_at_the_field(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 1)

    response = english(alice_client).post(CREATE, form_data(credit_code=credit_code(0)))

    assert Factory.objects.count() == 1
    assert response.context["form"].errors["credit_code"] == [
        f"your organisation already has a factory with credit code {credit_code(0)}"
    ]


def test_a_missing_name_and_province_are_shown_at_their_fields(alice_client: Client) -> None:
    response = english(alice_client).post(CREATE, form_data(name="", province=""))

    errors = response.context["form"].errors
    assert set(errors) == {"name", "province"}
    assert Factory.objects.count() == 0


def test_the_province_is_chosen_from_the_provinces_the_factor_library_knows(
    alice_client: Client,
) -> None:
    page = english(alice_client).get(CREATE).content.decode()
    province = field_html(page, "province")

    assert province.count("<option") == 32  # 31 provinces and the empty choice
    assert '<option value="内蒙古">Inner Mongolia</option>' in province
    response = alice_client.post(CREATE, form_data(province="台北"))
    assert "province" in response.context["form"].errors


def test_the_credit_code_field_asks_for_its_check_as_it_is_typed(alice_client: Client) -> None:
    field = field_html(alice_client.get(CREATE).content.decode(), "credit_code")

    assert f'hx-get="{CHECK}"' in field
    assert 'hx-trigger="input changed delay:300ms"' in field
    assert 'hx-target="#credit-code-check"' in field
    assert 'id="credit-code-check"' in field


def test_someone_in_two_organisations_chooses_where_the_factory_goes(
    orgs: dict[str, Organisation], alice: User
) -> None:
    Membership.objects.create(user=alice, organisation=orgs["org-b"], role="consultant")
    client = logged_in(alice)

    assert 'name="organisation"' in client.get(CREATE).content.decode()
    response = client.post(CREATE, form_data(organisation=str(orgs["org-b"].pk)))

    assert response.status_code == 302
    assert Factory.objects.get().organisation == orgs["org-b"]


# The check as typed


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        (credit_code(900), "✓"),
        (
            wrong_check_character(credit_code(900)),
            f"credit code check digit expected &#x27;{credit_code(900)[17]}&#x27;",
        ),
        ("91320594MC00009", "credit code must have 18 characters, got 15"),
        ("91320594MI00009000", "character &#x27;I&#x27; at position 10"),
    ],
)
def test_the_check_as_typed_answers_valid_or_the_exact_problem(
    alice_client: Client, typed: str, answer: str
) -> None:
    response = english(alice_client).get(CHECK, {"credit_code": typed}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert answer in response.content.decode()
    assert "<html" not in response.content.decode()


def test_the_check_as_typed_answers_nothing_for_an_empty_field(alice_client: Client) -> None:
    assert alice_client.get(CHECK, {"credit_code": " "}).content.decode().strip() == ""


def test_the_check_as_typed_speaks_chinese_on_a_chinese_page(alice_client: Client) -> None:
    typed = wrong_check_character(credit_code(900))

    answer = alice_client.get(CHECK, {"credit_code": typed}).content.decode()

    assert "统一社会信用代码校验码应为" in answer


def test_the_check_as_typed_needs_a_login() -> None:
    assert Client().get(CHECK, {"credit_code": "x"}).status_code == 302


# Edit


def test_alice_edits_a_factory_and_every_field_is_kept_as_typed(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1)[0]
    url = reverse("factory-edit", args=[factory.pk])
    assert 'value="工厂 0000"' in alice_client.get(url).content.decode()

    response = alice_client.post(
        url, form_data(name="新名称", name_en="", credit_code=factory.credit_code, province="浙江")
    )

    factory.refresh_from_db()
    assert response.status_code == 302
    assert (factory.name, factory.name_en, factory.province, factory.grid_region) == (
        "新名称",
        "",
        "浙江",
        "east",
    )


def test_an_edit_with_a_wrong_check_character_changes_nothing(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1)[0]
    code = wrong_check_character(factory.credit_code)

    response = english(alice_client).post(
        reverse("factory-edit", args=[factory.pk]), form_data(name="新名称", credit_code=code)
    )

    assert "credit_code" in response.context["form"].errors
    factory.refresh_from_db()
    assert (factory.name, factory.credit_code) == ("工厂 0000", credit_code(0))


def test_a_factory_whose_inventory_is_locked_cannot_change_and_the_form_says_why(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1)[0]
    Inventory.objects.filter(factory=factory).update(status=Inventory.Status.LOCKED)

    response = english(alice_client).post(
        reverse("factory-edit", args=[factory.pk]),
        form_data(name="新名称", credit_code=factory.credit_code),
    )

    assert "is locked for evaluation or review" in str(response.context["form"].non_field_errors())
    factory.refresh_from_db()
    assert factory.name == "工厂 0000"


# Roles


@pytest.mark.parametrize("method", ["get", "post"])
def test_bob_gets_403_on_every_write_page_and_nothing_changes(
    orgs: dict[str, Organisation], bob_client: Client, method: str
) -> None:
    factory = make_factories(orgs["org-a"], 1)[0]
    send = getattr(bob_client, method)

    assert send(CREATE, form_data()).status_code == 403
    assert send(reverse("factory-edit", args=[factory.pk]), form_data()).status_code == 403
    assert Factory.objects.count() == 1
    assert Factory.objects.get().name == "工厂 0000"


def test_bob_sees_the_list_without_write_buttons(
    orgs: dict[str, Organisation], bob_client: Client
) -> None:
    make_factories(orgs["org-a"], 1)

    page = bob_client.get(LIST).content.decode()

    assert "工厂 0000" in page
    assert CREATE not in page
    assert "/edit/" not in page


def test_carol_may_not_create_a_factory(carol_client: Client) -> None:
    assert carol_client.get(CREATE).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_charlie_gets_404_for_editing_a_factory_of_org_a(
    orgs: dict[str, Organisation], charlie_client: Client, method: str
) -> None:
    factory = make_factories(orgs["org-a"], 1)[0]
    url = reverse("factory-edit", args=[factory.pk])

    response: Any = getattr(charlie_client, method)(url, form_data())

    assert response.status_code == 404
    assert Factory.objects.get().name == "工厂 0000"
