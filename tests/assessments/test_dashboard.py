"""The dashboard and a factory's page: one row per factory with its latest year, status,
level, score and emissions trend, what needs attention, a fixed number of queries however
many factories there are, and each persona seeing only what is theirs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Evaluation, Rubric
from emissions.identifiers import credit_code_check_character
from emissions.models import Factory, Inventory
from emissions.selectors import default_factor_set
from tests.conftest import logged_in
from zerocarbon.accounts.models import Membership, Organisation

pytestmark = pytest.mark.django_db

HOME = "/"
# A column the rows never show: loading it for a list would be the bug the issue describes.
WHOLE_JSON = re.compile(r'"(inputs|factor_values)"|"result"(?!\s*(->|#>))')


def credit_code(serial: int) -> str:
    first = f"91320594MB{serial:07d}"
    return first + credit_code_check_character(first)


def make_factories(
    organisation: Organisation, count: int, *, start: int = 0, years: Iterable[int] = (2023, 2024)
) -> list[Factory]:
    """`count` factories named Factory 0000…, each with an evaluated inventory a year."""
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
    inventories = Inventory.objects.bulk_create(
        Inventory(factory=f, year=y, boundary="I", factor_set=factor_set)
        for f in factories
        for y in years
    )
    rubric = Rubric.objects.get()
    assessments = Assessment.objects.bulk_create(
        Assessment(inventory=i, rubric=rubric, status=Assessment.Status.EVALUATED)
        for i in inventories
    )
    Evaluation.objects.bulk_create(
        evaluation(a, total=Decimal(1000 + a.inventory.year)) for a in assessments
    )
    return factories


def evaluation(
    assessment: Assessment,
    *,
    total: Decimal,
    level: int | None = 4,
    next_level: int | None = 5,
    sha: str = "a",
) -> Evaluation:
    result = {
        "emissions": {"boundary_total": total},
        "next_level": None if next_level is None else {"level": next_level, "unmet": [{}]},
        "padding": "x" * 1000,
    }
    return Evaluation(
        assessment=assessment,
        as_of=date(2025, 3, 1),
        rubric_code="T/CECA-G 0171-2022",
        rubric_edition="2022",
        factor_set_version="CN-2025.1",
        gwp_set="AR6",
        code_version="test",
        inputs={"dossier": {"padding": "x" * 1000}},
        result=result,
        factor_values={"padding": "x" * 1000},
        input_sha256=sha * 64,
        sha256=sha * 64,
        total_score=Decimal("81.50"),
        star_level=level,
        zero_carbon=False,
    )


def get(client: Client, url: str, *, english: bool = False) -> Any:
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response


def queries_of(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return [query["sql"] for query in captured.captured_queries]


def test_the_dashboard_runs_the_same_queries_for_10_and_for_200_factories(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 10)
    with_10 = queries_of(alice_client, HOME)
    make_factories(orgs["org-a"], 190, start=10)
    with_200 = queries_of(alice_client, HOME)

    assert len(with_200) == len(with_10)
    assert len(with_200) <= 16


@pytest.mark.postgres  # the SQL of a JSON key differs on SQLite
def test_the_dashboard_never_loads_the_evaluations_json_it_does_not_show(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 3)

    evaluation_queries = [sql for sql in queries_of(alice_client, HOME) if "evaluation" in sql]

    assert evaluation_queries
    assert [sql for sql in evaluation_queries if WHOLE_JSON.search(sql)] == []


def test_the_dashboard_shows_only_the_rows_of_its_page(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 200)

    first = get(alice_client, HOME).content.decode()
    last = get(alice_client, HOME + "?page=8").content.decode()

    assert first.count('<td class="spark">') == 25
    assert "工厂 0024" in first
    assert "工厂 0025" not in first
    assert "工厂 0199" not in first
    assert last.count('<td class="spark">') == 25
    assert "工厂 0199" in last
    assert "工厂 0174" not in last
    assert 'href="?page=8"' in first


def test_a_row_shows_the_latest_year_its_level_score_and_a_trend_over_the_years(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 1, years=(2022, 2023, 2024))

    page = get(alice_client, HOME, english=True).content.decode()
    row = page[page.index("<tbody>") : page.index("</tbody>")]

    assert "Factory 0000" in row
    assert "2024" in row
    assert "★★★★" in row
    assert "81.50" in row
    assert "Evaluated" in row
    assert row.count("<svg") == 1
    assert "2022: 3,022; 2023: 3,023; 2024: 3,024" in row  # the trend's label, tCO2e


def test_a_year_without_an_evaluation_leaves_a_gap_in_the_trend_not_a_zero(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1, years=(2021, 2023))[0]
    Inventory.objects.create(
        factory=factory, year=2022, boundary="I", factor_set=default_factor_set()
    )

    row = get(alice_client, HOME, english=True).context["rows"][0]

    assert "2021: 3,021; 2023: 3,023" in row.trend
    assert "2022:" not in row.trend
    assert row.latest.year == 2023
    assert row.rated.year == 2023


def attention_of(client: Client) -> str:
    page: str = get(client, HOME, english=True).content.decode()
    if 'class="attention-list"' not in page:
        return ""
    return page[
        page.index('class="attention-list"') : page.index("</ul>", page.index("attention-list"))
    ]


def test_what_needs_attention_links_each_item_to_where_to_act(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    failed, draft, bare, short = make_factories(orgs["org-a"], 4, years=(2024,))
    failed_assessment = Assessment.objects.get(inventory__factory=failed)
    Assessment.objects.filter(pk=failed_assessment.pk).update(status=Assessment.Status.FAILED)
    Assessment.objects.filter(inventory__factory=draft).update(status=Assessment.Status.DRAFT)
    bare_inventory = Inventory.objects.create(
        factory=bare, year=2025, boundary="I", factor_set=default_factor_set()
    )
    short_inventory = Inventory.objects.get(factory=short)

    listed = attention_of(alice_client)

    assert "Evaluation failed" in listed
    assert reverse("assessment-detail", args=[failed_assessment.pk]) in listed
    assert "Draft not yet submitted" in listed
    assert reverse("inventory-edit", args=[Inventory.objects.get(factory=draft).pk]) in listed
    assert "Inventory without an assessment" in listed
    assert reverse("inventory-edit", args=[bare_inventory.pk]) in listed
    assert "Short of level 5" in listed
    assert reverse("inventory-edit", args=[short_inventory.pk]) in listed
    # Most urgent first.
    assert listed.index("Evaluation failed") < listed.index("Draft not yet submitted")
    assert listed.index("Draft not yet") < listed.index("without an assessment")
    assert listed.index("without an assessment") < listed.index("Short of level")


def test_shortfalls_of_a_factorys_earlier_years_need_no_attention(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1, years=(2023, 2024))[0]
    latest = Evaluation.objects.get(
        assessment__inventory__factory=factory, assessment__inventory__year=2024
    )
    Evaluation.objects.filter(pk=latest.pk).delete()
    Evaluation.objects.bulk_create(
        [evaluation(latest.assessment, total=Decimal(1), level=6, next_level=None, sha="b")]
    )

    assert attention_of(alice_client) == ""


def test_attention_shows_at_most_ten_items_and_says_how_many_more_wait(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 13, years=(2024,))

    listed = attention_of(alice_client)
    page = get(alice_client, HOME, english=True).content.decode()

    assert listed.count("<li") == 10
    assert "3 more items wait after these." in page


def test_a_new_consultant_sees_a_call_to_create_a_factory_or_import_a_dossier(
    charlie_client: Client,
) -> None:
    page = get(charlie_client, HOME, english=True).content.decode()

    assert "No factories yet" in page
    assert reverse("factory-create") in page
    assert reverse("dossier-upload") in page


def test_charlie_sees_nothing_of_org_a_on_his_dashboard(
    orgs: dict[str, Organisation], charlie_client: Client
) -> None:
    make_factories(orgs["org-a"], 3)

    page = get(charlie_client, HOME).content.decode()

    assert "工厂 0000" not in page
    assert "Factory 0000" not in page


def test_bob_sees_the_factories_of_his_organisation_without_write_buttons(
    orgs: dict[str, Organisation], bob_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1, years=(2024,))[0]
    Assessment.objects.filter(inventory__factory=factory).update(status=Assessment.Status.DRAFT)

    page = get(bob_client, HOME, english=True).content.decode()

    assert "Factory 0000" in page
    assert reverse("factory-create") not in page
    assert "/edit/" not in page
    assert reverse("assessment-detail", args=[Assessment.objects.get().pk]) in page


def test_carol_sees_no_factory_of_org_a_and_is_told_what_will_appear(
    orgs: dict[str, Organisation], carol_client: Client
) -> None:
    make_factories(orgs["org-a"], 2)

    carol_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = carol_client.get(HOME)
    assert response.status_code == 302  # an auditor's work is her queue
    page = carol_client.get(response["Location"]).content.decode()

    assert "Factory 0000" not in page
    assert "submitted to your certification body" in page
    assert reverse("factory-create") not in page


def test_the_dashboard_speaks_chinese_by_default_and_english_when_chosen(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    make_factories(orgs["org-a"], 1)

    chinese = get(alice_client, HOME)
    english = get(alice_client, HOME, english=True)

    assert chinese.headers["Content-Language"] == "zh-hans"
    assert english.headers["Content-Language"] == "en"
    assert "My factories" in english.content.decode()
    # The factory is named first in the page's language.
    assert english.content.decode().index("Factory 0000") < english.content.decode().index(
        "工厂 0000"
    )
    assert chinese.content.decode().index("工厂 0000") < chinese.content.decode().index(
        "Factory 0000"
    )


# The factory's own page


def test_a_factory_page_lists_its_years_with_links_to_the_editor_and_the_assessment(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1, years=(2023, 2024))[0]
    inventories = Inventory.objects.filter(factory=factory).order_by("year")

    response = get(alice_client, reverse("factory-detail", args=[factory.pk]), english=True)
    page = response.content.decode()

    assert [year.year for year in response.context["years"]] == [2024, 2023]
    for inventory in inventories:
        assessment = Assessment.objects.get(inventory=inventory)
        assert reverse("inventory-edit", args=[inventory.pk]) in page
        assert reverse("assessment-detail", args=[assessment.pk]) in page
    assert reverse("inventory-create", args=[factory.pk]) in page
    assert reverse("factory-edit", args=[factory.pk]) in page
    assert "Jiangsu" in page


def test_a_factory_page_runs_the_same_queries_for_two_years_and_for_twenty(
    orgs: dict[str, Organisation], alice_client: Client
) -> None:
    few = make_factories(orgs["org-a"], 1, years=(2023, 2024))[0]
    many = make_factories(orgs["org-a"], 1, start=1, years=range(2005, 2025))[0]

    assert len(queries_of(alice_client, reverse("factory-detail", args=[few.pk]))) == len(
        queries_of(alice_client, reverse("factory-detail", args=[many.pk]))
    )


def test_bob_sees_a_factory_page_without_write_buttons(
    orgs: dict[str, Organisation], bob_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1)[0]

    page = get(bob_client, reverse("factory-detail", args=[factory.pk])).content.decode()

    assert reverse("inventory-create", args=[factory.pk]) not in page
    assert reverse("factory-edit", args=[factory.pk]) not in page
    assert "/edit/" not in page


def test_charlie_gets_404_for_a_factory_of_org_a(
    orgs: dict[str, Organisation], charlie_client: Client
) -> None:
    factory = make_factories(orgs["org-a"], 1)[0]

    assert charlie_client.get(reverse("factory-detail", args=[factory.pk])).status_code == 404


def test_a_viewer_in_one_organisation_and_consultant_in_another_writes_only_in_the_second(
    orgs: dict[str, Organisation], bob: User
) -> None:
    Membership.objects.create(user=bob, organisation=orgs["org-b"], role="consultant")
    mine = make_factories(orgs["org-b"], 1)[0]
    theirs = make_factories(orgs["org-a"], 1, start=1)[0]
    client = logged_in(bob)

    assert (
        reverse("factory-edit", args=[mine.pk])
        in get(client, reverse("factory-detail", args=[mine.pk])).content.decode()
    )
    assert (
        reverse("factory-edit", args=[theirs.pk])
        not in get(client, reverse("factory-detail", args=[theirs.pk])).content.decode()
    )
