"""Provinces by short name, full name or GB/T 2260 code, and their grid regions."""

from __future__ import annotations

import pytest

from emissions.accounting.errors import UnknownProvince
from emissions.accounting.regions import PROVINCE_REGION, REGIONS, normalise_province, region_of

# GB/T 2260 code -> (short name, full name, grid region of emission-factors.md section 3).
PROVINCES = {
    "11": ("北京", "北京市", "north"),
    "12": ("天津", "天津市", "north"),
    "13": ("河北", "河北省", "north"),
    "14": ("山西", "山西省", "north"),
    "15": ("内蒙古", "内蒙古自治区", "north"),
    "21": ("辽宁", "辽宁省", "northeast"),
    "22": ("吉林", "吉林省", "northeast"),
    "23": ("黑龙江", "黑龙江省", "northeast"),
    "31": ("上海", "上海市", "east"),
    "32": ("江苏", "江苏省", "east"),
    "33": ("浙江", "浙江省", "east"),
    "34": ("安徽", "安徽省", "east"),
    "35": ("福建", "福建省", "east"),
    "36": ("江西", "江西省", "central"),
    "37": ("山东", "山东省", "north"),
    "41": ("河南", "河南省", "central"),
    "42": ("湖北", "湖北省", "central"),
    "43": ("湖南", "湖南省", "central"),
    "44": ("广东", "广东省", "south"),
    "45": ("广西", "广西壮族自治区", "south"),
    "46": ("海南", "海南省", "south"),
    "50": ("重庆", "重庆市", "southwest"),
    "51": ("四川", "四川省", "southwest"),
    "52": ("贵州", "贵州省", "south"),
    "53": ("云南", "云南省", "south"),
    "54": ("西藏", "西藏自治区", "southwest"),
    "61": ("陕西", "陕西省", "northwest"),
    "62": ("甘肃", "甘肃省", "northwest"),
    "63": ("青海", "青海省", "northwest"),
    "64": ("宁夏", "宁夏回族自治区", "northwest"),
    "65": ("新疆", "新疆维吾尔自治区", "northwest"),
}


def test_the_map_covers_the_31_mainland_provinces_in_seven_regions() -> None:
    assert len(PROVINCE_REGION) == 31
    assert set(PROVINCE_REGION.values()) == set(REGIONS)


@pytest.mark.parametrize("code", PROVINCES)
def test_a_province_is_found_by_short_name_full_name_and_both_code_forms(code: str) -> None:
    short, full, region = PROVINCES[code]
    for text in (short, full, code, code + "0000", f" {full} "):
        assert normalise_province(text) == short
        assert region_of(text) == region


@pytest.mark.parametrize(
    "text", ["台湾", "香港特别行政区", "320500", "99", "Jiangsu", "", "江苏市"]
)
def test_an_unknown_province_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(UnknownProvince, match="give one of the 31 mainland provinces"):
        normalise_province(text)
