"""Reading what the plan office enters: binding targets and target values, checked in Chinese.

Django-free parsing and checks used by the services, the page forms and
``ecplan binding-targets import``; nothing here writes. A record that fails a check is reported
with where it came from (file, row, field) and how to fix it; the service stores nothing when
any record fails.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

__all__ = [
    "BINDING_INDICATOR_ALIASES",
    "BindingTargetRecord",
    "EntryIssue",
    "EntryOutcome",
    "TargetValueRecord",
    "binding_records_from_file",
    "find_binding_indicator",
    "parse_fraction",
]

#: Names accepted for each binding indicator (code, Chinese label and common wordings).
BINDING_INDICATOR_ALIASES: dict[str, tuple[str, ...]] = {
    "energy_intensity_change_new_basis": (
        "单位GDP能耗降低（新口径）",
        "单位GDP能耗降低",
        "单位地区生产总值能耗降低",
        "能耗强度降低",
        "单位GDP能源消耗降低",
        "energy_intensity",
    ),
    "co2_intensity_change": (
        "单位GDP二氧化碳排放降低",
        "单位地区生产总值二氧化碳排放降低",
        "碳排放强度降低",
        "二氧化碳排放强度降低",
        "co2_intensity",
    ),
    "nonfossil_share": (
        "非化石能源消费比重",
        "非化石能源占一次能源消费比重",
        "非化石能源占一次能源消费比例",
        "非化石能源消费占比",
    ),
    "energy_growth_allowed": (
        "能源消费增速控制目标（年度）",
        "能源消费增速控制目标",
        "能源消费增速",
        "能源消费增长控制目标",
    ),
}


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).casefold()


_INDICATOR_INDEX: dict[str, str] = {
    _norm(name): code
    for code, names in BINDING_INDICATOR_ALIASES.items()
    for name in (code, *names)
}


def find_binding_indicator(text: str) -> str | None:
    """The binding indicator code for a code, label or common wording."""
    return _INDICATOR_INDEX.get(_norm(text or ""))


@dataclass(frozen=True)
class EntryIssue:
    """A problem with an entered record: where, which field, what, how to fix it."""

    where: str
    field: str
    message: str
    hint: str = ""

    def text(self) -> str:
        place = f"{self.where}：" if self.where else ""
        hint = f"{self.hint}" if self.hint else ""
        return f"{place}{self.field}：{self.message}{hint}"


_PERCENT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*[%％]$")


def parse_fraction(value: object, *, allow_negative: bool = False) -> Decimal:
    """A fraction from ``0.14``, ``"0.14"`` or ``"14%"`` (→ 0.14).

    Raises
    ------
    ValueError
        With a Chinese message (not a number, infinite, a bare number above 1 that was
        probably meant as a percentage, a negative number where none is allowed).
    """
    if isinstance(value, bool) or value is None:
        raise ValueError("应为数字，如 0.14 或 14%")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("应为有限数字")
        number = Decimal(str(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
        match = _PERCENT.match(text)
        try:
            number = Decimal(match.group(1)) / 100 if match else Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字；请写成 0.14 或 14%") from None
    if not number.is_finite():
        raise ValueError("应为有限数字")
    if abs(number) > 1:
        raise ValueError(f"{number} 大于 1：比率请写成小数（0.14）或百分数（14%）")
    if number < 0 and not allow_negative:
        raise ValueError(f"{number} 不能为负数")
    return number


@dataclass(frozen=True)
class BindingTargetRecord:
    """One binding target as entered (page form, CSV row, demo loader).

    Parameters
    ----------
    area : str
        The city or a county-level area: name, alias or administrative code (扬州市, 仪征市,
        321081). Functional zones are refused: targets are allocated to county-level areas.
    indicator : str
        ``energy_intensity_change_new_basis``, ``co2_intensity_change``, ``nonfossil_share``,
        ``energy_growth_allowed`` or a Chinese name of one.
    value : Decimal, float or str
        A fraction: the reduction over the period for intensities (0.14 or "14%" = 降低14%),
        the level for the non-fossil share (0.13), the allowed growth for energy growth.
    base_year, target_year : int
        2020 and 2025 for the 14th Five-Year targets; for an annual energy-growth target the
        year before and the year.
    source : str
        The document it comes from (上级下达文件及文号).
    note, where : str
        A remark; where the record came from (``文件.csv 第 3 行``), used in messages.
    """

    area: str
    indicator: str
    value: Decimal | float | str
    base_year: int = 2020
    target_year: int = 2025
    source: str = ""
    note: str = ""
    where: str = ""


@dataclass(frozen=True)
class TargetValueRecord:
    """The value of a plan target the text leaves unset, in the target's unit as written.

    ``value`` 150 for “既有建筑节能改造面积XXX万平方米以上” means 150 万平方米.
    """

    target_key: str
    value: Decimal | float | str
    source: str = ""
    note: str = ""
    where: str = ""


@dataclass
class EntryOutcome:
    """What an entry call did: per record ``created`` / ``changed`` / ``unchanged``."""

    issues: list[EntryIssue] = field(default_factory=list)
    changes: list[tuple[str, str]] = field(default_factory=list)
    stored: bool = False
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        out = {"created": 0, "changed": 0, "unchanged": 0}
        for _, action in self.changes:
            out[action] += 1
        return out

    def summary(self) -> str:
        if self.issues:
            return f"有 {len(self.issues)} 个问题，未保存任何数据"
        c = self.counts
        verb = "检查通过（未保存）" if self.dry_run else "已保存"
        return f"{verb}：新增 {c['created']} 项，修改 {c['changed']} 项，未变化 {c['unchanged']} 项"

    def to_dict(self) -> dict[str, object]:
        return {
            "stored": self.stored,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "changes": [{"item": item, "action": action} for item, action in self.changes],
            "issues": [
                {"where": i.where, "field": i.field, "message": i.message, "hint": i.hint}
                for i in self.issues
            ],
            "summary": self.summary(),
        }


_FILE_FIELDS = (
    ("area", "地区", ("地区名称", "县级地区", "area")),
    ("indicator", "指标", ("约束性指标", "indicator")),
    ("value", "数值", ("目标值", "降低率", "value")),
    ("base_year", "基期年份", ("基期", "base_year")),
    ("target_year", "目标年份", ("目标年", "target_year")),
    ("source", "依据", ("文件依据", "文号", "source")),
    ("note", "说明", ("备注", "note")),
)


def binding_records_from_file(
    data: bytes, *, filename: str, max_bytes: int | None = 20 * 1024 * 1024
) -> tuple[list[BindingTargetRecord], list[str]]:
    """Binding targets from an Excel or CSV file (first sheet), with every problem found.

    Columns: 地区, 指标, 数值 (required); 基期年份, 目标年份 (default 2020, 2025), 依据, 说明.
    Returns the records and the problems as Chinese lines (sheet, row, column); with any
    problem the caller stores nothing.
    """
    from ecplan.tabular import (
        Field,
        IntakeLimits,
        IssueList,
        TabularFileError,
        open_workbook,
        read_table,
    )

    fields = [
        Field(key, label, aliases, required=key in ("area", "indicator", "value"))
        for key, label, aliases in _FILE_FIELDS
    ]
    issues = IssueList()
    records: list[BindingTargetRecord] = []
    try:
        with open_workbook(data, limits=IntakeLimits(max_bytes=max_bytes), filename=filename) as wb:
            sheet = wb.sheets[0]
            table = read_table(sheet, fields, issues=issues)
            for rec in table.records:
                area = rec.text("area")
                indicator = rec.text("indicator")
                value = rec.text("value")
                base = rec.number("base_year")
                target = rec.number("target_year")
                if area is None or indicator is None or value is None:
                    continue
                records.append(
                    BindingTargetRecord(
                        area=area,
                        indicator=indicator,
                        value=value,
                        base_year=int(base) if base is not None else 2020,
                        target_year=int(target) if target is not None else 2025,
                        source=rec.text("source") or "",
                        note=rec.text("note") or "",
                        where=f"文件“{filename}”工作表“{sheet.name}”第 {rec.row} 行",
                    )
                )
    except TabularFileError as exc:
        return [], [exc.text()]
    return records, list(issues.to_lines()) if issues.has_errors else []
