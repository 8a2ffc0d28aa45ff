"""CSRF on every form (issue 11, security): every page the personas can reach (the routes of
the authorisation matrix, with org A's objects in the address) is rendered, and each of its
POST forms carries a csrfmiddlewaretoken; a POST without the token is refused with 403 on the
login, the editor's save and the review decision, even for a signed-in user."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.conftest import logged_in
from tests.zerocarbon import test_route_matrix as matrix

pytestmark = pytest.mark.django_db
objects = matrix.objects  # the matrix's fixture: org A's objects and a review round of Wuxi
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=[\"']?post[\"']?[^>]*>(.*?)</form>", re.S | re.I)
TOKEN = re.compile(r"<input\b[^>]*\bname=[\"']csrfmiddlewaretoken[\"']", re.I)


def forms_without_token(html: str) -> list[str]:
    return [
        form.group(0)[:120] for form in POST_FORM.finditer(html) if not TOKEN.search(form.group(1))
    ]


def pages(objects: dict[str, Any]) -> list[str]:
    urls = [url for _, url in matrix._addressed(objects)]
    for name in sorted(matrix.PUBLIC | matrix.SIGNED_IN):
        try:
            urls.append(reverse(name))
        except NoReverseMatch:  # needs an argument: its page is reached through another
            continue
    return urls


def test_every_post_form_of_every_page_carries_the_csrf_token(
    objects: dict[str, Any], alice: User, carol: User
) -> None:
    clients = {"alice": logged_in(alice), "carol": logged_in(carol), "anonymous": Client()}
    rendered, forms, missing = 0, 0, []
    for who, client in clients.items():
        for url in pages(objects):
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            rendered += 1
            forms += len(POST_FORM.findall(response.content.decode()))
            missing += [(who, url, form) for form in forms_without_token(response.content.decode())]
    assert missing == [], missing
    assert forms > 30, f"only {forms} POST forms found: the pattern is not matching them"
    assert rendered > 30, f"only {rendered} pages rendered: the walk is not reaching them"


def strict(user: User | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def test_a_login_without_the_token_is_refused() -> None:
    response = strict().post(reverse("accounts:login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403


def test_an_editor_save_without_the_token_is_refused_and_saves_nothing(
    objects: dict[str, Any], alice: User
) -> None:
    url = reverse("inventory-section", args=[objects["inventory"], "header"])
    response = strict(alice).post(url, {"action": "save", "rows": "0"})
    assert response.status_code == 403


def test_a_review_decision_without_the_token_is_refused(
    objects: dict[str, Any], carol: User
) -> None:
    review = objects["review"]
    body = {"subject": "gate", "key": "G1", "verdict": "accepted", "note": ""}
    before = list(review.decisions.values_list("pk", "verdict", "note"))
    response = strict(carol).post(reverse("review-decide", args=[review.pk]), body)
    assert response.status_code == 403
    assert list(review.decisions.values_list("pk", "verdict", "note")) == before


def test_the_token_is_what_is_checked(objects: dict[str, Any], carol: User) -> None:
    """The same decision with the page's token is taken: the 403 above is the token's."""
    client = strict(carol)
    review = objects["review"]
    page = client.get(reverse("review-detail", args=[review.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    body = {"subject": "gate", "key": "G1", "verdict": "accepted", "note": "",
            "csrfmiddlewaretoken": token.group(1)}  # fmt: skip
    response = client.post(reverse("review-decide", args=[review.pk]), body)
    assert response.status_code != 403
