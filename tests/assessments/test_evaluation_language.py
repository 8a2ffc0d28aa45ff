"""An evaluation is a record: its result and hashes do not depend on the page's language.

The calculation lines are rebuilt for a page in its language (their descriptions are
sentences); the stored result holds only language-neutral values and the kernels' fixed
English sentences, which the page translates when it shows them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from assessments.evaluation.engine import Evaluated, record_sha256
from assessments.services.dossier import evaluate_full, read_full_dossier
from emissions import selectors as emission_selectors
from emissions.accounting.engine import account
from tests.conftest import DEMO_DATA

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)


def _document(name: str) -> Any:
    return json.loads((DEMO_DATA / f"{name}.json").read_text(encoding="utf-8"))


def _evaluated(name: str) -> Evaluated:
    return evaluate_full(read_full_dossier(_document(name), as_of=AS_OF), as_of=AS_OF)


@pytest.mark.parametrize("name", ["demo-dossier", "demo-rated-dossier"])
def test_the_result_and_its_hashes_are_the_same_in_chinese_and_english(name: str) -> None:
    english = _evaluated(name)
    with translation.override("zh-hans"):
        chinese = _evaluated(name)
    assert chinese.result == english.result
    assert chinese.input_sha256 == english.input_sha256
    assert record_sha256(chinese.inputs, chinese.result, chinese.factor_values) == record_sha256(
        english.inputs, english.result, english.factor_values
    )


def test_the_calculation_lines_name_fuels_in_the_pages_language() -> None:
    full = read_full_dossier(_document("demo-dossier"), as_of=AS_OF)
    factors = emission_selectors.kernel_factor_set(full.factor_set)
    english = account(full.read.inventory, factors, AS_OF).lines
    with translation.override("zh-hans"):
        chinese = account(full.read.inventory, factors, AS_OF).lines
    assert "combustion of natural gas" in [line.description for line in english]
    assert any("天然气" in line.description for line in chinese)
    assert [line.formula for line in chinese] == [line.formula for line in english]
