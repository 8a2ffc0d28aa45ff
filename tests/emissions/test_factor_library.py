from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from emissions.accounting.library import load_default_factor_set
from emissions.factor_library import default_document, store_document
from emissions.models import FactorSet, FactorSetFuel, FactorSetGridFactor
from emissions.models.factors import PublishedFactorSetIsFrozen
from emissions.selectors import default_factor_set, kernel_factor_set

pytestmark = pytest.mark.django_db


def _model(name: str) -> type:
    from django.apps import apps

    return apps.get_model("emissions", name)


def test_the_migration_publishes_cn_2025_1_exactly_as_the_shipped_file() -> None:
    stored = default_factor_set()
    assert stored.version == "CN-2025.1"
    assert stored.is_published
    from_db, from_file = kernel_factor_set(stored), load_default_factor_set()
    assert set(from_db.grid_factors) == set(from_file.grid_factors)
    for name in ("version", "fuels", "gwp", "gas_aliases", "blends", "heat_factor_tco2_per_gj"):
        assert getattr(from_db, name) == getattr(from_file, name), name


def test_the_seeded_set_carries_a_source_and_confidence_on_every_value() -> None:
    stored = default_factor_set()
    regional_2022 = FactorSetGridFactor.objects.filter(
        factor_set=stored, scope="regional", year=2022
    )
    assert regional_2022.count() == 7
    assert set(regional_2022.values_list("confidence", flat=True)) == {"derived"}
    assert not FactorSetGridFactor.objects.filter(factor_set=stored, source="").exists()
    assert not FactorSetGridFactor.objects.filter(
        value_tco2_per_mwh__in=["0.6101", "0.5810", "0.5703"]
    ).exists()


def test_a_published_factor_value_cannot_be_changed_by_a_queryset_update() -> None:
    with pytest.raises(IntegrityError, match="factor_set_frozen"), transaction.atomic():
        FactorSetFuel.objects.filter(code="natural_gas").update(ncv_gj_per_unit=Decimal("1"))
    assert FactorSetFuel.objects.get(code="natural_gas").ncv_gj_per_unit == Decimal("389.31")


def test_a_published_factor_set_cannot_be_deleted_or_edited_even_below_the_orm() -> None:
    stored = default_factor_set()
    stored.source_notes = "changed"
    with pytest.raises(PublishedFactorSetIsFrozen):
        stored.save()
    with pytest.raises(PublishedFactorSetIsFrozen):
        stored.delete()
    with pytest.raises(IntegrityError, match="factor_set_frozen"), transaction.atomic():
        FactorSet.objects.filter(pk=stored.pk).update(source_notes="changed")
    with pytest.raises(IntegrityError, match="factor_set_frozen"), transaction.atomic():
        FactorSetGridFactor.objects.filter(factor_set=stored).delete()


def test_no_value_can_be_added_to_a_published_set() -> None:
    stored = default_factor_set()
    with pytest.raises(PublishedFactorSetIsFrozen):
        FactorSetFuel(
            factor_set=stored,
            code="biogas",
            name_zh="沼气",
            unit="t",
            ncv_gj_per_unit=1,
            carbon_content_tc_per_gj=1,
            oxidation_fraction=1,
            confidence="likely",
            source="x",
        ).save()
    with pytest.raises(IntegrityError, match="factor_set_frozen"), transaction.atomic():
        FactorSetFuel.objects.bulk_create(
            [
                FactorSetFuel(
                    factor_set=stored,
                    code="biogas",
                    name_zh="沼气",
                    unit="t",
                    ncv_gj_per_unit=1,
                    carbon_content_tc_per_gj=1,
                    oxidation_fraction=1,
                    confidence="likely",
                    source="x",
                )
            ]
        )


def test_an_admin_drafts_a_new_version_edits_it_and_publishing_freezes_it() -> None:
    document = default_document() | {"version": "CN-2026.1"}
    draft = store_document(_model, document, publish=False)
    fuel = FactorSetFuel.objects.get(factor_set=draft, code="diesel")
    fuel.ncv_gj_per_unit = Decimal("42.7")
    fuel.save()
    draft.refresh_from_db()
    assert kernel_factor_set(draft).fuels["diesel"].ncv_gj_per_unit == Decimal("42.7")
    from django.utils import timezone

    draft.status, draft.published_at = FactorSet.Status.PUBLISHED, timezone.now()
    draft.save()
    with pytest.raises(PublishedFactorSetIsFrozen):
        fuel.save()
