"""The page cache (zerocarbon/page_cache.py): a kept answer is the very answer a rendering
would give now, for the very requester; any write, however it is made, is seen at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import psycopg2  # type: ignore[import-untyped]
import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from emissions.models import Factory
from tests.conftest import logged_in, submit_through_api
from zerocarbon import page_cache
from zerocarbon.accounts.keys import issue_key
from zerocarbon.accounts.models import Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
AS_OF = "2025-06-30"


@pytest.fixture(autouse=True)
def _empty() -> Iterator[None]:
    page_cache.clear()
    yield
    page_cache.clear()


@pytest.fixture
def rated(
    demo: dict[str, Any], alice_client: Client, django_capture_on_commit_callbacks: Any
) -> Any:
    """The demo's Suzhou assessment, submitted and evaluated."""
    submit_through_api(alice_client, demo["suzhou"], django_capture_on_commit_callbacks, AS_OF)
    return demo["suzhou"]


def pages(assessment: Any) -> list[str]:
    return [
        "/",
        f"/factories/{assessment.inventory.factory_id}/",
        f"/assessments/{assessment.pk}/",
        "/api/v1/factories/",
        f"/api/v1/factories/{assessment.inventory.factory_id}/",
        "/api/v1/assessments/",
        f"/api/v1/assessments/{assessment.pk}/",
        "/api/v1/evaluations/",
        "/api/v1/evaluations/?page_size=1",
    ]


def queries(client: Client, path: str, **extra: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    return response, len(captured.captured_queries)


def same(first: Any, second: Any) -> None:
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    assert dict(second.headers) == dict(first.headers)
    assert {name: cookie.value for name, cookie in second.cookies.items()} == {
        name: cookie.value for name, cookie in first.cookies.items()
    }


def browser(user: Any, language: str = "") -> Client:
    """A signed-in client that has its CSRF cookie, as a browser has after its first page."""
    client = logged_in(user)
    if language:
        client.cookies["django_language"] = language
    client.get("/accounts/login/")
    assert "csrftoken" in client.cookies
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_kept_answer_is_the_rendered_one_byte_for_byte_and_costs_fewer_queries(
    rated: Any, alice: Any, language: str
) -> None:
    client = browser(alice, language)
    for path in pages(rated):
        rendered, rendering = queries(client, path)
        kept, keeping = queries(client, path)
        same(rendered, kept)
        assert keeping < rendering, path


def test_the_api_key_answers_are_kept_per_key_and_the_key_is_checked_each_time(
    rated: Any, orgs: dict[str, Organisation]
) -> None:
    key = issue_key(orgs["org-a"], name="cache")
    other = issue_key(orgs["org-b"], name="cache")
    mine = Client(HTTP_AUTHORIZATION=f"Bearer {key.plaintext}")
    theirs = Client(HTTP_AUTHORIZATION=f"Bearer {other.plaintext}")
    rendered = mine.get("/api/v1/factories/")
    same(rendered, mine.get("/api/v1/factories/"))
    assert rated.inventory.factory.name in rendered.content.decode()
    assert rated.inventory.factory.name not in theirs.get("/api/v1/factories/").content.decode()

    key.api_key.revoked = True
    key.api_key.save()
    assert mine.get("/api/v1/factories/").status_code == 401


def test_each_persona_gets_its_own_rendering(
    rated: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    """Kept for alice first: bob (a viewer of the same organisation) and charlie (another
    organisation) get what a rendering gives them, never alice's answer."""
    path = f"/factories/{rated.inventory.factory_id}/"
    alice_page = browser(alice).get(path).content.decode()
    bob_page = browser(bob).get(path).content.decode()
    assert browser(charlie).get(path).status_code == 404
    page_cache.clear()
    assert strip_tokens(browser(bob).get(path).content.decode()) == strip_tokens(bob_page)
    assert alice_page.count("/edit/") > bob_page.count("/edit/")

    home_of_charlie = browser(charlie).get("/").content.decode()
    assert rated.inventory.factory.name not in home_of_charlie


def strip_tokens(page: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def test_a_write_in_the_requests_own_transaction_is_seen_at_once(rated: Any, alice: Any) -> None:
    client = browser(alice)
    factory = rated.inventory.factory
    path = f"/factories/{factory.pk}/"
    assert client.get(path).content == client.get(path).content
    Factory.objects.filter(pk=factory.pk).update(name="改名后的工厂")
    assert "改名后的工厂" in client.get(path).content.decode()
    with connection.cursor() as cursor:  # raw SQL, not the ORM
        cursor.execute(
            "UPDATE emissions_factory SET name = %s WHERE id = %s", ["再次改名", factory.pk]
        )
    assert "再次改名" in client.get(path).content.decode()


def test_a_session_is_its_own_key(rated: Any, alice: Any) -> None:
    first, second = browser(alice), browser(alice)
    _, rendering = queries(first, "/")
    _, keeping = queries(first, "/")
    _, other_session = queries(second, "/")
    assert keeping < rendering == other_session


def test_a_waiting_flash_message_is_shown_once_and_never_kept(rated: Any, alice: Any) -> None:
    client = browser(alice)
    path = f"/factories/{rated.inventory.factory_id}/"
    client.get(path)
    storage = CookieStorage(RequestFactory().get(path))
    storage.add(constants.SUCCESS, "a marker of this test")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    assert "a marker of this test" in client.get(path).content.decode()
    assert "a marker of this test" not in client.get(path).content.decode()


def test_a_broken_cache_only_means_rendering_again(rated: Any, alice: Any) -> None:
    client = browser(alice)
    broken = mock.Mock(side_effect=ConnectionError("cache down"))
    with mock.patch.object(caches[page_cache.CACHE_ALIAS], "get", broken), \
         mock.patch.object(caches[page_cache.CACHE_ALIAS], "set", broken):  # fmt: skip
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/factories/").status_code == 200
    assert broken.called


def test_without_a_generation_nothing_is_kept(rated: Any, alice: Any) -> None:
    client = browser(alice)
    with mock.patch.object(page_cache, "generation", return_value=None):
        _, first = queries(client, "/")
        _, second = queries(client, "/")
    assert first == second


def test_turned_off_nothing_is_kept(rated: Any, alice: Any, settings: Any) -> None:
    settings.ZEROCARBON_PAGE_CACHE_SECONDS = 0
    client = browser(alice)
    _, first = queries(client, "/")
    _, second = queries(client, "/")
    assert first == second


def unwatched_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_class c
               WHERE c.relnamespace = current_schema()::regnamespace
                 AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'zc\\_%%'
                 AND NOT EXISTS (SELECT FROM pg_trigger g
                                 WHERE g.tgrelid = c.oid AND g.tgname = 'zc_note_change')
               ORDER BY 1"""
        )
        return [name for (name,) in cursor.fetchall()]


def test_every_table_is_watched_and_a_new_one_after_the_next_migrate() -> None:
    assert unwatched_tables() == sorted(page_cache.UNWATCHED_TABLES)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE test_page_cache_new (id int)")
    assert "test_page_cache_new" in unwatched_tables()
    page_cache.install()
    assert unwatched_tables() == sorted(page_cache.UNWATCHED_TABLES)


def committed(value: str | None) -> int:
    assert value is not None
    return int(value.split(".")[0])


@pytest.mark.django_db(transaction=True)
def test_the_generation_moves_once_per_commit_and_only_then(orgs: dict[str, Organisation]) -> None:
    before = page_cache.generation()
    with transaction.atomic():
        Organisation.objects.filter(pk=orgs["org-a"].pk).update(name="甲")
        assert page_cache.generation() == f"{committed(before)}.1"
        Organisation.objects.filter(pk=orgs["org-a"].pk).update(name="乙")
        assert page_cache.generation() == f"{committed(before)}.2"
        assert other_connection_generation() == committed(before)  # not before the commit
    after = page_cache.generation()
    assert after == f"{committed(before) + 1}.0"
    assert other_connection_generation() == committed(before) + 1

    with transaction.atomic():
        Organisation.objects.filter(pk=orgs["org-a"].pk).update(name="丙")
        transaction.set_rollback(True)
    assert page_cache.generation() == after  # nothing was written

    Organisation.objects.filter(pk=orgs["org-a"].pk).values_list("name", flat=True).first()
    assert page_cache.generation() == after  # nor by a read


def other_connection_generation() -> int:
    """The committed generation, read by a connection of its own."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT value FROM zc_data_generation")
            return int(cursor.fetchone()[0])
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_commit_of_another_connection_is_seen_by_the_next_request(
    alice: Any, orgs: dict[str, Organisation]
) -> None:
    factory = Factory.objects.create(
        organisation=orgs["org-a"],
        name="缓存测试工厂",
        credit_code="91320594MA1EXAMPL2",
        province="江苏",
        grid_region="east",
    )
    client = browser(alice)
    path = f"/factories/{factory.pk}/"
    assert "缓存测试工厂" in client.get(path).content.decode()
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "UPDATE emissions_factory SET name = '别处改名' WHERE id = %s", [factory.pk]
            )
            # Not committed yet: the kept page is still the truth.
            assert "缓存测试工厂" in client.get(path).content.decode()
        other.commit()
    finally:
        other.close()
    assert "别处改名" in client.get(path).content.decode()
