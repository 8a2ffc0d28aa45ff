from __future__ import annotations

import copy
import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from assessments.models import Answer, Assessment
from assessments.services.dossier import (
    DossierRejected,
    export_dossier,
    import_dossier,
    read_full_dossier,
)
from emissions.models import Factory, Inventory, SerialClaim
from tests.conftest import example
from zerocarbon.accounts.models import Organisation
from zerocarbon.errors import ValidationFailed

AS_OF = date(2025, 6, 30)
pytestmark = pytest.mark.django_db


def _nothing_written() -> None:
    assert Factory.objects.count() == 0
    assert Inventory.objects.count() == 0
    assert Assessment.objects.count() == 0
    assert SerialClaim.objects.count() == 0


def test_both_examples_import_with_every_line_and_answer(orgs: dict[str, Organisation]) -> None:
    for name in ("demo-dossier", "demo-rated-dossier"):
        assessment = import_dossier(orgs["org-a"], example(name), as_of=AS_OF)
        inventory = assessment.inventory
        assert inventory.energy.count() == 5
        assert inventory.credits.count() == 1
        assert Answer.objects.filter(assessment=assessment).count() == 20
    assert SerialClaim.objects.count() == 4
    assert Factory.objects.get(credit_code="91320594MA1EXAMPL2").grid_region == "east"


def test_import_export_import_gives_equal_data(orgs: dict[str, Organisation]) -> None:
    original = example("demo-dossier")
    first = import_dossier(orgs["org-a"], original, as_of=AS_OF)
    exported = export_dossier(first)
    assert (
        read_full_dossier(exported, as_of=AS_OF).read.document
        == read_full_dossier(original, as_of=AS_OF).read.document
    )
    # Delete and import the export again: the stored data is the same.
    inventory = first.inventory
    first.delete()
    inventory.delete()
    second = import_dossier(orgs["org-a"], exported, as_of=AS_OF)
    assert export_dossier(second) == exported
    full_original, full_second = (
        read_full_dossier(original, as_of=AS_OF),
        read_full_dossier(export_dossier(second), as_of=AS_OF),
    )
    assert full_original.answers == full_second.answers
    assert full_original.gates == full_second.gates


def _mutate(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(example("demo-dossier"))
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()

INVALID = [
    ("wrong unit for a carrier", ("energy", 0, "unit"), "t", "/energy/0/unit"),
    ("unknown carrier", ("energy", 3, "carrier"), "whale_oil", "/energy/3/carrier"),
    ("negative quantity", ("energy", 0, "quantity"), "-5", "/energy/0/quantity"),
    ("monthly values not summing", ("energy", 2, "monthly", 0), "9.1", "/energy/2/monthly"),
    ("bad credit code", ("factory", "credit_code"), "91320594MA1EXAMPL3", "/factory/credit_code"),
    ("future year", ("year",), 2031, "/year"),
    (
        "serial count differs from quantity",
        ("credits", 0, "quantity_tco2e"),
        "1467",
        "/credits/0/quantity_tco2e",
    ),
    ("unknown key", ("factory", "website"), "https://example.com", "/factory/website"),
    ("wrong type", ("boundary",), 1, "/boundary"),
    ("missing field", ("factory", "name"), _DELETE, "/factory/name"),
    ("unknown gas", ("refrigerants", 0, "gas"), "R-999", "/refrigerants/0/gas"),
    ("unknown province", ("factory", "province"), "火星", "/factory/province"),
    ("unknown instrument", ("credits", 0, "instrument"), "XYZ", "/credits/0/instrument"),
    ("bad credit kind", ("credits", 0, "kind"), "maybe", "/credits/0/kind"),
    ("bad retirement date", ("credits", 0, "retired_on"), "2024-02-30", "/credits/0/retired_on"),
    ("wrong schema", ("schema",), "zerocarbon.dossier/2", "/schema"),
    ("ratio answer out of range", ("answers", "INF-2"), "1.5", "/answers/INF-2"),
    ("computed item answered", ("answers", "ERU-1"), "0.5", "/answers/ERU-1"),
    ("computed gate declared", ("gates", "G4"), True, "/gates/G4"),
    ("unknown rubric", ("rubric",), "GB/T 0000", "/rubric"),
]


@pytest.mark.parametrize(
    ("kind", "path", "value", "error_path"), INVALID, ids=[row[0] for row in INVALID]
)
def test_an_invalid_dossier_names_the_path_and_writes_nothing(
    orgs: dict[str, Organisation], kind: str, path: tuple[Any, ...], value: Any, error_path: str
) -> None:
    with pytest.raises(DossierRejected) as raised:
        import_dossier(orgs["org-a"], _mutate(path, value), as_of=AS_OF)
    paths = [error.path for error in raised.value.errors]
    assert error_path in paths, raised.value.errors
    assert all(error.message for error in raised.value.errors)
    _nothing_written()


def test_a_duplicate_serial_range_inside_one_dossier_is_rejected(
    orgs: dict[str, Organisation],
) -> None:
    data = example("demo-dossier")
    data["credits"].append(dict(data["credits"][0]))
    with pytest.raises(DossierRejected) as raised:
        import_dossier(orgs["org-a"], data, as_of=AS_OF)
    assert any(
        e.path == "/credits/1/serial_from" and "overlap" in e.message for e in raised.value.errors
    )
    _nothing_written()


def test_a_serial_range_claimed_by_another_organisation_is_refused_without_naming_it(
    orgs: dict[str, Organisation],
) -> None:
    import_dossier(orgs["org-a"], example("demo-dossier"), as_of=AS_OF)
    other = example("demo-dossier")
    other["factory"].update(name="另一家工厂", credit_code="91320214MA1WXJM00Y")
    other["credits"][0]["beneficiary"] = "另一家工厂"
    other["green_electricity"][0]["serial_from"] = "GEC2023000107000"
    other["green_electricity"][0]["serial_to"] = "GEC2023000114999"
    with pytest.raises(ValidationFailed) as raised:
        import_dossier(orgs["org-b"], other, as_of=AS_OF)
    errors = {e.path: e.message for e in raised.value.errors}
    assert set(errors) == {"/green_electricity/0/serial_from", "/credits/0/serial_from"}
    for message in errors.values():
        assert "already claimed" in message
        for secret in ("org-a", "示例咨询", "苏州", "91320594MA1EXAMPL2", "2023 ·"):
            assert secret not in message
    assert Inventory.objects.filter(factory__organisation=orgs["org-b"]).count() == 0
    assert Factory.objects.filter(organisation=orgs["org-b"]).count() == 0


def test_a_year_already_inventoried_for_the_factory_is_a_conflict(
    orgs: dict[str, Organisation],
) -> None:
    import_dossier(orgs["org-a"], example("demo-dossier"), as_of=AS_OF)
    data = example("demo-dossier")
    data["green_electricity"] = []
    data["credits"] = []
    with pytest.raises(Exception, match="already has an inventory for 2023"):
        import_dossier(orgs["org-a"], data, as_of=AS_OF)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_imports_of_overlapping_serials_one_succeeds(
    orgs: dict[str, Organisation],
) -> None:
    first = example("demo-dossier")
    second = example("demo-rated-dossier")
    second["green_electricity"][0]["serial_from"] = "GEC2023000104001"  # overlaps the first
    second["green_electricity"][0]["serial_to"] = "GEC2023000112000"
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(organisation: Organisation, data: dict[str, Any]) -> None:
        translation.activate("en")  # a thread starts without the test's English (conftest)
        try:
            barrier.wait(timeout=10)
            import_dossier(organisation, data, as_of=AS_OF)
            outcomes.append("ok")
        except DossierRejected as error:
            outcomes.append(f"rejected: {error.errors}")
        except Exception as error:
            outcomes.append(f"claimed: {error}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(orgs["org-a"], first)),
        threading.Thread(target=run, args=(orgs["org-b"], second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o.split(":")[0] for o in outcomes) == ["claimed", "ok"], outcomes
    assert "already claimed" in next(o for o in outcomes if o != "ok")
    assert Inventory.objects.count() == 1
    assert SerialClaim.objects.filter(instrument="GEC").count() == 1
