"""The browser editor's sections under random field values (issue 11, bad input): every POST
of random values to the fields a section's form really has, plus unknown ones, is answered
below 500, and a refused save (4xx) leaves every row of ours exactly as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from emissions.models import Inventory
from tests.fuzz.state import FUZZ, NASTY_TEXT, changed, fingerprint, form_fields

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
SECTIONS = [
    "header", "energy", "process_emissions", "refrigerants", "scope3", "production",
    "reduction_measures", "green_electricity", "credits",
]  # fmt: skip
VALUES = st.one_of(
    NASTY_TEXT,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


@pytest.fixture
def inventory(demo: dict[str, Any]) -> Inventory:
    inventory: Inventory = demo["suzhou"].inventory
    return inventory


@pytest.fixture
def fields(inventory: Inventory, alice_client: Client) -> dict[str, list[str]]:
    """Each section → the names of the fields its form has (the row count and action too)."""
    names = {}
    for section in SECTIONS:
        page = alice_client.get(reverse("inventory-section", args=[inventory.pk, section]))
        assert page.status_code == 200, section
        names[section] = form_fields(page.content.decode(), "")
        assert names[section], f"{section}: no fields found on its page"
    return names


def bodies(fields: dict[str, list[str]]) -> st.SearchStrategy[tuple[str, dict[str, str]]]:
    def body(section: str) -> st.SearchStrategy[tuple[str, dict[str, str]]]:
        known = st.sampled_from(fields[section])
        unknown = st.sampled_from(["r-99-quantity", "r--1-unit", "rows", "r-0-monthly-12", "x"])
        data = st.dictionaries(st.one_of(known, unknown), VALUES, max_size=12)
        action = st.sampled_from(["save", "add", "remove", "", "☃"])
        rows = st.sampled_from(["0", "1", "3", "-1", "1e9", "999999", "x", ""])
        return st.tuples(
            st.just(section),
            st.builds(lambda d, a, r: d | {"action": a, "rows": r}, data, action, rows),
        )

    return st.sampled_from(SECTIONS).flatmap(body)


def test_random_section_posts_answer_below_500_and_a_refusal_writes_nothing(
    inventory: Inventory, fields: dict[str, list[str]], alice_client: Client
) -> None:
    statuses: list[int] = []

    @FUZZ
    @given(bodies(fields))
    def post(example: tuple[str, dict[str, str]]) -> None:
        section, body = example
        before = fingerprint()
        url = reverse("inventory-section", args=[inventory.pk, section])
        response = alice_client.post(url, body, headers=HTMX)
        statuses.append(response.status_code)
        assert response.status_code < 500, (section, body)
        if 400 <= response.status_code < 500:
            assert changed(before, fingerprint()) == [], (section, body, response.status_code)

    post()
    assert any(400 <= status < 500 for status in statuses), "no refusal was tried"


def test_adding_a_line_to_a_section_without_lines_shows_it_again_and_saves_nothing(
    inventory: Inventory, alice_client: Client
) -> None:
    """Found by the fuzzing above: `action=add` on the header section was a KeyError (500)."""
    before = fingerprint()
    url = reverse("inventory-section", args=[inventory.pk, "header"])
    response = alice_client.post(url, {"action": "add", "rows": "0"}, headers=HTMX)
    assert response.status_code == 200
    assert changed(before, fingerprint()) == []
