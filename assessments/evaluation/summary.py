"""A readable bilingual summary of an evaluation result (evaluate_dossier --format text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_STARS = {3: "三星 3★", 4: "四星 4★", 5: "五星 5★", 6: "六星 6★"}
_EMISSIONS = [
    ("category_1", "类别1 直接排放 Category 1 direct"),
    ("category_2_location", "类别2 外购能源（基于位置）Category 2 location-based"),
    ("category_2_market", "类别2 外购能源（基于市场）Category 2 market-based"),
    ("category_3", "类别3 运输 Category 3 transport"),
    ("category_4", "类别4 外购产品 Category 4 products used"),
    ("boundary_total", "边界排放 E Boundary total"),
]
_METRICS = [
    ("electricity_consumption_mwh", "用电量 EC (MWh)"),
    ("renewable_electricity_mwh", "可再生电力 RE (MWh)"),
    ("renewable_electricity_share", "可再生电力占比 RE share"),
    ("green_power_offset_tco2e", "绿电抵消 GPO (tCO2e)"),
    ("credit_offset_tco2e", "碳信用抵消 CO (tCO2e)"),
    ("removal_tco2e", "碳清除 RC (tCO2e)"),
    ("neutralisation_ratio", "中和比例 NR"),
    ("removal_ratio", "清除比例 RR"),
    ("electrification_share", "电气化率 Electrification"),
    ("intensity_reduction", "强度下降 Intensity reduction"),
]


def _fmt(value: Any) -> str:
    return "—" if value is None else str(value)


def summary_text(result: Mapping[str, Any]) -> str:
    dossier, factors = result["dossier"], result["factors"]
    level = result["star_level"]
    lines = [
        f"{dossier['factory']} · {dossier['year']} · 边界类型 boundary {dossier['boundary']}",
        f"评价规范 Rubric: {result['rubric']['code']} ({result['rubric']['edition']})",
        f"因子 Factors: {factors['set_version']}, "
        f"电网因子 grid {factors['grid_factor_tco2_per_mwh']} tCO2/MWh "
        f"({factors['grid_factor_scope']} {factors['grid_factor_year']}), GWP {factors['gwp_set']}",
        *[f"  ! {warning}" for warning in factors["warnings"]],
        "",
        "排放 Emissions (tCO2e)",
        *[f"  {label:<44} {_fmt(result['emissions'][key]):>14}" for key, label in _EMISSIONS],
        "",
        "指标 Metrics",
        *[f"  {label:<44} {_fmt(result['metrics'][key]):>14}" for key, label in _METRICS],
        "",
        "基本要求 Gates",
        *[f"  {'✓' if g['passed'] else '✗'} {g['id']}  {g['message']}" for g in result["gates"]],
        "",
        "评分 Indicators",
        *[f"  {i['id']:<5} {_fmt(i['points']):>7} / {i['max']}" for i in result["indicators"]],
        f"  总分 Total {result['total_score']}",
        "",
        f"星级 Star level: {_STARS.get(level, '') if level else '未达星级 not rated'}"
        f" · 零碳工厂 zero-carbon: {'是 yes' if result['zero_carbon'] else '否 no'}",
    ]
    if result["limited_by"]:
        lines += ["", "限制因素 Limited by:", *[f"  - {text}" for text in result["limited_by"]]]
    if result["instrument_issues"]:
        lines += ["", "无效凭证 Invalid instruments:"]
        lines += [
            f"  - {issue['path']}: {issue['message']}" for issue in result["instrument_issues"]
        ]
    lines += ["", f"input_sha256 {result['input_sha256']}"]
    return "\n".join(lines) + "\n"
