"""The command line's text summary of a result (evaluate_dossier --format text): every part
of the result it names, the invalid instruments listed, the limits only when there are any."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from assessments.evaluation.summary import summary_text

RESULT: dict[str, Any] = {
    "dossier": {"factory": "示例工厂", "year": 2024, "boundary": "I"},
    "rubric": {"code": "T/CECA-G 0171-2022", "edition": "2022.1"},
    "factors": {
        "set_version": "CN-2025.1",
        "grid_factor_tco2_per_mwh": "0.5306",
        "grid_factor_scope": "national",
        "grid_factor_year": 2023,
        "gwp_set": "AR6",
        "warnings": ["registry 'X' is unknown"],
    },
    "emissions": {
        "category_1": "10",
        "category_2_location": "20",
        "category_2_market": "5",
        "category_3": None,
        "category_4": None,
        "boundary_total": "30",
    },
    "metrics": {
        "electricity_consumption_mwh": "40",
        "renewable_electricity_mwh": "30",
        "renewable_electricity_share": "0.75",
        "green_power_offset_tco2e": "15",
        "credit_offset_tco2e": "15",
        "removal_tco2e": "0",
        "neutralisation_ratio": "1",
        "removal_ratio": "0",
        "electrification_share": None,
        "intensity_reduction": None,
    },
    "gates": [{"id": "G1", "passed": True, "message": "G1 declared"}],
    "indicators": [{"id": "INF", "points": "8", "max": 10}],
    "total_score": "81",
    "star_level": 5,
    "zero_carbon": True,
    "limited_by": [],
    "instrument_issues": [],
    "input_sha256": "ab" * 32,
}


def with_(**changes: Any) -> dict[str, Any]:
    result = copy.deepcopy(RESULT)
    result.update(changes)
    return result


@pytest.mark.parametrize(
    ("result", "present", "absent"),
    [
        (RESULT, ["五星 5★", "零碳工厂 zero-carbon: 是 yes", "! registry 'X' is unknown"],
         ["限制因素", "无效凭证"]),
        (with_(star_level=None, zero_carbon=False, limited_by=["G4 failed"]),
         ["未达星级 not rated", "否 no", "限制因素 Limited by:", "  - G4 failed"], ["无效凭证"]),
        (with_(instrument_issues=[{"path": "/credits/0", "message": "vintage too old"}]),
         ["无效凭证 Invalid instruments:", "  - /credits/0: vintage too old"], ["限制因素"]),
    ],
)  # fmt: skip
def test_the_summary_names_what_the_result_holds(
    result: dict[str, Any], present: list[str], absent: list[str]
) -> None:
    text = summary_text(result)
    assert text.endswith(f"input_sha256 {'ab' * 32}\n")
    assert "示例工厂 · 2024" in text
    for part in present:
        assert part in text
    for part in absent:
        assert part not in text
    assert "—" in text  # a metric without a value
