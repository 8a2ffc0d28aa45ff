"""The provinces a factory can be in, named in the reader's language.

The factor library knows the 31 mainland provinces by their short Chinese names
(emissions.accounting.regions), which is how a factory stores its province. A Chinese page
shows that name, an English page its romanised name: proper names, given here as data rather
than as messages to translate, so that neither page depends on a catalogue for them.

Plain Python, no Django: forms and template filters share it.
"""

from __future__ import annotations

from emissions.accounting.regions import PROVINCE_CODES, PROVINCE_REGION

# Hanyu Pinyin names as the State Council's official English usage writes them.
PROVINCE_NAMES_EN: dict[str, str] = {
    "北京": "Beijing", "天津": "Tianjin", "河北": "Hebei", "山西": "Shanxi",
    "内蒙古": "Inner Mongolia", "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang",
    "上海": "Shanghai", "江苏": "Jiangsu", "浙江": "Zhejiang", "安徽": "Anhui",
    "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong", "河南": "Henan", "湖北": "Hubei",
    "湖南": "Hunan", "广东": "Guangdong", "广西": "Guangxi", "海南": "Hainan",
    "重庆": "Chongqing", "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan",
    "西藏": "Xizang", "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai",
    "宁夏": "Ningxia", "新疆": "Xinjiang",
}  # fmt: skip

# In the order of their GB/T 2260 codes, as official lists give them.
PROVINCES: tuple[str, ...] = tuple(
    name for _code, name in sorted(PROVINCE_CODES.items()) if name in PROVINCE_REGION
)


def province_name(province: str, *, chinese: bool) -> str:
    """The stored (short Chinese) name as a page in that language shows it; text that is no
    known province is shown as it is."""
    if chinese:
        return province
    return PROVINCE_NAMES_EN.get(province, province)


def province_choices(*, chinese: bool) -> list[tuple[str, str]]:
    """(stored value, label) of every province, for a select."""
    return [(name, province_name(name, chinese=chinese)) for name in PROVINCES]
