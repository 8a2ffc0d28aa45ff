"""The public verification pages: anyone sees a certificate's status and public facts and
nothing else, checks a PDF by its hash, and is slowed down past the rate per address."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reports.models import Certificate, RenderedPdf
from reports.services import issue_certificate, revoke_certificate
from tests.reports.test_certificates import (
    ISSUED,
    credit_code,
    make_assessment,
    make_evaluation,
    rated,
)
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n% a certificate, as rendered\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(orgs: dict[str, Organisation]) -> Certificate:
    return issue_certificate(rated(orgs["org-a"], score="91.29"), issued_on=ISSUED)


def english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:400]
    return response.content.decode()


def test_anyone_sees_a_valid_certificate_in_chinese_by_default(
    certificate: Certificate, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        text = page(Client(), f"/verify/{certificate.number}/")
    assert '<html lang="zh-Hans">' in text
    assert "示例工厂 1" in text
    assert "Example Factory 1" not in text
    assert "★★★★★" in text
    assert certificate.evaluation_sha256 in text


def test_the_english_page_shows_exactly_the_public_facts(certificate: Certificate) -> None:
    text = page(english(), f"/verify/{certificate.number}/")
    assert '<html lang="en">' in text
    for shown in [
        "Certificate ZCF-2026-0001",
        "Valid",
        "Example Factory 1",
        "5-star zero-carbon factory",
        "Type I (categories 1–2)",
        "2025",
        "March 2, 2026",
        "Dec. 31, 2026",
        certificate.evaluation_sha256,
    ]:
        assert shown in text
    # nothing beyond them: no credit code, score, organisation or evaluation link
    assert re.findall(r"<dt>([^<]*)</dt>", text) == [
        "Certificate number",
        "Status",
        "Factory",
        "Level",
        "Boundary type",
        "Data year",
        "Issued on",
        "Valid until",
        "SHA-256 of the evaluation",
    ]
    for hidden in [
        credit_code(1),
        "91.29",
        "85.50",
        "Example Consulting",
        "org-a",
        "/evaluations/",
    ]:
        assert hidden not in text


def test_a_superseded_certificate_names_and_links_its_successor(
    orgs: dict[str, Organisation],
) -> None:
    assessment = make_assessment(orgs["org-a"])
    old = issue_certificate(make_evaluation(assessment, sha="a", level=4), issued_on=ISSUED)
    new = issue_certificate(make_evaluation(assessment, sha="b"), issued_on=ISSUED)

    text = page(english(), f"/verify/{old.number}/")

    assert "Superseded" in text
    assert f'Replaced by certificate <a href="/verify/{new.number}/">{new.number}</a>.' in text
    assert "4-star zero-carbon factory" in text


def test_a_revoked_certificate_shows_its_reason(certificate: Certificate) -> None:
    revoke_certificate(certificate, "Green electricity evidence <forged>.")
    text = page(english(), f"/verify/{certificate.number}/")
    assert "Revoked" in text
    assert "Reason: Green electricity evidence &lt;forged&gt;." in text
    assert ">Valid<" not in text


def test_a_valid_certificate_past_its_date_shows_as_expired(
    orgs: dict[str, Organisation],
) -> None:
    assessment = make_assessment(orgs["org-a"], year=2023)
    old = issue_certificate(make_evaluation(assessment), issued_on=date(2024, 3, 1))
    assert old.status == "valid"
    assert old.valid_until == date(2024, 12, 31)

    text = page(english(), f"/verify/{old.number}/")

    assert "Expired" in text
    assert "Valid until Dec. 31, 2024; no longer valid." in text


def test_an_unknown_number_says_so_in_the_page_language(db: None) -> None:
    chinese = page(Client(), "/verify/ZCF-2026-0404/", status=404)
    assert '<html lang="zh-Hans">' in chinese
    assert "ZCF-2026-0404" in chinese
    text = page(english(), "/verify/ZCF-2026-0404/", status=404)
    assert "No certificate has the number ZCF-2026-0404." in text


def test_the_number_form_leads_to_the_certificate_page(certificate: Certificate) -> None:
    response = english().get("/verify/", {"number": " zcf-2026-0001 "})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.number}/"
    text = page(english(), "/verify/?number=")
    assert "This field is required." in text
    assert "Publicly listed certificates" in page(english(), "/verify/")


def test_more_requests_than_the_rate_answer_429_in_words(
    certificate: Certificate, settings: Any
) -> None:
    settings.VERIFY_REQUESTS_PER_MINUTE = 2
    client = english()
    page(client, f"/verify/{certificate.number}/")
    page(client, "/verify/list/")

    response = client.get(f"/verify/{certificate.number}/")

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    text = response.content.decode()
    assert "more than 2 verification pages in a minute" in text
    assert certificate.evaluation_sha256 not in text
    other = Client(REMOTE_ADDR="203.0.113.9")  # another address has its own count
    assert other.get(f"/verify/{certificate.number}/").status_code == 200


def _rendered(certificate: Certificate, data: bytes, *, draft: bool = False) -> RenderedPdf:
    pdf = RenderedPdf(
        evaluation=certificate.evaluation,
        certificate=certificate,
        kind=RenderedPdf.Kind.CERTIFICATE,
        language=RenderedPdf.Language.ZH_HANS,
        draft=draft,
        status=RenderedPdf.Status.DONE,
        progress=100,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
    )
    pdf.file.save("certificate.pdf", ContentFile(data), save=False)
    pdf.save()
    return pdf


def _check(certificate: Certificate, data: bytes, name: str = "mine.pdf") -> str:
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = english().post(f"/verify/{certificate.number}/", {"file": upload})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_an_uploaded_copy_is_authentic_exactly_when_it_is_a_final_rendered_pdf(
    certificate: Certificate, orgs: dict[str, Organisation], media: None
) -> None:
    _rendered(certificate, PDF)
    draft = PDF.replace(b"rendered", b"a draft")
    _rendered(certificate, draft, draft=True)
    other = issue_certificate(rated(orgs["org-a"], 2, sha="b"), issued_on=ISSUED)
    foreign = PDF.replace(b"rendered", b"another's")
    _rendered(other, foreign)

    assert "Authentic: this file is exactly" in _check(certificate, PDF)
    for data in [PDF + b" ", draft, foreign]:
        assert "Not authentic: this file matches no certificate PDF" in _check(certificate, data)


def test_a_file_that_is_not_a_pdf_is_refused_at_the_field(certificate: Certificate) -> None:
    text = _check(certificate, b"GIF89a", name="picture.gif")
    assert "This file is not a PDF" in text
    assert "Authentic" not in text


def test_the_listing_shows_only_valid_certificates_of_organisations_that_opted_in(
    orgs: dict[str, Organisation],
) -> None:
    org_a, org_b = orgs["org-a"], orgs["org-b"]
    Organisation.objects.filter(pk=org_a.pk).update(public_listing=True)
    listed = issue_certificate(rated(org_a, 1), issued_on=ISSUED)
    revoked = revoke_certificate(issue_certificate(rated(org_a, 2, sha="b"), issued_on=ISSUED), "x")
    expired = issue_certificate(
        make_evaluation(make_assessment(org_a, 3, year=2023), sha="c"), issued_on=date(2024, 1, 5)
    )
    assessment = make_assessment(org_a, 4)
    superseded = issue_certificate(make_evaluation(assessment, sha="d"), issued_on=ISSUED)
    successor = issue_certificate(make_evaluation(assessment, sha="e"), issued_on=ISSUED)
    hidden = issue_certificate(rated(org_b, 5, sha="f"), issued_on=ISSUED)

    text = page(english(), "/verify/list/")

    for number in [listed.number, successor.number]:
        assert f'<a href="/verify/{number}/">{number}</a>' in text
    for number in [revoked.number, expired.number, superseded.number, hidden.number]:
        assert number not in text
    assert credit_code(1) not in text


def test_an_empty_listing_says_so(db: None) -> None:
    assert "No certificate is listed publicly yet." in page(english(), "/verify/list/")
