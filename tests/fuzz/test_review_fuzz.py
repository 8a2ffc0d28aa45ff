"""Carol's review actions under random input (issue 11, bad input): decisions, comments and
outcomes with random, blank and huge reasons, unknown keys, subjects, verdicts and outcomes
are answered below 500, and a refused one (4xx) leaves every row of ours as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Review
from tests.assessments.reviewing import GEC_PROOF, RETIREMENT_PROOF, submitted_review
from tests.conftest import logged_in
from tests.fuzz.state import FUZZ, NASTY_TEXT, changed, fingerprint

pytestmark = pytest.mark.django_db


# NUL is left to the test below: it is a known 500 (PostgreSQL refuses it in text).
TEXT = NASTY_TEXT.filter(lambda text: "\x00" not in text)


def maybe(values: list[str]) -> st.SearchStrategy[str]:
    """One of the values the page offers, or anything else."""
    return st.one_of(st.sampled_from(values), TEXT)


def fields(**strategies: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    """Each field present with a value, or left out of the POST."""
    optional = {name: st.one_of(st.none(), strategy) for name, strategy in strategies.items()}
    return st.fixed_dictionaries(optional).map(
        lambda body: {name: value for name, value in body.items() if value is not None}
    )


ACTIONS = st.one_of(
    st.tuples(
        st.just("review-decide"),
        fields(
            subject=maybe(["gate", "evidence"]),
            key=maybe(["G1", "G2", GEC_PROOF, RETIREMENT_PROOF]),
            verdict=maybe(["accepted", "rejected"]),
            note=TEXT,
        ),
    ),
    st.tuples(
        st.just("review-comment"),
        fields(target=maybe(["gate:G1", f"evidence:{GEC_PROOF}", "general"]), text=TEXT),
    ),
    st.tuples(
        st.just("review-outcome"),
        fields(outcome=maybe(["approve", "reject", "request_changes"]), reason=TEXT),
    ),
)


@pytest.fixture
def review(demo: dict[str, Any], alice: User, django_capture_on_commit_callbacks: Any) -> Review:
    return submitted_review(demo, alice, django_capture_on_commit_callbacks)


def test_random_review_actions_answer_below_500_and_a_refusal_writes_nothing(
    review: Review, carol: User
) -> None:
    client: Client = logged_in(carol)
    statuses: list[int] = []

    @FUZZ
    @given(ACTIONS)
    def act(action: tuple[str, dict[str, str]]) -> None:
        name, body = action
        before = fingerprint()
        response = client.post(reverse(name, args=[review.pk]), body)
        statuses.append(response.status_code)
        assert response.status_code < 500, (name, body)
        if 400 <= response.status_code < 500:
            assert changed(before, fingerprint()) == [], (name, body, response.status_code)

    act()
    assert any(400 <= status < 500 for status in statuses), "no refusal was tried"


def test_a_nul_character_in_a_decision_note_is_refused_not_a_server_error(
    review: Review, carol: User
) -> None:
    body = {"subject": "gate", "key": "G1", "verdict": "accepted", "note": "a\x00b"}
    response = logged_in(carol).post(reverse("review-decide", args=[review.pk]), body)
    assert response.status_code == 400
