"""Provinces and grid regions of mainland China.

The grid factor can be national, regional or provincial (emission-factors.md section 3), so
the factory's province must be read reliably in whatever form a dossier gives it: short name
(江苏), full name (江苏省, 内蒙古自治区) or GB/T 2260 code (32 or 320000).
"""

from __future__ import annotations

from .errors import UnknownProvince
from .translation import gettext as _

# Province -> grid region, exactly as emission-factors.md section 3 lists them.
PROVINCE_REGION: dict[str, str] = {
    **dict.fromkeys(("北京", "天津", "河北", "山西", "山东", "内蒙古"), "north"),
    **dict.fromkeys(("辽宁", "吉林", "黑龙江"), "northeast"),
    **dict.fromkeys(("上海", "江苏", "浙江", "安徽", "福建"), "east"),
    **dict.fromkeys(("河南", "湖北", "湖南", "江西"), "central"),
    **dict.fromkeys(("陕西", "甘肃", "青海", "宁夏", "新疆"), "northwest"),
    **dict.fromkeys(("广东", "广西", "云南", "贵州", "海南"), "south"),
    **dict.fromkeys(("四川", "重庆", "西藏"), "southwest"),
}
REGIONS = ("north", "northeast", "east", "central", "northwest", "south", "southwest")

# Province-level division codes of GB/T 2260 (first two digits of the six-digit code).
PROVINCE_CODES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
}  # fmt: skip

_MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
_AUTONOMOUS_REGIONS = {
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
}


def _full_name(short: str) -> str:
    if short in _MUNICIPALITIES:
        return short + "市"
    return _AUTONOMOUS_REGIONS.get(short, short + "省")


_BY_NAME: dict[str, str] = {name: name for name in PROVINCE_REGION} | {
    _full_name(name): name for name in PROVINCE_REGION
}


def _by_code(text: str) -> str | None:
    if len(text) == 6 and text.endswith("0000"):
        text = text[:2]
    return PROVINCE_CODES.get(text)


def normalise_province(text: str) -> str:
    """The short Chinese name of a province given by name, full name or GB/T 2260 code."""
    cleaned = text.strip()
    province = _BY_NAME.get(cleaned) or _by_code(cleaned)
    if province is None:
        message = _(
            "unknown province {province!r}: give one of the 31 mainland provinces by short"
            " name (江苏), full name (江苏省) or GB/T 2260 code (32 or 320000)"
        )
        raise UnknownProvince(message.format(province=text))
    return province


def region_of(province: str) -> str:
    """The grid region code (`east` ...) of a province in any accepted form."""
    return PROVINCE_REGION[normalise_province(province)]
