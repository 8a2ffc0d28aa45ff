"""A certificate or credit counts once on the platform, whatever cosmetic text surrounds it.

Registry names, serial prefixes and contract references are compared in canonical form
(NFKC, case-folded, white space and zero-width characters removed), and registries resolve
through the alias table, so none of the forms an attacker used to re-claim a range works.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from assessments.models import Assessment
from assessments.services.dossier import DossierRejected, import_dossier, read_full_dossier
from emissions.models import Factory, Inventory, Registry, RegistryAlias, SerialClaim
from emissions.selectors import registry_directory
from tests.conftest import ROOT, _database_url, example
from zerocarbon.accounts.models import Organisation
from zerocarbon.errors import ValidationFailed

AS_OF = date(2025, 6, 30)
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

GEC, CCER = "/green_electricity/0/serial_from", "/credits/0/serial_from"


def _other_factory(data: dict[str, Any]) -> dict[str, Any]:
    """The same certificates, claimed by another organisation's factory."""
    data["factory"].update(name="另一家工厂", credit_code="91320214MA1WXJM00Y")
    data["credits"][0]["beneficiary"] = "另一家工厂"
    return data


def _edit_lines(data: dict[str, Any], edit: Any) -> dict[str, Any]:
    for line in (data["green_electricity"][0], data["credits"][0]):
        edit(line)
    return data


def _registry(text: Any) -> Any:
    return lambda line: line.update(registry=text(line["registry"]))


def _serials(text: Any) -> Any:
    return lambda line: line.update(
        serial_from=text(line["serial_from"]), serial_to=text(line["serial_to"])
    )


def _full_width(serial: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in serial)


DODGES = {
    "a trailing space in the registry": _registry(lambda r: r + " "),
    "an ideographic space in the registry": _registry(lambda r: r[:2] + "\u3000" + r[2:]),
    "a zero-width space in the registry": _registry(lambda r: "\u200b" + r),
    "a zero-width space before the serials": _serials(lambda s: "\u200b" + s),
    "the prefix in lower case": _serials(str.lower),
    "the prefix in full-width letters": _serials(_full_width),
    "a leading space in the serials": _serials(lambda s: " " + s),
    "a byte-order mark inside the prefix": _serials(lambda s: s[:2] + "\ufeff" + s[2:]),
    "full-width digits": _serials(lambda s: "".join(chr(ord(c) + 0xFEE0) for c in s)),
}


@pytest.mark.parametrize("dodge", DODGES.values(), ids=list(DODGES))
def test_a_cosmetic_variant_of_a_claimed_range_is_refused(
    orgs: dict[str, Organisation], dodge: Any
) -> None:
    import_dossier(orgs["org-a"], example("demo-dossier"), as_of=AS_OF)
    claims = SerialClaim.objects.count()
    variant = _edit_lines(_other_factory(example("demo-dossier")), dodge)
    with pytest.raises(ValidationFailed) as raised:
        import_dossier(orgs["org-b"], variant, as_of=AS_OF)
    errors = {error.path: error.message for error in raised.value.errors}
    assert set(errors) == {GEC, CCER}
    assert all("already claimed" in message for message in errors.values())
    assert SerialClaim.objects.count() == claims
    assert not Factory.objects.filter(organisation=orgs["org-b"]).exists()


def test_an_alias_of_a_registry_is_the_same_registry(orgs: dict[str, Organisation]) -> None:
    import_dossier(orgs["org-a"], example("demo-dossier"), as_of=AS_OF)
    variant = _other_factory(example("demo-dossier"))
    variant["green_electricity"][0]["registry"] = "China  GEC"  # an alias, spaced oddly
    variant["credits"] = []
    with pytest.raises(ValidationFailed) as raised:
        import_dossier(orgs["org-b"], variant, as_of=AS_OF)
    assert [error.path for error in raised.value.errors] == [GEC]


def test_another_registry_may_use_the_same_serial_numbers(orgs: dict[str, Organisation]) -> None:
    import_dossier(orgs["org-a"], example("demo-dossier"), as_of=AS_OF)
    variant = _other_factory(example("demo-dossier"))
    variant["green_electricity"][0]["instrument"] = "I-REC"
    variant["green_electricity"][0]["registry"] = "I-REC Registry"
    variant["credits"] = []
    import_dossier(orgs["org-b"], variant, as_of=AS_OF)
    assert SerialClaim.objects.filter(registry="i-recregistry").count() == 1


def test_the_api_refuses_a_cosmetic_reclaim_with_400_naming_the_lines(
    orgs: dict[str, Organisation], charlie_client: Client
) -> None:
    import_dossier(orgs["org-a"], example("demo-dossier"), as_of=AS_OF)
    variant = _edit_lines(_other_factory(example("demo-dossier")), _registry(lambda r: r + " "))
    response = charlie_client.post(
        "/api/v1/dossiers/?organisation=org-b&as_of=2025-06-30",
        json.dumps(variant, ensure_ascii=False),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["code"] == "already_claimed"
    assert {error["path"] for error in body["errors"]} == {GEC, CCER}


def test_claims_are_stored_under_the_registry_key_and_canonical_prefix(
    orgs: dict[str, Organisation],
) -> None:
    data = _edit_lines(example("demo-dossier"), _serials(lambda s: " " + s.lower()))
    data["green_electricity"][0]["registry"] = "中国绿色电力证书"  # an alias of 中国绿证
    import_dossier(orgs["org-a"], data, as_of=AS_OF)
    stored = sorted(SerialClaim.objects.values_list("instrument", "registry", "prefix"))
    assert stored == [("CCER", "全国温室气体自愿减排注册登记系统", "ccer-0001-2023-"),
                      ("GEC", "中国绿证", "gec")]  # fmt: skip
    line = Inventory.objects.get().green_electricity.get()
    assert (line.registry, line.serial_from) == ("中国绿色电力证书", " gec2023000100001")


# Inside one dossier -----------------------------------------------------------------------


def test_the_same_certificates_twice_in_one_dossier_are_a_dossier_error(
    orgs: dict[str, Organisation],
) -> None:
    data = example("demo-dossier")
    twin = dict(data["green_electricity"][0], registry="中国绿证 ")
    data["green_electricity"].append(twin)
    with pytest.raises(DossierRejected) as raised:
        import_dossier(orgs["org-a"], data, as_of=AS_OF)
    errors = {error.path: error.message for error in raised.value.errors}
    assert (
        "serial range overlaps /green_electricity/0" in errors["/green_electricity/1/serial_from"]
    )
    assert "counts once" in errors["/green_electricity/1/serial_from"]
    assert not SerialClaim.objects.exists()


def test_a_repeated_contract_in_canonical_form_is_a_dossier_error(
    orgs: dict[str, Organisation],
) -> None:
    data = example("demo-dossier")
    contract = {"instrument": "GREEN_POWER", "registry": "北京电力交易中心",
                "contract_ref": "BJ-2023-001", "quantity_mwh": "100", "vintage": 2023}  # fmt: skip
    data["green_electricity"] += [contract, dict(contract, contract_ref=" bj-2023-００１")]
    with pytest.raises(DossierRejected) as raised:
        import_dossier(orgs["org-a"], data, as_of=AS_OF)
    assert [error.path for error in raised.value.errors] == ["/green_electricity/2/contract_ref"]


def test_a_registry_unknown_to_the_platform_is_named_in_the_warnings(
    orgs: dict[str, Organisation],
) -> None:
    data = example("demo-dossier")
    data["green_electricity"][0]["registry"] = "某省绿证中心"
    read = read_full_dossier(data, as_of=AS_OF).read
    assert len(read.warnings) == 1
    assert read.warnings[0].startswith("/green_electricity/0/registry: registry '某省绿证中心'")
    assert read_full_dossier(example("demo-dossier"), as_of=AS_OF).read.warnings == ()


def test_an_alias_an_admin_adds_takes_effect_at_once(orgs: dict[str, Organisation]) -> None:
    RegistryAlias.objects.create(
        registry=Registry.objects.get(name="中国绿证"), alias="某省绿证中心"
    )
    assert registry_directory().key(" 某省绿证中心") == "中国绿证"


# Across processes -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_processes_racing_with_cosmetic_variants_never_both_win(
    orgs: dict[str, Organisation], tmp_path: Path
) -> None:
    variants = [
        ("org-a", example("demo-dossier")),
        (
            "org-b",
            _edit_lines(
                _other_factory(example("demo-dossier")), _serials(lambda s: "\u200b" + s.lower())
            ),
        ),
    ]
    for round_number, dodge in enumerate(
        [_registry(lambda r: r + "\u3000"), _serials(_full_width), _serials(lambda s: " " + s)]
    ):
        go = tmp_path / f"go-{round_number}"
        files = []
        for index, (slug, original) in enumerate(variants):
            data = json.loads(json.dumps(original))
            if index == round_number % 2:
                data = _edit_lines(data, dodge)
            path = tmp_path / f"{round_number}-{slug}.json"
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            files.append((slug, path))
        outcomes = _race(files, go)
        assert sorted(code for code, _ in outcomes) == [0, 2], outcomes
        refused = next(out for code, out in outcomes if code == 2)
        assert "already claimed" in refused
        assert SerialClaim.objects.count() == 2
        Assessment.objects.all().delete()
        Inventory.objects.all().delete()
        assert not SerialClaim.objects.exists()


def _race(files: list[tuple[str, Path]], go: Path) -> list[tuple[int, str]]:
    env = {"DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "zerocarbon.settings.test"}

    processes = [
        subprocess.Popen(  # noqa: S603 - our own driver script
            [
                sys.executable,
                str(ROOT / "tests" / "assessments" / "race_import.py"),
                slug,
                str(path),
                str(go),
            ],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for slug, path in files
    ]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.ready-{slug}").exists() for slug, _ in files):
        assert time.monotonic() < deadline, "the racers never got ready"
        time.sleep(0.05)
    go.touch()  # both have set Django up and loaded their dossier: go
    results = []
    for process in processes:
        out, _ = process.communicate(timeout=90)
        results.append((process.returncode, out))
    return results


def test_the_evaluation_names_an_unknown_registry_in_its_warnings(
    orgs: dict[str, Organisation],
) -> None:
    from assessments.services.evaluation import compute

    data = example("demo-dossier")
    data["green_electricity"][0]["registry"] = "某省绿证中心"
    assessment = import_dossier(orgs["org-a"], data, as_of=AS_OF)
    warnings = compute(assessment, as_of=AS_OF).result["factors"]["warnings"]
    assert any("registry '某省绿证中心' is not in the platform's list" in w for w in warnings)
