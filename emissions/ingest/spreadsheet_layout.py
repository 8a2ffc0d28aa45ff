"""The inventory workbook's layout, shared by the template, the reader and the error workbook.

One sheet per section of the dossier, named by its key (`energy`, `credits`, ...), with one
bilingual header row (a header is a label, not a page: both languages belong there) and one
line per row from row 2, so that `/energy/3/unit` is sheet `energy`, row 5, column `unit`.
The header, gates and answers sheets are key/value lists (`field`, `label`, `value`): the row
of `/year` or `/gates/G1` is the row whose `field` is `year` or `G1`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "decimal", "integer", "date", "bool", "json"]
HEADER_ROW = 1
FIRST_ROW = 2
MONTHS = 12
INSTRUCTIONS_SHEET = "instructions"
LISTS_SHEET = "lists"
HEADER_SHEET = "inventory"
GATES_SHEET = "gates"
ANSWERS_SHEET = "answers"
ERRORS_SHEET = "errors"
FIELD, LABEL, VALUE = "field", "label", "value"


@dataclass(frozen=True)
class Column:
    key: str  # the entry's key; `monthly.3` is the 4th monthly value
    label: str  # bilingual header
    kind: Kind = "text"
    options: str | None = None  # the dropdown list (a column of the `lists` sheet)


def _months() -> tuple[Column, ...]:
    return tuple(
        Column(f"monthly.{month}", f"{month + 1}月 M{month + 1:02d}", "decimal")
        for month in range(MONTHS)
    )


LIST_SHEETS: dict[str, tuple[Column, ...]] = {
    "energy": (
        Column("carrier", "能源品种 Carrier", options="carriers"),
        Column("quantity", "年消费量 Quantity", "decimal"),
        Column("unit", "单位 Unit", options="units"),
        *_months(),
        Column("enthalpy_kj_per_kg", "焓值 Enthalpy kJ/kg", "decimal"),
        Column("note", "备注 Note"),
    ),
    "process_emissions": (
        Column("source", "排放源 Source"),
        Column("gas", "气体 Gas", options="gases"),
        Column("quantity", "排放量 Quantity", "decimal"),
        Column("unit", "单位 Unit", options="mass_units"),
    ),
    "refrigerants": (
        Column("gas", "制冷剂 Gas", options="gases"),
        Column("quantity", "逸散量 Quantity", "decimal"),
        Column("unit", "单位 Unit", options="mass_units"),
        Column("source", "设备 Source"),
    ),
    "scope3": (
        Column("category", "类别 Category (3/4)", "integer", options="scope3_categories"),
        Column("source", "排放源 Source"),
        Column("tco2e", "排放量 tCO2e", "decimal"),
        Column("quantity", "活动量 Quantity", "decimal"),
        Column("unit", "单位 Unit"),
        Column("factor_tco2e_per_unit", "排放因子 Factor tCO2e/unit", "decimal"),
        Column("factor_source", "因子来源 Factor source"),
        Column("method", "方法 Method"),
    ),
    "reduction_measures": (
        Column("name", "措施名称 Measure"),
        Column("implemented_in", "实施年份 Implemented in", "integer"),
        Column("reduction_tco2e", "减排量 Reduction tCO2e", "decimal"),
        Column("verified", "已核证 Verified", "bool", options="booleans"),
    ),
    "green_electricity": (
        Column("instrument", "凭证类型 Instrument", options="green_instruments"),
        Column("registry", "登记机构 Registry", options="registries"),
        Column("serial_from", "起始编号 Serial from"),
        Column("serial_to", "结束编号 Serial to"),
        Column("contract_ref", "合同编号 Contract"),
        Column("quantity_mwh", "电量 MWh", "decimal"),
        Column("vintage", "生产年份 Vintage", "integer"),
        Column("evidence_ref", "证明材料 Evidence"),
    ),
    "credits": (
        Column("instrument", "减排量类型 Instrument", options="credit_instruments"),
        Column("registry", "登记机构 Registry", options="registries"),
        Column("serial_from", "起始编号 Serial from"),
        Column("serial_to", "结束编号 Serial to"),
        Column("quantity_tco2e", "数量 tCO2e", "decimal"),
        Column("vintage", "签发年份 Vintage", "integer"),
        Column("kind", "类型 Kind", options="credit_kinds"),
        Column("retired_on", "注销日期 Retired on (YYYY-MM-DD)", "date"),
        Column("beneficiary", "受益方 Beneficiary"),
        Column("evidence_ref", "证明材料 Evidence"),
        Column("project", "项目 Project"),
    ),
}

# The header sheet: a path in the document (dots between keys) per row.
HEADER_FIELDS: tuple[Column, ...] = (
    Column("factory.name", "工厂名称 Factory name"),
    Column("factory.name_en", "英文名称 English name"),
    Column("factory.credit_code", "统一社会信用代码 Credit code"),
    Column("factory.province", "省份 Province", options="provinces"),
    Column("factory.industry", "行业 Industry"),
    Column("factory.address", "地址 Address"),
    Column("year", "核算年份 Year", "integer"),
    Column("boundary", "边界类型 Boundary (I/II)", options="boundaries"),
    Column("rubric", "评价标准 Rubric"),
    Column("gwp_set", "GWP 版本 GWP set", options="gwp_sets"),
    Column("grid_factor_scope", "电网因子范围 Grid factor scope", options="grid_scopes"),
    Column("production.output", "产量 Production output", "decimal"),
    Column("production.unit", "产量单位 Production unit"),
    Column("baseline.year", "基准年 Baseline year", "integer"),
    Column("baseline.emissions_tco2e", "基准年排放 Baseline tCO2e", "decimal"),
    Column("baseline.output", "基准年产量 Baseline output", "decimal"),
)
KEY_VALUE_HEADERS = {FIELD: "字段 Field", LABEL: "说明 Description", VALUE: "值 Value"}
KEY_VALUE_COLUMNS = (FIELD, LABEL, VALUE)

SHEET_TITLES = {
    HEADER_SHEET: "工厂与核算信息 Factory, year, production and baseline",
    "energy": "能源消费（年度及 12 个月）Energy, with the 12 monthly values",
    "process_emissions": "工业过程排放 Process emissions",
    "refrigerants": "制冷剂逸散 Refrigerants",
    "scope3": "范围三（II 类边界）Scope 3 (type II boundary)",
    "reduction_measures": "减排措施 Reduction measures",
    "green_electricity": "绿色电力 Green electricity",
    "credits": "碳信用 Credits",
    GATES_SHEET: "基本要求 Declared gates (TRUE/FALSE)",
    ANSWERS_SHEET: "评价条款回答 Answers to the rubric items",
}
SHEETS = (HEADER_SHEET, *LIST_SHEETS, GATES_SHEET, ANSWERS_SHEET)


def _is_chinese(character: str) -> bool:
    return "\u3000" <= character <= "\u9fff" or "\uff00" <= character <= "\uffef"


def label_sides(label: str) -> tuple[str, str]:
    """A bilingual header's Chinese and English sides: the Chinese runs to its last Chinese
    character (`GWP 版本 GWP set` is `GWP 版本` and `GWP set`); a page shows one of them."""
    last = max((i for i, c in enumerate(label) if _is_chinese(c)), default=-1)
    zh, en = label[: last + 1].strip(), label[last + 1 :].strip()
    return zh or en, en or zh


def column_letter(index: int) -> str:
    """Excel's column name of a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Location:
    """Where a document path lives in the workbook; `row` is Excel's (1-based), `column` the
    header key. A path without a place (a missing sheet) has only its sheet, or nothing."""

    sheet: str = ""
    row: int | None = None
    column: str = ""
    cell: str = ""  # e.g. "C5"; empty when the column or row is not known
