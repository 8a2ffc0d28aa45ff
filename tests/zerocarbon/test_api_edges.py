"""No server error on any input at the HTTP edges: bounded bodies, one JSON error shape for
every API error (Django's own included), capped error lists, ids that cannot reach the
database, and one strict JSON reader for every import route."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory

from assessments import selectors
from emissions.models import Inventory
from tests.conftest import example
from zerocarbon.error_views import bad_request
from zerocarbon.errors import MAX_LISTED_ERRORS
from zerocarbon.middleware import BodyLimitMiddleware, body_limit
from zerocarbon.parsers import DecimalJSONParser

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024
IMPORT_URL = "/api/v1/dossiers/?organisation=org-b&as_of=2025-06-30"
SECRET = "password=hunter2 in /srv/zerocarbon/secret.py"


def dossier_text(data: dict[str, Any] | None = None) -> str:
    return json.dumps(data or example("demo-dossier"), ensure_ascii=False)


def dossier_with_errors(entries: int) -> dict[str, Any]:
    """The demo dossier whose energy list has `entries` rows with three unknown keys each."""
    data = example("demo-dossier")
    row = {"carrier": "grid_electricity", "quantity": "1", "unit": "MWh", "a": 1, "b": 2, "c": 3}
    data["energy"] = [row] * entries
    return data


def post_json(client: Client, url: str, body: str | bytes, **extra: Any) -> Any:
    return client.post(url, body, content_type="application/json", **extra)


def api_error(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json", response.content[:300]
    error: dict[str, Any] = json.loads(response.content)["error"]
    assert set(error) == {"code", "message", "errors", "total"}
    return error


def quiet_client(client: Client) -> Client:
    """The same session, answering the 500 page instead of re-raising in the test."""
    client.raise_request_exception = False
    return client


# Bounded bodies


def test_a_json_body_above_the_general_limit_answers_413_before_it_is_read(
    demo: dict[str, Any], alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(DecimalJSONParser, "parse", never)
    body = json.dumps({"answers": {"x": "y" * (2 * MIB)}})
    response = post_json(alice_client, f"/api/v1/assessments/{demo['suzhou'].pk}/what-if/", body)
    assert response.status_code == 413
    error = api_error(response)
    assert error["code"] == "request_too_large"
    assert "at most 1,048,576 bytes (1 MiB)" in error["message"]
    assert f"this one has {len(body):,} bytes" in error["message"]
    assert (error["errors"], error["total"]) == ([], 0)


def test_the_dossier_import_accepts_a_body_between_the_general_and_the_dossier_limit(
    orgs: Any, charlie_client: Client, settings: Any
) -> None:
    body = dossier_text() + " " * (2 * MIB)  # white space is JSON
    assert settings.MAX_BODY_BYTES < len(body) < settings.MAX_DOSSIER_BYTES
    response = post_json(charlie_client, IMPORT_URL, body)
    assert response.status_code == 201, response.content[:300]


def test_a_dossier_above_its_own_limit_answers_413(
    orgs: Any, charlie_client: Client, settings: Any
) -> None:
    settings.MAX_DOSSIER_BYTES = 64 * 1024
    response = post_json(charlie_client, IMPORT_URL, dossier_text() + " " * (100 * 1024))
    assert response.status_code == 413
    assert "at most 65,536 bytes" in api_error(response)["message"]
    assert Inventory.objects.count() == 0


def test_the_browser_upload_accepts_a_file_above_the_general_limit(
    orgs: Any, alice_client: Client
) -> None:
    content = (dossier_text() + " " * (2 * MIB)).encode()
    upload = SimpleUploadedFile("big.json", content, content_type="application/json")
    response = alice_client.post(
        "/dossiers/upload/", {"organisation": orgs["org-a"].pk, "file": upload}
    )
    assert response.status_code == 302
    assert Inventory.objects.count() == 1


def test_a_browser_upload_above_the_dossier_limit_gets_a_short_plain_page(
    orgs: Any, alice_client: Client, settings: Any
) -> None:
    settings.MAX_DOSSIER_BYTES = 64 * 1024
    upload = SimpleUploadedFile("big.json", b" " * (100 * 1024) + dossier_text().encode())
    response = alice_client.post(
        "/dossiers/upload/",
        {"organisation": orgs["org-a"].pk, "file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "at most 65,536 bytes" in response.text
    assert Inventory.objects.count() == 0


def test_a_browser_form_above_the_general_limit_gets_a_short_plain_page(
    demo: dict[str, Any], alice_client: Client
) -> None:
    url = f"/assessments/{demo['suzhou'].pk}/submit/"
    response = alice_client.post(url, {"as_of": "x" * (2 * MIB)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Request too large" in response.text


def test_django_refusing_form_data_itself_is_a_413_too(
    orgs: Any, alice_client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # below the view's limit: Django refuses first
    response = alice_client.post(
        "/dossiers/upload/", {"organisation": "x" * 5000}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 413
    assert "at most 1,000 bytes" in response.text


def test_djangos_own_body_errors_on_api_paths_have_the_json_shape() -> None:
    request = RequestFactory().post("/api/v1/dossiers/")
    too_big = bad_request(request, RequestDataTooBig("Request body exceeded settings.X"))
    assert too_big.status_code == 413
    assert api_error(too_big)["code"] == "request_too_large"
    too_many = bad_request(request, TooManyFieldsSent("The number of GET/POST parameters"))
    assert too_many.status_code == 400
    assert "parameters" not in api_error(too_many)["message"]


def test_an_evidence_upload_view_may_have_the_evidence_limit_plus_multipart_overhead(
    settings: Any,
) -> None:
    @body_limit("evidence")
    def upload(request: Any) -> HttpResponse:
        return HttpResponse("stored")

    middleware = BodyLimitMiddleware(lambda request: HttpResponse())
    limit = settings.EVIDENCE_MAX_BYTES + 64 * 1024

    def answer(length: int) -> HttpResponse | None:
        request = RequestFactory().post("/evidence/", CONTENT_LENGTH=str(length))
        return middleware.process_view(request, upload, (), {})

    assert answer(settings.EVIDENCE_MAX_BYTES + 1) is None
    assert answer(limit) is None
    refused = answer(limit + 1)
    assert refused is not None
    assert refused.status_code == 413


@pytest.mark.parametrize("raw", ["abc", "-1", "1e6", "12 34", "０"])
def test_a_malformed_content_length_answers_400(
    demo: dict[str, Any], alice_client: Client, raw: str
) -> None:
    url = f"/api/v1/assessments/{demo['suzhou'].pk}/what-if/"
    response = post_json(alice_client, url, "{}", CONTENT_LENGTH=raw)
    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "bad_request"
    assert "Content-Length" in error["message"]
    page = alice_client.post("/dossiers/upload/", {}, CONTENT_LENGTH=raw)
    assert page.status_code == 400
    assert page["Content-Type"] == "text/plain; charset=utf-8"


def test_an_absurd_content_length_answers_413(demo: dict[str, Any], alice_client: Client) -> None:
    url = f"/api/v1/assessments/{demo['suzhou'].pk}/what-if/"
    response = post_json(alice_client, url, "{}", CONTENT_LENGTH="9" * 40)
    assert response.status_code == 413
    assert api_error(response)["code"] == "request_too_large"


# One JSON error shape, Django's errors included


def test_an_unknown_api_url_answers_the_json_404(alice_client: Client) -> None:
    response = alice_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert api_error(response)["code"] == "not_found"
    page = alice_client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/assessments/abc/"),
        ("get", "/api/v1/assessments/99999999999999999999/"),
        ("get", "/api/v1/assessments/1e3/"),
        ("get", "/api/v1/assessments/-1/"),
        ("post", "/api/v1/assessments/abc/submit/"),
        ("get", "/api/v1/assessments/abc/dossier/"),
        ("get", "/api/v1/evaluations/abc/"),
        ("get", "/api/v1/evaluations/99999999999999999999/"),
        ("get", "/api/v1/factories/abc/"),
        ("get", "/api/v1/inventories/99999999999999999999/"),
        ("get", "/api/v1/inventories/abc/dossier/"),
        ("get", "/api/v1/inventories/99999999999999999999/dossier/"),
    ],
)
def test_a_non_numeric_or_absurd_api_id_answers_the_json_404(
    demo: dict[str, Any], alice_client: Client, method: str, url: str
) -> None:
    response = getattr(quiet_client(alice_client), method)(url)
    assert response.status_code == 404
    assert api_error(response)["code"] == "not_found"


@pytest.mark.parametrize(
    "url",
    [
        "/assessments/99999999999999999999/",
        "/assessments/999999999999999999999999999999/",
        "/assessments/abc/",
        "/assessments/9999999999999999999/submit/",
    ],
)
def test_an_absurd_id_in_a_browser_address_is_the_404_page(
    demo: dict[str, Any], alice_client: Client, url: str
) -> None:
    client = quiet_client(alice_client)
    response = client.post(url) if url.endswith("submit/") else client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_in_the_api_is_json_without_the_exception_text(
    demo: dict[str, Any], alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(selectors, "assessment_list_for", broken)  # the API's list
    monkeypatch.setattr(selectors, "year_standings", broken)  # the dashboard's rows
    client = quiet_client(alice_client)
    response = client.get("/api/v1/assessments/")
    assert response.status_code == 500
    assert api_error(response)["code"] == "server_error"
    assert "hunter2" not in response.text
    page = client.get("/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")
    assert "hunter2" not in page.text


def test_a_host_the_server_does_not_serve_gets_the_json_400_on_the_api(
    alice_client: Client,
) -> None:
    response = alice_client.get("/api/v1/assessments/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert api_error(response)["code"] == "bad_request"
    assert "evil.example" not in response.text
    page = alice_client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


# Capped error lists


def test_sixty_thousand_errors_are_answered_as_the_first_hundred_and_the_total(
    orgs: Any, charlie_client: Client
) -> None:
    response = post_json(charlie_client, IMPORT_URL, dossier_text(dossier_with_errors(20_000)))
    assert response.status_code == 400
    error = api_error(response)
    assert error["total"] == 60_000
    assert len(error["errors"]) == MAX_LISTED_ERRORS
    assert error["errors"][0] == {
        "path": "/energy/0/a",
        "message": error["errors"][0]["message"],
    }
    assert error["errors"][-1]["path"] == "/energy/33/a"
    assert "60,000 errors were found; the first 100 are listed." in error["message"]
    assert len(response.content) < 40_000
    assert Inventory.objects.count() == 0


def test_a_short_error_list_is_complete_and_counted(orgs: Any, charlie_client: Client) -> None:
    response = post_json(charlie_client, IMPORT_URL, dossier_text(dossier_with_errors(2)))
    error = api_error(response)
    assert error["total"] == len(error["errors"]) == 6
    assert "listed" not in error["message"]


def test_the_upload_page_lists_the_first_hundred_errors_and_how_many_more(
    orgs: Any, alice_client: Client
) -> None:
    upload = SimpleUploadedFile("bad.json", dossier_text(dossier_with_errors(60)).encode())
    alice_client.cookies["django_language"] = "en"  # the sentence checked is the English one
    response = alice_client.post(
        "/dossiers/upload/", {"organisation": orgs["org-a"].pk, "file": upload}
    )
    assert response.status_code == 200
    assert response.text.count("<tr><td><code>") == MAX_LISTED_ERRORS
    assert "and 80 more: 180 errors were found; the first 100 are listed" in response.text


# One strict JSON reader for every import route


def test_a_repeated_key_is_refused_on_the_api_with_its_path(
    orgs: Any, charlie_client: Client
) -> None:
    text = dossier_text().replace('"factory": {', '"factory": {"name": "重复 twice", ', 1)
    response = post_json(charlie_client, IMPORT_URL, text)
    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "parse_error"
    assert [e["path"] for e in error["errors"]] == ["/factory/name"]
    assert "duplicate key 'name'" in error["errors"][0]["message"]
    assert Inventory.objects.count() == 0


def test_a_repeated_key_is_refused_on_every_api_route(
    demo: dict[str, Any], alice_client: Client
) -> None:
    url = f"/api/v1/assessments/{demo['suzhou'].pk}/what-if/"
    body = '{"extra_credits_tco2e": "1", "extra_credits_tco2e": "9000"}'
    response = post_json(alice_client, url, body)
    assert response.status_code == 400
    assert [e["path"] for e in api_error(response)["errors"]] == ["/extra_credits_tco2e"]


def test_a_byte_order_mark_is_accepted_on_the_api(orgs: Any, charlie_client: Client) -> None:
    body = "\ufeff".encode() + dossier_text().encode()
    response = post_json(charlie_client, IMPORT_URL, body)
    assert response.status_code == 201, response.content[:300]
    assert response.json()["factory"] == "示例精密制造（苏州）有限公司"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_on_the_api(
    orgs: Any, charlie_client: Client, constant: str
) -> None:
    text = dossier_text().replace('"quantity": "12500"', f'"quantity": {constant}', 1)
    assert constant in text
    response = post_json(charlie_client, IMPORT_URL, text)
    assert response.status_code == 400
    assert constant.lstrip("-") in api_error(response)["errors"][0]["message"]
    assert Inventory.objects.count() == 0


def test_a_body_that_is_not_utf8_is_refused_on_the_api(orgs: Any, charlie_client: Client) -> None:
    response = post_json(charlie_client, IMPORT_URL, dossier_text().encode("utf-16"))
    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "parse_error"
    assert "UTF-8" in error["errors"][0]["message"]


def test_deeply_nested_json_is_a_400_not_a_server_error(
    demo: dict[str, Any], alice_client: Client
) -> None:
    url = f"/api/v1/assessments/{demo['suzhou'].pk}/what-if/"
    body = '{"answers": ' + "[" * 200_000 + "]" * 200_000 + "}"
    response = post_json(quiet_client(alice_client), url, body)
    assert response.status_code == 400
    assert api_error(response)["code"] == "parse_error"


@pytest.mark.parametrize(
    ("content", "wanted"),
    [
        ("\ufeff".encode() + dossier_text().encode(), None),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (
            dossier_text().replace('"factory": {', '"factory": {"name": "x", ', 1).encode(),
            "/factory/name",
        ),
        (dossier_text().replace('"12500"', "NaN", 1).encode(), "NaN"),
    ],
)
def test_the_browser_upload_reads_as_strictly_as_the_api(
    orgs: Any, alice_client: Client, content: bytes, wanted: str | None
) -> None:
    upload = SimpleUploadedFile("dossier.json", content)
    response = quiet_client(alice_client).post(
        "/dossiers/upload/",
        {"organisation": orgs["org-a"].pk, "file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    if wanted is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert wanted in response.text
    assert Inventory.objects.count() == 0
