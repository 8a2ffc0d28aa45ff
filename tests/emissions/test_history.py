"""Every write path of the emissions data leaves its trail: the API's line writes (by a person
or an API key), a section saved whole in the editor (only the lines that changed), a dossier
import and its re-import, the inventory's lock and unlock; saves of timestamps alone leave
none."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Assessment
from assessments.services.dossier import export_dossier, import_dossier
from assessments.services.reimport import replace_dossier
from emissions.history import acting
from emissions.models import EnergyRecord, Inventory, ReductionMeasure
from emissions.services import records, sections
from tests.conftest import example
from zerocarbon.accounts.keys import issue_key

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)
LINE = {"carrier": "grid_electricity", "quantity": "12.5", "unit": "MWh"}


def send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def trail(model: type[Any], **scope: Any) -> list[Any]:
    history = model.history.model
    return list(history.objects.filter(**scope).order_by("history_id"))


@pytest.fixture
def suzhou(demo: dict[str, Any]) -> Assessment:
    assessment: Assessment = demo["suzhou"]
    return assessment


def test_a_line_created_changed_and_deleted_over_the_api_names_alice_each_time(
    suzhou: Assessment, alice: User, alice_client: Client
) -> None:
    created = send(alice_client, "post", "/api/v1/energy-records/", {**LINE, "inventory": 0})
    assert created.status_code == 400  # sanity: a refused write leaves no trail
    body = {**LINE, "inventory": suzhou.inventory_id}
    created = send(alice_client, "post", "/api/v1/energy-records/", body)
    assert created.status_code == 201, created.content
    url = f"/api/v1/energy-records/{created.json()['id']}/"
    assert send(alice_client, "patch", url, {"quantity": "13"}).status_code == 200
    assert alice_client.delete(url).status_code == 204
    rows = trail(EnergyRecord, id=created.json()["id"])
    assert [row.history_type for row in rows] == ["+", "~", "-"]
    assert [row.quantity for row in rows] == [Decimal("12.5"), Decimal(13), Decimal(13)]
    assert {row.history_user for row in rows} == {alice}
    assert {row.history_api_key for row in rows} == {None}


def test_a_write_with_an_api_key_names_the_key_and_no_user(suzhou: Assessment) -> None:
    issued = issue_key(suzhou.inventory.factory.organisation, name="ERP")
    client = Client(headers={"Authorization": f"Bearer {issued.plaintext}"})
    body = {**LINE, "inventory": suzhou.inventory_id}
    created = send(client, "post", "/api/v1/energy-records/", body)
    assert created.status_code == 201, created.content
    (row,) = trail(EnergyRecord, id=created.json()["id"])
    assert row.history_user is None
    assert row.history_api_key.name == "ERP"


def test_an_editor_section_save_records_only_the_lines_that_changed(
    suzhou: Assessment, alice: User
) -> None:
    inventory = suzhou.inventory
    measures = [
        {"name": "空压机变频改造", "implemented_in": 2022, "reduction_tco2e": "320"},
        {"name": "LED", "implemented_in": 2021, "reduction_tco2e": "12.5"},
    ]
    with acting(alice):
        sections.replace_section(alice, inventory, "reduction_measures", measures)
    before = len(trail(ReductionMeasure, inventory_id=inventory.pk))
    changed = [
        measures[0],
        {**measures[1], "reduction_tco2e": "14"},
        {**measures[1], "name": "光伏"},
    ]
    with acting(alice):
        sections.replace_section(alice, inventory, "reduction_measures", changed)
    new = trail(ReductionMeasure, inventory_id=inventory.pk)[before:]
    assert [(row.history_type, row.position) for row in new] == [("~", 1), ("+", 2)]
    assert new[0].reduction_tco2e == Decimal(14)
    assert {row.history_user for row in new} == {alice}
    with acting(alice):
        sections.replace_section(alice, inventory, "reduction_measures", changed[:1])
    gone = trail(ReductionMeasure, inventory_id=inventory.pk)[before + 2 :]
    assert [(row.history_type, row.position, row.name) for row in gone] == [
        ("-", 1, "LED"),
        ("-", 2, "光伏"),
    ]


def test_a_dossier_import_records_the_factory_inventory_lines_and_answers(
    orgs: dict[str, Any],
) -> None:
    assessment = import_dossier(orgs["org-b"], example("demo-dossier"), as_of=AS_OF)
    inventory = assessment.inventory
    lines = EnergyRecord.objects.filter(inventory=inventory).count()
    assert lines > 0
    assert len(trail(EnergyRecord, inventory_id=inventory.pk, history_type="+")) == lines
    assert [row.history_type for row in trail(Inventory, id=inventory.pk)] == ["+"]
    assert len(trail(Assessment, id=assessment.pk)) == 1
    answers = assessment.answers.count()
    assert len(trail(type(assessment.answers.first()), assessment_id=assessment.pk)) == answers


def test_a_re_import_records_the_changed_line_and_nothing_for_the_same_ones(
    suzhou: Assessment, alice: User
) -> None:
    inventory_id = suzhou.inventory_id
    before = len(trail(EnergyRecord, inventory_id=inventory_id))
    document = export_dossier(suzhou)
    document["energy"][3]["quantity"] = "99"
    with acting(alice):
        replace_dossier(alice, suzhou, document)
    (row,) = trail(EnergyRecord, inventory_id=inventory_id)[before:]
    assert (row.history_type, row.position, row.quantity) == ("~", 3, Decimal(99))
    assert row.history_user == alice


def test_the_lock_and_unlock_of_an_inventory_are_recorded(suzhou: Assessment) -> None:
    records.lock_inventory(suzhou.inventory_id)
    records.unlock_inventory(suzhou.inventory_id)
    rows = trail(Inventory, id=suzhou.inventory_id)[-2:]
    assert [(row.history_type, row.status) for row in rows] == [("~", "locked"), ("~", "draft")]


def test_a_save_of_timestamps_alone_leaves_no_trail(suzhou: Assessment) -> None:
    count = len(trail(Assessment, id=suzhou.pk))
    suzhou.save(update_fields=["updated_at"])
    suzhou.save(update_fields=["evaluation_enqueued_at", "evaluation_enqueue_attempts"])
    assert len(trail(Assessment, id=suzhou.pk)) == count
    suzhou.save(update_fields=["declared_gates", "updated_at"])
    assert len(trail(Assessment, id=suzhou.pk)) == count + 1
