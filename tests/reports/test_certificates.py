"""Certificates: gapless numbers safe under concurrent issues, one per evaluation, superseded
by a newer evaluation's, revoked only with a reason, expired by date."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import translation

from assessments.models import Assessment, Evaluation, Rubric
from emissions.identifiers import credit_code_check_character
from emissions.models import Factory, Inventory
from emissions.selectors import default_factor_set
from reports.models import Certificate, CertificateSequence, certificate_number
from reports.services import issue_certificate, revoke_certificate
from zerocarbon.accounts.models import Organisation
from zerocarbon.errors import Conflict, DomainError, ValidationFailed

pytestmark = pytest.mark.django_db
ISSUED = date(2026, 3, 2)


def credit_code(serial: int) -> str:
    first = f"91320594MC{serial:07d}"
    return first + credit_code_check_character(first)


def make_assessment(
    organisation: Organisation, serial: int = 1, *, year: int = 2025, boundary: str = "I"
) -> Assessment:
    factory = Factory.objects.create(
        organisation=organisation,
        name=f"示例工厂 {serial}",
        name_en=f"Example Factory {serial}",
        credit_code=credit_code(serial),
        province="江苏",
        grid_region="east",
    )
    inventory = Inventory.objects.create(
        factory=factory, year=year, boundary=boundary, factor_set=default_factor_set()
    )
    return Assessment.objects.create(
        inventory=inventory, rubric=Rubric.objects.get(), status=Assessment.Status.EVALUATED
    )


def make_evaluation(
    assessment: Assessment, *, level: int | None = 5, sha: str = "a", score: str = "85.50"
) -> Evaluation:
    inventory = assessment.inventory
    dossier = {
        "factory": {"name": inventory.factory.name, "name_en": inventory.factory.name_en},
        "year": inventory.year,
        "boundary": inventory.boundary,
    }
    return Evaluation.objects.create(
        assessment=assessment,
        as_of=date(2026, 2, 1),
        rubric_code="T/CECA-G 0171-2022",
        rubric_edition="2022",
        factor_set_version="CN-2025.1",
        gwp_set="AR6",
        code_version="test",
        inputs={"dossier": dossier},
        result={"star_level": level},
        input_sha256=sha * 64,
        sha256=sha * 64,
        total_score=Decimal(score),
        star_level=level,
        zero_carbon=level is not None,
    )


def rated(organisation: Organisation, serial: int = 1, **kwargs: Any) -> Evaluation:
    return make_evaluation(make_assessment(organisation, serial), **kwargs)


def test_a_number_names_the_issue_year_and_a_four_digit_sequence() -> None:
    assert certificate_number(2026, 7) == "ZCF-2026-0007"
    assert certificate_number(2026, 12345) == "ZCF-2026-12345"


def test_a_certificate_snapshots_the_evaluation_and_is_valid_to_the_end_of_the_next_year(
    orgs: dict[str, Organisation],
) -> None:
    evaluation = rated(orgs["org-a"], score="91.29")

    certificate = issue_certificate(evaluation, issued_on=ISSUED)

    assert certificate.number == "ZCF-2026-0001"
    assert (certificate.factory_name, certificate.factory_name_en) == (
        "示例工厂 1",
        "Example Factory 1",
    )
    assert certificate.credit_code == credit_code(1)
    assert (certificate.star_level, certificate.total_score) == (5, Decimal("91.29"))
    assert (certificate.boundary, certificate.data_year) == ("I", 2025)
    assert certificate.valid_until == date(2026, 12, 31)
    assert certificate.evaluation_sha256 == evaluation.sha256
    assert certificate.current_status(date(2026, 12, 31)) == "valid"


def test_the_years_of_validity_come_from_the_setting(
    orgs: dict[str, Organisation], settings: Any
) -> None:
    settings.CERTIFICATE_VALID_YEARS = 3
    certificate = issue_certificate(rated(orgs["org-a"]), issued_on=ISSUED)
    assert certificate.valid_until == date(2028, 12, 31)


def test_numbers_follow_each_other_within_a_year_and_restart_the_next(
    orgs: dict[str, Organisation],
) -> None:
    numbers = [
        issue_certificate(rated(orgs["org-a"], n), issued_on=on).number
        for n, on in [(1, ISSUED), (2, ISSUED), (3, date(2027, 1, 4)), (4, ISSUED)]
    ]
    assert numbers == ["ZCF-2026-0001", "ZCF-2026-0002", "ZCF-2027-0001", "ZCF-2026-0003"]


def test_a_rolled_back_issue_gives_its_number_back(orgs: dict[str, Organisation]) -> None:
    evaluation = rated(orgs["org-a"], 1)

    def approve_then_fail() -> None:
        with transaction.atomic():
            issue_certificate(evaluation, issued_on=ISSUED)
            raise RuntimeError("the approval around it failed")

    with pytest.raises(RuntimeError):
        approve_then_fail()
    # an insert refused by the database after the number was taken rolls the counter back too
    with pytest.raises(IntegrityError):
        issue_certificate(rated(orgs["org-a"], 2, level=2), issued_on=ISSUED)

    assert issue_certificate(rated(orgs["org-a"], 3), issued_on=ISSUED).number == "ZCF-2026-0001"
    assert CertificateSequence.objects.get(year=2026).last_number == 1


def test_an_evaluation_gets_one_certificate_and_an_unrated_one_none(
    orgs: dict[str, Organisation],
) -> None:
    evaluation = rated(orgs["org-a"], 1)
    first = issue_certificate(evaluation, issued_on=ISSUED)
    with pytest.raises(Conflict, match=f"already has certificate {first.number}"):
        issue_certificate(evaluation, issued_on=ISSUED)
    with pytest.raises(Conflict, match="reached no star level"):
        issue_certificate(rated(orgs["org-a"], 2, level=None), issued_on=ISSUED)
    assert Certificate.objects.count() == 1
    assert CertificateSequence.objects.get(year=2026).last_number == 1


def test_a_newer_evaluation_supersedes_the_valid_certificate_of_the_same_scope(
    orgs: dict[str, Organisation],
) -> None:
    assessment = make_assessment(orgs["org-a"])
    old = issue_certificate(make_evaluation(assessment, sha="a", level=4), issued_on=ISSUED)
    other = issue_certificate(rated(orgs["org-a"], 2), issued_on=ISSUED)  # another factory

    new = issue_certificate(make_evaluation(assessment, sha="b", level=5), issued_on=ISSUED)

    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.status, old.superseded_by) == ("superseded", new)
    assert old.current_status() == "superseded"
    assert (new.status, other.status) == ("valid", "valid")


def test_an_older_evaluation_cannot_be_certified_after_a_newer_one(
    orgs: dict[str, Organisation],
) -> None:
    assessment = make_assessment(orgs["org-a"])
    older = make_evaluation(assessment, sha="a")
    newer = issue_certificate(make_evaluation(assessment, sha="b"), issued_on=ISSUED)
    with pytest.raises(Conflict, match=f"{newer.number} was issued for a newer evaluation"):
        issue_certificate(older, issued_on=ISSUED)


def test_the_database_refuses_two_valid_certificates_for_one_scope(
    orgs: dict[str, Organisation],
) -> None:
    assessment = make_assessment(orgs["org-a"])
    first = issue_certificate(make_evaluation(assessment, sha="a"), issued_on=ISSUED)
    second = make_evaluation(assessment, sha="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            **{
                f.name: getattr(first, f.name)
                for f in Certificate._meta.concrete_fields
                if f.name not in {"id", "number", "evaluation"}
            },
            number="ZCF-2026-0999",
            evaluation=second,
        )


def test_a_revocation_needs_a_reason_and_keeps_it(orgs: dict[str, Organisation]) -> None:
    certificate = issue_certificate(rated(orgs["org-a"]), issued_on=ISSUED)
    with pytest.raises(ValidationFailed, match="needs a reason") as refused:
        revoke_certificate(certificate, "   ")
    assert [e.path for e in refused.value.errors] == ["reason"]
    certificate.refresh_from_db()
    assert certificate.status == "valid"

    revoked = revoke_certificate(certificate, "  Evidence for RE share was forged.  ")

    assert (revoked.status, revoked.revoked_reason) == (
        "revoked",
        "Evidence for RE share was forged.",
    )
    assert revoked.revoked_at is not None
    with pytest.raises(Conflict, match="only a valid one can be revoked"):
        revoke_certificate(revoked, "again")


def test_the_database_refuses_a_revoked_certificate_without_a_reason(
    orgs: dict[str, Organisation],
) -> None:
    certificate = issue_certificate(rated(orgs["org-a"]), issued_on=ISSUED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(status="revoked")


def test_a_valid_certificate_past_its_date_reads_expired_and_others_keep_their_status(
    orgs: dict[str, Organisation],
) -> None:
    certificate = issue_certificate(rated(orgs["org-a"]), issued_on=ISSUED)
    assert certificate.current_status(date(2027, 1, 1)) == "expired"
    revoked = revoke_certificate(certificate, "withdrawn by the body")
    assert revoked.current_status(date(2027, 1, 1)) == "revoked"


def test_the_command_issues_and_revokes_in_english(orgs: dict[str, Organisation]) -> None:
    evaluation = rated(orgs["org-a"])
    out = StringIO()
    call_command(
        "certificate", "issue", str(evaluation.pk), "--issued-on", "2026-03-02", stdout=out
    )
    assert out.getvalue().strip() == (
        "ZCF-2026-0001: Valid, 示例工厂 1, 5★, valid until 2026-12-31."
    )
    with pytest.raises(CommandError, match="the following arguments are required: --reason"):
        call_command("certificate", "revoke", "ZCF-2026-0001")
    with pytest.raises(CommandError, match="needs a reason"):
        call_command("certificate", "revoke", "ZCF-2026-0001", "--reason", " ")
    call_command("certificate", "revoke", "zcf-2026-0001", "--reason", "withdrawn", stdout=out)
    assert "ZCF-2026-0001: Revoked" in out.getvalue()
    with pytest.raises(CommandError, match="No evaluation has the id 999999"):
        call_command("certificate", "issue", "999999")


def race(first: Evaluation, second: Evaluation) -> tuple[dict[str, str], list[Exception]]:
    """Issue `first` in a transaction held open until the issue of `second` has started and
    is seen waiting for the first's locks; the numbers given and the errors raised."""
    holding, release = threading.Event(), threading.Event()
    numbers: dict[str, str] = {}
    failures: list[Exception] = []

    def issue(name: str, evaluation: Evaluation, hold: bool) -> None:
        try:  # a thread does not inherit the test's language: English, as the test reads
            with translation.override("en"), transaction.atomic():
                numbers[name] = issue_certificate(evaluation, issued_on=ISSUED).number
                if hold:
                    holding.set()
                    release.wait(30)
        except (DatabaseError, DomainError) as error:  # reported by the caller's assertions
            failures.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=issue, args=("one", first, True))
    one.start()
    assert holding.wait(30)
    two = threading.Thread(target=issue, args=("two", second, False))
    two.start()
    two.join(1)
    assert two.is_alive(), "the second issue must wait for the first's locks"
    release.set()
    one.join(30)
    two.join(30)
    return numbers, failures


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("given", [0, 41], ids=["first-of-the-year", "sequence-row-exists"])
def test_two_concurrent_issues_get_consecutive_distinct_numbers(
    orgs: dict[str, Organisation], given: int
) -> None:
    if given:
        CertificateSequence.objects.create(year=2026, last_number=given)
    numbers, failures = race(rated(orgs["org-a"], 1), rated(orgs["org-a"], 2, sha="b"))
    assert failures == []
    assert numbers == {
        "one": certificate_number(2026, given + 1),
        "two": certificate_number(2026, given + 2),
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issues_of_one_evaluation_give_one_number(
    orgs: dict[str, Organisation],
) -> None:
    evaluation = rated(orgs["org-a"], 1)
    numbers, failures = race(evaluation, evaluation)
    assert numbers == {"one": "ZCF-2026-0001"}
    assert [str(f) for f in failures] == [
        f"Evaluation {evaluation.pk} already has certificate ZCF-2026-0001."
    ]
    assert CertificateSequence.objects.get(year=2026).last_number == 1
