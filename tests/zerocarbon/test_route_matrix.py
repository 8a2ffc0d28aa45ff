"""The authorisation matrix of the browser routes, generated from the URL configuration
(issue 11, security): every route must have a tenancy rule in the tables below, so a new
route without one fails `test_every_route_has_a_tenancy_rule` by name. Then every route ×
persona (anonymous, bob the viewer of org A, charlie of org B, carol the auditor) × GET and
POST is requested with org A's objects in the address:

- anonymous is sent to the login page (or answered 401/403/405), never shown a page;
- charlie gets 404 for every object of org A, and his requests change nothing;
- bob's POSTs change nothing (a viewer never writes);
- carol, whose body was not sent the Suzhou assessment, gets 404 for its objects.

The API's routes are checked over its OpenAPI schema by test_permission_matrix.py; here each
must be listed in that schema, so the schema-driven matrix cannot miss it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.models import Evaluation, Review
from assessments.services.workflow import submit_assessment
from emissions.models import EvidenceDocument, ImportJob
from reports.models import RenderedPdf
from reports.services import approve_review
from tests.assessments.reviewing import AS_OF, decide_all, give_addresses, submitted_review
from tests.conftest import DERIVED_TABLES, logged_in
from zerocarbon.accounts.keys import issue_key

pytestmark = pytest.mark.django_db

# Anyone may reach these (their own rules are tested where they live).
PUBLIC = {
    "healthz", "accounts:login", "accounts:logout", "accounts:set-language", "set_language",
    "verify-search", "verify-list", "verify-certificate",
}  # fmt: skip
# Signed-in pages without an object in the address: each lists only the actor's own data.
SIGNED_IN = {
    "home", "factory-list", "factory-create", "factory-check-code", "dossier-upload",
    "review-queue", "accounts:api-keys",
}  # fmt: skip
# Routes with an object of org A's Suzhou factory (not submitted for review) in the address.
ORG_OBJECT = {
    "factory-detail": "factory", "factory-edit": "factory", "inventory-create": "factory",
    "inventory-edit": "inventory", "inventory-section": "inventory",
    "inventory-evidence": "inventory", "inventory-delete": "inventory",
    "inventory-template": "inventory", "inventory-import": "inventory",
    "assessment-detail": "assessment", "assessment-submit": "assessment",
    "assessment-answers": "assessment", "assessment-gates": "assessment",
    "assessment-panel": "assessment", "assessment-what-if": "assessment",
    "assessment-status": "assessment", "assessment-new-version": "assessment",
    "assessment-discard": "assessment", "assessment-dossier": "assessment",
    "assessment-history": "assessment",
    "evidence-download": "evidence", "evidence-replace": "evidence",
    "evaluation-detail": "evaluation", "pdf-request": "evaluation", "pdf-status": "evaluation",
    "pdf-download": "pdf",
    "import-detail": "import", "import-confirm": "import", "import-errors": "import",
    "accounts:api-key-revoke": "api_key",
}  # fmt: skip
# Routes of a review round of Wuxi, submitted by org A to carol's body (cert-body).
REVIEW_OBJECT = {
    "review-detail", "review-decide", "review-comment", "review-outcome", "review-evidence",
    "certificate-revoke", "assessment-review-reply",
}  # fmt: skip
API_EXTRA = {"api-root", "api-schema", "api-docs"}  # the API's index, schema and docs
NOT_SHOWN = {302, 401, 403, 404, 405}
# 405: a GET of a POST-only route (or the reverse) is refused before any object is looked up,
# so it says nothing about the object.
HIDDEN = {404, 405}


def routes() -> Iterator[tuple[str, str, URLPattern]]:
    """(name, route, pattern) of every URL pattern outside the Django admin."""

    def walk(
        resolver: URLResolver, prefix: str, space: str
    ) -> Iterator[tuple[str, str, URLPattern]]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name != "admin":
                    inner = f"{space}{entry.namespace}:" if entry.namespace else space
                    yield from walk(entry, prefix + str(entry.pattern), inner)
            else:
                name = f"{space}{entry.name}" if entry.name else ""
                yield name, prefix + str(entry.pattern), entry

    yield from walk(get_resolver(), "", "")


def _is_api(route: str) -> bool:
    return route.startswith("api/")


def test_every_route_has_a_tenancy_rule() -> None:
    ruled = PUBLIC | SIGNED_IN | set(ORG_OBJECT) | REVIEW_OBJECT
    missing = sorted({name or route for name, route, _ in routes() if not _is_api(route)} - ruled)
    assert missing == [], f"routes without a tenancy rule in this file: {missing}"


def test_every_api_route_is_in_the_schema_the_api_matrix_walks(client: Client) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()
    documented = {re.sub(r"\{[^}]+\}", "ID", path) for path in schema["paths"]}
    unlisted = []
    for name, route, _ in routes():
        if not _is_api(route) or name in API_EXTRA or "format" in route:
            continue
        path = "/" + re.sub(r"\(\?P<[^>]+>[^)]+\)|<[^>]+>", "ID", route).replace("^", "")
        if path.rstrip("$") not in documented:
            unlisted.append(path)
    assert unlisted == [], f"API routes the OpenAPI matrix does not see: {unlisted}"


@pytest.fixture
def objects(
    demo: dict[str, Any], alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    """Org A's objects: Suzhou's (never submitted) and a certified review round of Wuxi."""
    give_addresses()
    suzhou = demo["suzhou"]
    review = submitted_review(demo, alice, django_capture_on_commit_callbacks)
    decide_all(carol, review)
    certificate = approve_review(carol, review, "Alles in Ordnung.")
    with django_capture_on_commit_callbacks(execute=True):  # evaluated, no review
        submit_assessment(alice, suzhou, as_of=AS_OF, certification_body=None)
    evaluation = Evaluation.objects.get(assessment=suzhou)
    evidence = EvidenceDocument.objects.create(
        inventory=suzhou.inventory, kind="other", reference="matrix.pdf",
        file=ContentFile(b"%PDF-1.4 matrix", name="matrix.pdf"), uploaded_by=alice,
        size_bytes=15, sha256="0" * 64,
    )  # fmt: skip
    job = ImportJob.objects.create(
        organisation=demo["orgs"]["org-a"], inventory=suzhou.inventory, created_by=alice,
        kind=ImportJob.Kind.choices[0][0], file=ContentFile(b"x", name="x.xlsx"),
        filename="x.xlsx", size_bytes=1, sha256="0" * 64,
    )  # fmt: skip
    pdf = RenderedPdf.objects.create(
        evaluation=evaluation, kind=RenderedPdf.Kind.choices[0][0], language="zh-hans"
    )
    key = issue_key(demo["orgs"]["org-a"], name="matrix")
    return {
        "factory": suzhou.inventory.factory_id, "inventory": suzhou.inventory_id,
        "assessment": suzhou.pk, "evidence": evidence.pk, "evaluation": evaluation.pk,
        "pdf": pdf.pk, "import": job.pk, "api_key": key.api_key.prefix, "review": review,
        "certificate": certificate, "wuxi_evidence": EvidenceDocument.objects.filter(
            inventory=review.assessment.inventory).values_list("pk", flat=True).first(),
    }  # fmt: skip


def _kwargs(name: str, pattern: URLPattern, objects: dict[str, Any]) -> dict[str, Any]:
    review: Review = objects["review"]
    if name in ORG_OBJECT:
        which = ORG_OBJECT[name]
        kwargs: dict[str, Any] = {"prefix" if which == "api_key" else "pk": objects[which]}
        if name == "inventory-section":
            kwargs["section"] = "energy"
        return kwargs
    if name == "certificate-revoke":
        return {"pk": objects["certificate"].pk}
    if name == "assessment-review-reply":
        return {"pk": review.assessment_id, "review_pk": review.pk}
    if name == "review-evidence":
        return {"pk": review.pk, "evidence_pk": objects["wuxi_evidence"]}
    return {"pk": review.pk}


def _addressed(objects: dict[str, Any]) -> list[tuple[str, str]]:
    from django.urls import reverse

    addressed = []
    for name, route, pattern in routes():
        if _is_api(route) or name in PUBLIC or name in SIGNED_IN:
            continue
        addressed.append((name, reverse(name, kwargs=_kwargs(name, pattern, objects))))
    return addressed


def fingerprint() -> tuple[int, ...]:
    """Row counts of every table of ours (histories included): a write shows in it."""
    ours = {"accounts", "emissions", "assessments", "reports"}
    return tuple(
        model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ours and model._meta.label not in DERIVED_TABLES
    )


def _requests(client: Client, addressed: list[tuple[str, str]]) -> Iterator[tuple[str, str, Any]]:
    for name, url in addressed:
        yield name, f"GET {url}", client.get(url)
        yield name, f"POST {url}", client.post(url, {"reason": "x", "note": "x", "text": "x"})


def test_anonymous_is_shown_nothing_but_the_login_page(objects: dict[str, Any]) -> None:
    leaks = []
    for _name, request, response in _requests(Client(), _addressed(objects)):
        if response.status_code not in NOT_SHOWN:
            leaks.append(f"{request} → {response.status_code}")
        elif response.status_code == 302 and "/accounts/login/" not in response["Location"]:
            leaks.append(f"{request} → 302 {response['Location']}")
    for name in SIGNED_IN:
        from django.urls import reverse

        response = Client().get(reverse(name))
        if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
            leaks.append(f"GET {reverse(name)} → {response.status_code}")
    assert leaks == []


def test_charlie_gets_404_for_every_object_of_org_a_and_writes_nothing(
    objects: dict[str, Any], charlie: User
) -> None:
    before, client = fingerprint(), logged_in(charlie)
    leaks = [
        f"{request} → {response.status_code}"
        for _name, request, response in _requests(client, _addressed(objects))
        if response.status_code not in HIDDEN
    ]
    assert leaks == []
    assert fingerprint() == before


def test_bob_the_viewer_writes_nothing_anywhere(objects: dict[str, Any], bob: User) -> None:
    client, written = logged_in(bob), []
    for _name, url in _addressed(objects):
        before = fingerprint()
        response = client.post(url, {"reason": "x", "note": "x", "text": "x", "verdict": "x"})
        if fingerprint() != before:
            written.append(f"POST {url} → {response.status_code}")
    assert written == []


def test_carol_gets_404_for_what_was_never_submitted_to_her_body(
    objects: dict[str, Any], carol: User
) -> None:
    client, before = logged_in(carol), fingerprint()
    orgs_only = [(name, url) for name, url in _addressed(objects) if name in ORG_OBJECT]
    leaks = [
        f"{request} → {response.status_code}"
        for _name, request, response in _requests(client, orgs_only)
        if response.status_code not in HIDDEN
    ]
    assert leaks == []
    assert fingerprint() == before


def test_the_addresses_are_real_their_owners_and_auditor_open_them(
    objects: dict[str, Any], alice: User, carol: User
) -> None:
    """Without this, a 404 above could mean a wrong address rather than a hidden object."""
    addressed = dict(_addressed(objects))
    alice_client, carol_client = logged_in(alice), logged_in(carol)
    for name in ("factory-detail", "assessment-detail", "evaluation-detail", "inventory-edit"):
        assert alice_client.get(addressed[name]).status_code == 200, name
    assert carol_client.get(addressed["review-detail"]).status_code == 200
    assert carol_client.get(addressed["review-evidence"]).status_code == 200
