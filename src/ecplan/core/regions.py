"""Regions used by dated, regional factor series: 全国, the regional grids and the provinces.

Grid CO2 factors and generation coal rates are published for the whole country, for the
regional grids and for province-level divisions. :func:`normalise_region` maps the usual
spellings (``江苏省``, ``内蒙古自治区``, ``national``) to the names used in the factor sets;
:func:`region_chain` gives the order in which a regional lookup falls back when a series has
no value for the requested region (the region itself, then 全国).

References
----------
生态环境部、国家统计局 公告2024年第33号 / 公告2025年第47号 (regional grids and provinces of the
electricity CO2 factors; 华东 = 上海、江苏、浙江、安徽、福建).
"""

from __future__ import annotations

from typing import Final

from ecplan.core.errors import UnknownRegionError

__all__ = [
    "DEFAULT_REGION",
    "GRID_REGIONS",
    "NATIONAL",
    "PROVINCES",
    "known_regions",
    "normalise_region",
    "region_chain",
]

NATIONAL: Final = "全国"
DEFAULT_REGION: Final = "江苏"
"""The platform's home province (Yangzhou is in Jiangsu): default region of lookups."""

GRID_REGIONS: Final[tuple[str, ...]] = ("华北", "东北", "华东", "华中", "西北", "南方", "西南")

PROVINCES: Final[tuple[str, ...]] = (
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
)

_SUFFIXES: Final = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "自治区",
    "电网",
    "区域",
    "地区",
    "省",
    "市",
)
_ALIASES: Final[dict[str, str]] = {
    "national": NATIONAL,
    "china": NATIONAL,
    "全国平均": NATIONAL,
    "中国": NATIONAL,
    "南方电网": "南方",
}


def known_regions() -> tuple[str, ...]:
    """All region names in display order: 全国, regional grids, provinces."""
    return (NATIONAL, *GRID_REGIONS, *PROVINCES)


def normalise_region(name: str) -> str:
    """Map a region spelling to its canonical name.

    Parameters
    ----------
    name : str
        ``江苏``, ``江苏省``, ``全国``, ``national``, ``华东电网`` …

    Returns
    -------
    str
        The canonical name (``江苏``, ``全国``, ``华东``).

    Raises
    ------
    ecplan.core.errors.UnknownRegionError
        When the name is not 全国, a regional grid or a province-level division.
    """
    text = "".join(str(name).split())
    known = set(known_regions())
    if text in known:
        return text
    alias = _ALIASES.get(text.casefold())
    if alias:
        return alias
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and text[: -len(suffix)] in known:
            return text[: -len(suffix)]
    raise UnknownRegionError(name, known_regions())


def region_chain(region: str) -> tuple[str, ...]:
    """Regions to try, in order, for a lookup in ``region``: itself, then 全国."""
    canonical = normalise_region(region)
    return (canonical,) if canonical == NATIONAL else (canonical, NATIONAL)
