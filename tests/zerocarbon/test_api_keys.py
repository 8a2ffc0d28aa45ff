"""API keys over the REST API: `Authorization: Bearer <key>`, stored hashed, one organisation,
optionally some factories and read-only, revocable, last use recorded; 401 for anything else."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from assessments.models import Assessment
from emissions.models import Factory
from tests.conftest import DEMO_DATA
from zerocarbon.accounts.keys import IssuedKey, issue_key, revoke_key
from zerocarbon.accounts.models import ApiKey, Organisation
from zerocarbon.throttling import _FixedWindowThrottle

pytestmark = pytest.mark.django_db
AS_OF = "2025-06-30"


def key_client(plaintext: str, **kwargs: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {plaintext}"}, **kwargs)


def factory_of(assessment: Assessment) -> Factory:
    return assessment.inventory.factory


def dossier() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO_DATA / "demo-dossier.json").read_text("utf-8"))
    return data


@pytest.fixture
def org_b_factory(demo: dict[str, Any]) -> Factory:
    model = factory_of(demo["suzhou"])
    return Factory.objects.create(
        organisation=demo["orgs"]["org-b"],
        name="乙方工厂 Org B plant",
        credit_code=model.credit_code,
        province=model.province,
        grid_region=model.grid_region,
    )


@pytest.fixture
def org_a_key(demo: dict[str, Any]) -> IssuedKey:
    return issue_key(demo["orgs"]["org-a"], name="ERP")


@pytest.fixture
def suzhou_key(demo: dict[str, Any]) -> IssuedKey:
    return issue_key(
        demo["orgs"]["org-a"], name="Suzhou meters", factory_ids=[factory_of(demo["suzhou"]).pk]
    )


@pytest.fixture
def read_only_key(demo: dict[str, Any]) -> IssuedKey:
    return issue_key(demo["orgs"]["org-a"], name="Dashboard", read_only=True)


def test_only_a_hash_of_the_key_is_stored(orgs: dict[str, Organisation]) -> None:
    issued = issue_key(orgs["org-a"], name="ERP")
    prefix, _, secret = issued.plaintext.partition(".")
    assert (len(prefix), len(secret)) == (8, 32)
    stored = ApiKey.objects.get()
    assert stored.prefix == prefix
    assert stored.hashed_key.startswith("sha512$$")
    row = json.dumps(list(ApiKey.objects.values()), default=str)
    assert secret not in row
    assert issued.plaintext not in row


def test_a_request_without_credentials_answers_401_with_a_bearer_challenge(client: Client) -> None:
    response = client.get("/api/v1/factories/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_authenticated"


def _every_operation(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/schema/?format=json").json()
    return [
        (method, path.replace("{id}", "1"))
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def test_every_endpoint_answers_401_to_an_anonymous_request(client: Client) -> None:
    operations = _every_operation(client)
    assert len(operations) >= 15
    for method, url in operations:
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 401, (method, url, response.status_code)
        assert response.json()["error"]["code"] == "not_authenticated", (method, url)
        assert "Location" not in response


def test_the_schema_and_the_docs_need_no_credentials(client: Client) -> None:
    assert client.get("/api/v1/schema/?format=json").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


def test_the_schema_describes_the_bearer_key(client: Client) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer abcdefgh.0123456789abcdefghij0123456789ab",
        "Bearer ",
        "Bearer a.b\x00c",
        "bearer zzzzzzzz.zzzz",
    ],
)
def test_an_unknown_or_malformed_key_answers_401(
    org_a_key: IssuedKey, client: Client, header: str
) -> None:
    response = client.get("/api/v1/factories/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_wrong_secret_with_a_real_prefix_answers_401(org_a_key: IssuedKey) -> None:
    prefix = org_a_key.plaintext.partition(".")[0]
    response = key_client(f"{prefix}.{'x' * 32}").get("/api/v1/factories/")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The API key is not valid."


def test_a_revoked_key_answers_401(org_a_key: IssuedKey) -> None:
    client = key_client(org_a_key.plaintext)
    assert client.get("/api/v1/factories/").status_code == 200
    revoke_key(org_a_key.api_key)
    response = client.get("/api/v1/factories/")
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]
    assert ApiKey.objects.get().revoked_at is not None


def test_an_expired_key_answers_401(org_a_key: IssuedKey) -> None:
    ApiKey.objects.update(expiry_date=timezone.now() - timedelta(seconds=1))
    response = key_client(org_a_key.plaintext).get("/api/v1/factories/")
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_another_scheme_is_not_a_key_and_answers_401(org_a_key: IssuedKey) -> None:
    response = Client().get(
        "/api/v1/factories/", HTTP_AUTHORIZATION=f"Api-Key {org_a_key.plaintext}"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_key_of_org_a_sees_only_org_a_factories(
    demo: dict[str, Any], org_a_key: IssuedKey, org_b_factory: Factory
) -> None:
    client = key_client(org_a_key.plaintext)
    body = client.get("/api/v1/factories/").json()
    assert body["count"] == 2
    assert org_b_factory.pk not in {factory["id"] for factory in body["results"]}
    assert client.get(f"/api/v1/factories/{org_b_factory.pk}/").status_code == 404
    assert client.get("/api/v1/assessments/").json()["count"] == 2


def test_a_key_of_org_b_gets_404_for_org_a_objects(demo: dict[str, Any]) -> None:
    client = key_client(issue_key(demo["orgs"]["org-b"], name="B").plaintext)
    suzhou = demo["suzhou"]
    for url in (
        f"/api/v1/factories/{factory_of(suzhou).pk}/",
        f"/api/v1/inventories/{suzhou.inventory_id}/",
        f"/api/v1/assessments/{suzhou.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/api/v1/assessments/{suzhou.pk}/submit/", {}, "application/json")
    assert response.status_code == 404
    response = client.post("/api/v1/dossiers/?organisation=org-a", dossier(), "application/json")
    assert response.status_code == 404


def test_a_certification_bodys_key_sees_no_tenant_data(demo: dict[str, Any]) -> None:
    client = key_client(issue_key(demo["orgs"]["cert-body"], name="Audit").plaintext)
    for url in ("/api/v1/factories/", "/api/v1/inventories/", "/api/v1/assessments/"):
        assert client.get(url).json()["count"] == 0, url


def test_a_factory_limited_key_sees_only_its_factory(
    demo: dict[str, Any], suzhou_key: IssuedKey
) -> None:
    client = key_client(suzhou_key.plaintext)
    suzhou = demo["suzhou"]
    factories = client.get("/api/v1/factories/").json()["results"]
    assert [factory["id"] for factory in factories] == [factory_of(suzhou).pk]
    inventories = client.get("/api/v1/inventories/").json()["results"]
    assert [inventory["id"] for inventory in inventories] == [suzhou.inventory_id]
    assert client.get("/api/v1/assessments/").json()["count"] == 1
    assert client.get(f"/api/v1/assessments/{suzhou.pk}/").status_code == 200


def test_a_factory_limited_key_gets_404_for_another_factory_of_its_organisation(
    demo: dict[str, Any], suzhou_key: IssuedKey
) -> None:
    client = key_client(suzhou_key.plaintext)
    wuxi = demo["wuxi"]
    for url in (
        f"/api/v1/factories/{factory_of(wuxi).pk}/",
        f"/api/v1/inventories/{wuxi.inventory_id}/",
        f"/api/v1/inventories/{wuxi.inventory_id}/dossier/",
        f"/api/v1/assessments/{wuxi.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/api/v1/assessments/{wuxi.pk}/submit/", {}, "application/json")
    assert response.status_code == 404


def test_a_factory_limited_key_may_not_import_a_dossier(suzhou_key: IssuedKey) -> None:
    response = key_client(suzhou_key.plaintext).post(
        "/api/v1/dossiers/?organisation=org-a", dossier(), "application/json"
    )
    assert response.status_code == 403
    assert "limited to factories" in response.json()["error"]["message"]


def test_a_factory_limited_key_may_submit_its_factorys_assessment(
    demo: dict[str, Any], suzhou_key: IssuedKey, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = key_client(suzhou_key.plaintext).post(
            f"/api/v1/assessments/{demo['suzhou'].pk}/submit/", {"as_of": AS_OF}, "application/json"
        )
    assert response.status_code == 202, response.content


def test_a_read_only_key_reads_but_may_not_write(
    demo: dict[str, Any], read_only_key: IssuedKey
) -> None:
    client = key_client(read_only_key.plaintext)
    assert client.get(f"/api/v1/assessments/{demo['suzhou'].pk}/").status_code == 200
    for url, body in (
        ("/api/v1/dossiers/?organisation=org-a", dossier()),
        (f"/api/v1/assessments/{demo['suzhou'].pk}/submit/", {"as_of": AS_OF}),
    ):
        response = client.post(url, body, "application/json")
        assert response.status_code == 403, url
        error = response.json()["error"]
        assert error["code"] == "permission_denied"
        assert "read-only" in error["message"]
    assert Assessment.objects.get(pk=demo["suzhou"].pk).status == demo["suzhou"].status


def test_a_writable_key_submits_without_a_csrf_token(
    demo: dict[str, Any], org_a_key: IssuedKey, django_capture_on_commit_callbacks: Any
) -> None:
    client = key_client(org_a_key.plaintext, enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/assessments/{demo['suzhou'].pk}/submit/", {"as_of": AS_OF}, "application/json"
        )
    assert response.status_code == 202, response.content


def test_a_writable_key_imports_a_dossier(orgs: dict[str, Organisation]) -> None:
    client = key_client(issue_key(orgs["org-b"], name="Importer").plaintext)
    response = client.post(
        f"/api/v1/dossiers/?organisation=org-b&as_of={AS_OF}", dossier(), "application/json"
    )
    assert response.status_code == 201, response.content


def test_a_browser_session_still_works_and_its_writes_still_need_csrf(
    demo: dict[str, Any], alice_client: Client
) -> None:
    assert alice_client.get("/api/v1/factories/").json()["count"] == 2
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = alice_client.cookies
    assert strict.get("/api/v1/factories/").status_code == 200
    response = strict.post(
        f"/api/v1/assessments/{demo['suzhou'].pk}/submit/", {"as_of": AS_OF}, "application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_the_browsable_api_renders_for_a_key(org_a_key: IssuedKey) -> None:
    response = key_client(org_a_key.plaintext).get("/api/v1/factories/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "示例精密制造" in response.text


def test_last_use_is_recorded_at_most_once_a_minute(
    org_a_key: IssuedKey, django_assert_num_queries: Any
) -> None:
    client = key_client(org_a_key.plaintext)
    assert ApiKey.objects.get().last_used_at is None
    client.get("/api/v1/factories/")
    first = ApiKey.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/factories/")
    assert ApiKey.objects.get().last_used_at == first
    stale = timezone.now() - timedelta(minutes=2)
    ApiKey.objects.update(last_used_at=stale)
    client.get("/api/v1/factories/")
    last_used_at = ApiKey.objects.get().last_used_at
    assert last_used_at is not None
    assert last_used_at > stale


def test_a_recent_last_use_costs_no_write(
    org_a_key: IssuedKey, django_assert_num_queries: Any
) -> None:
    ApiKey.objects.update(last_used_at=timezone.now())
    client = key_client(org_a_key.plaintext)
    with django_assert_num_queries(2):  # the key and its factories; no UPDATE
        client.get("/api/v1/", HTTP_ACCEPT="application/json")


@pytest.fixture
def tiny_rates(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    rates = {"api_key": "2/min", "user": "2/min", "anon": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # One instant for every request: the minute cannot turn between them.
    monkeypatch.setattr(_FixedWindowThrottle, "timer", staticmethod(lambda: 1_000_050.0))
    cache.clear()


def _third_answer(client: Client, url: str) -> Any:
    for _ in range(2):
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 200
    return client.get(url, HTTP_ACCEPT="application/json")


def test_a_key_over_its_rate_gets_429_with_retry_after(
    tiny_rates: None, org_a_key: IssuedKey, orgs: dict[str, Organisation]
) -> None:
    response = _third_answer(key_client(org_a_key.plaintext), "/api/v1/factories/")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert response.json()["error"]["code"] == "throttled"
    other = key_client(issue_key(orgs["org-a"], name="other").plaintext)
    assert other.get("/api/v1/factories/").status_code == 200  # counted per key


def test_a_user_over_their_rate_gets_429(tiny_rates: None, alice_client: Client) -> None:
    response = _third_answer(alice_client, "/api/v1/factories/")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_anonymous_requests_are_counted_per_address(tiny_rates: None, client: Client) -> None:
    response = _third_answer(client, "/api/v1/schema/?format=json")
    assert response.status_code == 429
    assert "Retry-After" in response
