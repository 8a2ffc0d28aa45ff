"""The readings endpoint under random JSON (issue 11, bad input): bodies of any shape, numbers
such as NaN, 1e309, -0 and 400-digit ones, huge strings and wrong timestamps are answered
below 500. A refused batch (4xx) writes nothing; an accepted one writes exactly the readings
it says it created, and with ?atomic=true any rejected row means nothing is written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from emissions.models import Factory, Meter, Reading
from tests.fuzz.state import FUZZ, NASTY_TEXT, changed, fingerprint
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 3, 1, tzinfo=UTC)
# Raw JSON number literals the json module would never write: sent as text, as a client may.
RAW_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e309", "-0", "-0.0", "1" + "0" * 400, "1e-400"]


def stamps() -> st.SearchStrategy[Any]:
    good = st.integers(min_value=0, max_value=2000).map(
        lambda n: (DAY + timedelta(minutes=15 * n)).isoformat()
    )
    wrong = st.sampled_from(
        ["yesterday", "2025-02-30T00:00:00+08:00", "2025-03-01T24:00:00", "2025-03-01",
         "0000-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "2025-03-01T00:00:00+25:00", ""]
    )  # fmt: skip
    return st.one_of(good, wrong, st.integers(), NASTY_TEXT, st.none())


VALUE = st.one_of(
    st.sampled_from([f"@{raw}@" for raw in RAW_NUMBERS]),  # spliced in as raw literals
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    NASTY_TEXT,
    st.booleans(),
    st.none(),
)
GOOD_ROW = st.builds(
    lambda n, value: {
        "start": (DAY + timedelta(minutes=15 * n)).isoformat(),
        "end": (DAY + timedelta(minutes=15 * (n + 1))).isoformat(),
        "value": value,
    },
    st.integers(min_value=0, max_value=200),
    st.decimals(min_value=0, max_value=10**6, places=3).map(str),
)
ROW = st.one_of(
    GOOD_ROW,
    st.fixed_dictionaries(
        {"start": stamps(), "end": stamps(), "value": VALUE},
        optional={"unit": st.sampled_from(["kWh", "MWh", "t", "furlong", ""]), "x": VALUE},
    ),
    VALUE,
    st.lists(VALUE, max_size=3),
)
BODY = st.one_of(
    st.lists(GOOD_ROW, min_size=1, max_size=4),
    st.lists(ROW, max_size=8),
    st.dictionaries(st.text(max_size=5), VALUE, max_size=3),
    VALUE,
)


def encoded(body: Any) -> str:
    text = json.dumps(body)
    for raw in RAW_NUMBERS:
        text = text.replace(f'"@{raw}@"', raw)
    return text


@pytest.fixture
def meter(orgs: dict[str, Organisation]) -> Meter:
    factory = Factory.objects.create(
        organisation=orgs["org-a"], name="苏州测试工厂", credit_code="91320594MA1EXAMPL2",
        province="江苏", grid_region="east",
    )  # fmt: skip
    return Meter.objects.create(
        factory=factory, carrier="grid_electricity", unit="kWh", external_id="M-1"
    )


def test_random_reading_batches_answer_below_500_and_write_what_they_say(
    alice_client: Client, meter: Meter
) -> None:
    statuses: list[int] = []

    @FUZZ
    @given(BODY, st.sampled_from(["", "?atomic=true"]))
    def post(body: Any, query: str) -> None:
        before, readings = fingerprint(), Reading.objects.count()
        url = f"/api/v1/meters/{meter.pk}/readings/{query}"
        response = alice_client.post(url, encoded(body), content_type="application/json")
        statuses.append(response.status_code)
        assert response.status_code < 500, encoded(body)
        if 400 <= response.status_code < 500:
            assert changed(before, fingerprint()) == [], (encoded(body), response.content)
            return
        answer = response.json()
        assert Reading.objects.count() - readings == answer["created"], encoded(body)
        if query and answer["rejected"]:
            raise AssertionError(f"an atomic batch wrote with rejected rows: {encoded(body)}")

    post()
    assert any(400 <= status < 500 for status in statuses), "no refusal was tried"
    assert any(status < 300 for status in statuses), "no batch was accepted"
