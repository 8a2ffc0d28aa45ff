"""The platform's own sentences and notes, in both languages (the rubric file holds its own).

Kept together so that a translator reviews one module; templates use `str.format` fields.
Chinese typography uses full-width punctuation, which ruff's confusable rule would flag.
"""

# ruff: noqa: RUF001, RUF100

from __future__ import annotations

from collections.abc import Mapping

from assessments.scoring.rubric import Text

NO_EVIDENCE = Text(zh="无证据", en="no evidence")
NOT_APPLICABLE = Text(zh="不适用", en="not applicable")
NO_VALUE = Text(zh="无法计算", en="no value")
ZERO_BY_FLAG = Text(zh="0 分：{flag}", en="0 points: {flag}")
UNVERIFIED = Text(zh="未经第三方核查：× {factor}", en="not third-party verified: × {factor}")

# Unmet level requirements, by requirement metric; fields: level, current, required, shortfall.
REQUIREMENT_SENTENCES: Mapping[str, Text] = {
    "total_score": Text(
        zh="总分 {current} 低于 {level}★ 要求的 {required} 分，还差 {shortfall} 分。",
        en="Total score {current} is below the {required} points required for {level}★: "
        "{shortfall} points short.",
    ),
    "renewable_electricity_share": Text(
        zh="可再生能源电力占比 {current} 低于 {level}★ 要求的 {required}，"
        "还需 {shortfall} MWh 可再生能源电力。",
        en="Renewable electricity share {current} is below the {required} required for "
        "{level}★: {shortfall} MWh more renewable electricity needed.",
    ),
    "neutralisation_ratio": Text(
        zh="中和比例 {current} 低于 {level}★ 要求的 {required}，"
        "还需注销 {shortfall} tCO2e 碳信用。",
        en="Neutralisation ratio {current} is below the {required} required for {level}★: "
        "{shortfall} tCO2e more credits needed.",
    ),
    "removal_ratio": Text(
        zh="清除比例 {current} 低于 {level}★ 要求的 {required}，还需 {shortfall} tCO2e 碳清除。",
        en="Removal ratio {current} is below the {required} required for {level}★: "
        "{shortfall} tCO2e more removals needed.",
    ),
}
# Only the renewable electricity share can be undefined (EC = 0), which G3 also reports.
UNDEFINED_SHARE = Text(
    zh="用电量为 0，无法计算可再生能源电力占比；{level}★ 要求 {required}。",
    en="The renewable electricity share cannot be computed without electricity consumption; "
    "{level}★ requires {required}.",
)

# The data quality of metered carriers (issue 8): fields carrier, coverage (a percentage), year.
METERING_INCOMPLETE = Text(
    zh="{carrier} 的计量表仅覆盖 {year} 年的 {coverage}，未覆盖全年；该能源的月度计量数据不完整。",
    en="The meters of {carrier} cover {coverage} of {year}, not the full year; the metered "
    "monthly values of this carrier are incomplete.",
)
