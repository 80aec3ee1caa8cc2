"""What the demo city shows: the headline indicators, recomputed from the generated records.

Used by ``ecplan demo-data --summary``, by the calibration tests and to write the tables of
``docs/demo-data.md``. The arithmetic here reads only the records a user would see (statistics,
plant, production and data-centre months, reports), never the generator's internals, so it
checks that the published files tell the calibrated story. It is a plausibility check of the
demo data, not the platform's evaluation (``ecplan evaluate``), which follows the plan's
settings and the national definitions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from ecplan.demo import calibration as cal
from ecplan.demo.carriers import BY_CODE, EQUIVALENT_KGCE_PER_KWH
from ecplan.demo.model import DemoCity

CITY: Final = "321000"


@dataclass(frozen=True)
class Warning:
    area: str
    period: str
    energy_growth: float
    gdp_growth: float
    intensity_change: float
    required_reduction: float
    level: int


class Summary:
    """Indexes a generated city for the checks."""

    def __init__(self, city: DemoCity) -> None:
        self.city = city
        self.stat: dict[tuple[str, str, str], float] = {
            (s.area_code, s.period, s.indicator): s.value for s in city.statistics
        }
        self.areas = [a.code for a in city.areas if a.kind in ("district", "county", "county_city")]

    def s(self, area: str, period: str, indicator: str) -> float:
        return self.stat[(area, period, indicator)]

    # energy structure -------------------------------------------------------------------
    def nonfossil_share(self, year: int) -> float:
        y = str(year)
        return self.s(CITY, y, "energy_nonfossil_tce") / self.s(CITY, y, "energy_total_tce")

    def nonfossil_deduction_tce(self, year: int) -> float:
        y = str(year)
        certs_kwh = self.s(CITY, y, "green_certificates_interprovincial_mwh") * 1000.0
        g = EQUIVALENT_KGCE_PER_KWH[year] / 1000.0
        return self.s(CITY, y, "energy_nonfossil_tce") + certs_kwh * g

    def coal_share(self, year: int) -> float:
        y = str(year)
        return self.s(CITY, y, "energy_coal_tce") / self.s(CITY, y, "energy_total_tce")

    def power_coal_share(self, year: int) -> float:
        y = str(year)
        return self.s(CITY, y, "energy_power_heat_coal_tce") / self.s(CITY, y, "energy_coal_tce")

    def generation_coal_rate(self, year: int, *, basis: str = "supply") -> float:
        """Coal-fired units: standard coal for power ÷ supply (or generation) [gce/kWh]."""
        coal = kwh = 0.0
        for p in self.city.plants:
            if p.fuel == "煤炭" and p.period.startswith(str(year)):
                coal += p.fuel_tce - p.fuel_for_heat_tce
                kwh += p.supplied_kwh if basis == "supply" else p.generation_kwh
        return coal / kwh * 1e6

    def nonfossil_generation_share(self, year: int) -> float:
        y = str(year)
        nf = sum(self.s(CITY, y, f"generation_{k}_kwh") for k in ("solar", "wind", "biomass"))
        total = nf + sum(self.s(CITY, y, f"generation_{k}_kwh") for k in ("coal", "gas"))
        return nf / total

    def energy_total(self, year: int) -> float:
        return self.s(CITY, str(year), "energy_total_tce")

    # sector indicators ---------------------------------------------------------------------
    def enterprise_tce(self, credit_code: str, year: int) -> float:
        """Energy consumed by an enterprise in a year, calorific basis, from its reports."""
        return sum(
            r.consumed * BY_CODE[r.carrier].tce_per_unit
            for r in self.city.energy_reports
            if r.credit_code == credit_code and r.period.startswith(str(year))
        )

    def steel_energy_per_tonne(self, year: int) -> float:
        """Steel enterprises' energy ÷ crude steel [kgce/t]."""
        mills = {p.credit_code for p in self.city.production if p.product == "粗钢"}
        energy = sum(self.enterprise_tce(c, year) for c in mills)
        steel = sum(
            p.output_t
            for p in self.city.production
            if p.product == "粗钢" and p.period.startswith(str(year))
        )
        return energy / steel * 1000.0

    def unit_energy(
        self, product: str, year: int
    ) -> dict[tuple[str, str], tuple[float, float, str]]:
        """(credit code, installation) → (unit energy [kgce/t], capacity [t/yr], variant)."""
        energy: dict[tuple[str, str], float] = defaultdict(float)
        output: dict[tuple[str, str], float] = defaultdict(float)
        for p in self.city.production:
            if p.product == product and p.period.startswith(str(year)):
                energy[(p.credit_code, p.installation)] += p.energy_tce
                output[(p.credit_code, p.installation)] += p.output_t
        caps = {(i.credit_code, i.code): (i.capacity, i.variant) for i in self.city.installations}
        return {
            k: (energy[k] / output[k] * 1000.0, caps[k][0], caps[k][1])
            for k in energy
            if output[k] > 0
        }

    def benchmark_share(
        self, product: str, year: int, levels: dict[str, tuple[float, float]]
    ) -> tuple[float, float]:
        """Share of capacity at or better than 标杆, and capacity worse than 基准 [t/yr]."""
        units = self.unit_energy(product, year)
        total = good = bad = 0.0
        for ue, cap, variant in units.values():
            bench, base = levels[variant] if variant in levels else levels[""]
            total += cap
            if ue <= bench:
                good += cap
            if ue > base:
                bad += cap
        return good / total, bad

    def pue(self, year: int) -> dict[tuple[str, str], tuple[str, float]]:
        """(credit code, data centre) → (status, annual PUE)."""
        total: dict[tuple[str, str], float] = defaultdict(float)
        it: dict[tuple[str, str], float] = defaultdict(float)
        for d in self.city.data_centres:
            if d.period.startswith(str(year)):
                total[(d.credit_code, d.installation)] += d.total_electricity_kwh
                it[(d.credit_code, d.installation)] += d.it_electricity_kwh
        status = {
            (i.credit_code, i.code): i.status
            for i in self.city.installations
            if i.kind == "data_centre"
        }
        return {k: (status[k], total[k] / it[k]) for k in total}

    def service_growth(self, year: int) -> tuple[float, float]:
        e = (
            self.s(CITY, str(year), "energy_tertiary_tce")
            / self.s(CITY, str(year - 1), "energy_tertiary_tce")
            - 1
        )
        return e, self.s(CITY, str(year), "value_added_tertiary_real_growth")

    def retrofits(self, year: int) -> tuple[int, float, float]:
        rows = [r for r in self.city.retrofits if r.completed.startswith(str(year))]
        return len(rows), sum(r.savings_tce for r in rows), sum(r.co2_reduction_t for r in rows)

    # intensity and warnings -------------------------------------------------------------------
    def new_basis(self, area: str, months: list[str]) -> float:
        total = 0.0
        for m in months:
            total += self.s(area, m, "energy_total_tce")
            for k in (
                "energy_nonfossil_tce",
                "energy_feedstock_tce",
                "energy_separately_listed_tce",
            ):
                total -= self.s(area, m, k)
        return total

    def intensity_change(
        self, area: str, year: int, quarter: int = 4
    ) -> tuple[float, float, float]:
        """Year-to-date (energy growth, real GDP growth, new-basis intensity change)."""
        now = [f"{year}-{m:02d}" for m in range(1, 3 * quarter + 1)]
        before = [f"{year - 1}-{m:02d}" for m in range(1, 3 * quarter + 1)]
        ge = self.new_basis(area, now) / self.new_basis(area, before) - 1.0
        gg = self.s(area, f"{year}-Q{quarter}", "gdp_real_growth")
        return ge, gg, (1.0 + ge) / (1.0 + gg) - 1.0

    def cumulative_intensity_change(self, area: str, year: int) -> float:
        """New-basis intensity change from 2020 to ``year`` (chained annual changes)."""
        prod = 1.0
        for y in range(2021, year + 1):
            prod *= 1.0 + self.intensity_change(area, y)[2]
        return prod - 1.0

    def binding_reduction(self, area: str) -> float:
        for b in self.city.binding_targets:
            if b.area_code == area and b.indicator == "energy_intensity_change_new_basis":
                return b.value
        raise KeyError(area)

    def warnings(self, *, first_year: int = 2021) -> list[Warning]:
        """Quarterly 晴雨表 levels (NDRC rule) against the average annual requirement."""
        out: list[Warning] = []
        for area in [CITY, *self.areas]:
            target = self.binding_reduction(area)
            required = 1.0 - (1.0 - target) ** (1.0 / 5.0)
            for year in range(first_year, cal.LAST_YEAR + 1):
                for q in range(1, 5):
                    ge, gg, change = self.intensity_change(area, year, q)
                    level = 1 if change >= 0 else (2 if -change < required else 3)
                    out.append(Warning(area, f"{year}-Q{q}", ge, gg, change, required, level))
        return out


def fmt_pct(x: float, digits: int = 2) -> str:
    return f"{100 * x:.{digits}f}%" if math.isfinite(x) else "—"


def summary_lines(city: DemoCity) -> list[str]:
    """A readable summary: what the demo city shows for each quantified target in 2025.

    The comparison is a plain one (the plan's ±5 % tolerance for 左右/约 targets); the
    platform's evaluation applies the plan's full status rules.
    """
    s = Summary(city)
    y = cal.LAST_YEAR
    pta = [s.benchmark_share("PTA", y, {"": pair})[0] for pair in cal.PTA_LEVEL_CANDIDATES]
    caustic, caustic_bad = s.benchmark_share("烧碱", y, cal.CAUSTIC_LEVELS)
    pues = [
        (code, p) for code, (status, p) in sorted(s.pue(y).items()) if status in ("new", "expanded")
    ]
    se, sva = s.service_growth(y)
    count, savings, co2 = s.retrofits(y)
    steel = s.steel_energy_per_tonne(y) / s.steel_energy_per_tonne(2023) - 1.0
    rows = [
        ("非化石能源消费占比", "20%左右", fmt_pct(s.nonfossil_share(y))),
        (
            "非化石能源消费扣减量",
            "550万吨标准煤",
            f"{s.nonfossil_deduction_tce(y) / 1e4:.1f}万吨标准煤",
        ),
        (
            "能源消费总量（等价值）",
            "（由上两项推得约2750万）",
            f"{s.energy_total(y) / 1e4:.1f}万吨标准煤",
        ),
        ("煤炭占一次能源消费比重", "50%左右", fmt_pct(s.coal_share(y))),
        ("电煤占煤炭消费比重", "75%左右", fmt_pct(s.power_coal_share(y))),
        (
            "燃煤发电煤耗（供电/发电）",
            "290克标准煤/千瓦时",
            f"{s.generation_coal_rate(y):.1f} / {s.generation_coal_rate(y, basis='generation'):.1f}",
        ),
        ("非化石能源发电量占比", "39%左右", fmt_pct(s.nonfossil_generation_share(y))),
        ("绿色化改造项目数", "100项以上", f"{count}项"),
        ("改造节能量", "约10万吨标准煤", f"{savings / 1e4:.2f}万吨标准煤"),
        ("改造减排二氧化碳", "约26万吨", f"{co2 / 1e4:.2f}万吨"),
        ("吨钢综合能耗较2023年", "降低2%左右", fmt_pct(steel)),
        (
            "PTA标杆以上产能占比（两组候选标杆值）",
            "超过30%",
            " / ".join(fmt_pct(x, 1) for x in pta),
        ),
        (
            "烧碱标杆以上产能占比",
            "超过30%",
            f"{fmt_pct(caustic, 1)}（基准以下 {caustic_bad / 1e4:.0f}万吨/年）",
        ),
        ("新建及改扩建数据中心PUE", "低于1.2", "，".join(f"{p:.3f}" for _, p in pues)),
        ("服务业能耗增速 / 增加值增速", "不高于", f"{fmt_pct(se)} / {fmt_pct(sva)}"),
    ]
    lines = [f"演示数据（虚构）摘要：{city.region_name}，随机种子 {city.seed}，{y}年", ""]
    for label, target, value in rows:
        lines.append(f"  {label}：目标 {target}；演示值 {value}")
    lines.append("")
    lines.append("  晴雨表（新口径能耗强度，年初至今，按分解目标的年均要求；1=红 2=黄 3=绿）：")
    names = {a.code: a.name for a in city.areas}
    warnings = s.warnings()
    for area in [CITY, *s.areas]:
        levels = " ".join(str(w.level) for w in warnings if w.area == area)
        cum = s.cumulative_intensity_change(area, y)
        allocated = s.binding_reduction(area)
        lines.append(
            f"    {names[area]}：{levels}；2020—{y}年累计 {fmt_pct(cum)}（分解目标 −{fmt_pct(allocated, 1)}）"
        )
    lines.append(f"    （各列依次为 {warnings[0].period} 至 {warnings[-1].period} 各季度）")
    return lines


def markdown_tables(city: DemoCity) -> str:
    """The calibration tables of docs/demo-data.md (a test keeps the document in sync)."""
    s = Summary(city)
    years = cal.YEARS
    out: list[str] = []
    out.append(
        "| 年份 | GDP现价（亿元） | 实际增速 | 能源消费总量（万tce，等价值） | 非化石 | 原料用能 | 能耗单列 | 新口径能耗 | 新口径强度变化 | 非化石占比 | 煤炭占比 | 电煤占比 | 燃煤供电/发电煤耗（gce/kWh） | 非化石发电占比 | 全社会用电量（亿kWh） | 净调入电量（亿kWh，其中非化石） |"
    )
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for y in years:
        st = str(y)
        e = s.s(CITY, st, "energy_total_tce")
        nf = s.s(CITY, st, "energy_nonfossil_tce")
        fs = s.s(CITY, st, "energy_feedstock_tce")
        dl = s.s(CITY, st, "energy_separately_listed_tce")
        change = "—" if y == cal.FIRST_YEAR else fmt_pct(s.intensity_change(CITY, y)[2])
        imp = s.s(CITY, st, "electricity_net_import_kwh")
        imp_nf = s.s(CITY, st, "electricity_net_import_nonfossil_kwh")
        out.append(
            f"| {y} | {s.s(CITY, st, 'gdp_current'):,.2f} | {fmt_pct(s.s(CITY, st, 'gdp_real_growth'), 1)} "
            f"| {e / 1e4:,.1f} | {nf / 1e4:,.1f} | {fs / 1e4:,.1f} | {dl / 1e4:,.1f} "
            f"| {(e - nf - fs - dl) / 1e4:,.1f} | {change} | {fmt_pct(nf / e)} "
            f"| {fmt_pct(s.coal_share(y))} | {fmt_pct(s.power_coal_share(y))} "
            f"| {s.generation_coal_rate(y):.1f} / {s.generation_coal_rate(y, basis='generation'):.1f} "
            f"| {fmt_pct(s.nonfossil_generation_share(y))} "
            f"| {s.s(CITY, st, 'electricity_consumption_kwh') / 1e8:,.1f} "
            f"| {imp / 1e8:,.1f}（{fmt_pct(imp_nf / imp, 0)}） |"
        )
    out.append("")
    names = {a.code: a.name for a in city.areas}
    out.append(
        "| 地区 | 分解目标（2020—2025） | " + " | ".join(f"{y}年" for y in years[1:]) + " | 累计 |"
    )
    out.append("|---|---|" + "---|" * (len(years) - 1) + "---|")
    for area in [CITY, *s.areas]:
        cells = [fmt_pct(s.intensity_change(area, y)[2]) for y in years[1:]]
        out.append(
            f"| {names[area]} | −{fmt_pct(s.binding_reduction(area), 1)} | "
            + " | ".join(cells)
            + f" | {fmt_pct(s.cumulative_intensity_change(area, cal.LAST_YEAR))} |"
        )
    out.append("")
    warnings = s.warnings()
    periods = [w.period for w in warnings if w.area == CITY]
    out.append("| 地区 | " + " | ".join(p.replace("-Q", "Q") for p in periods) + " |")
    out.append("|---|" + "---|" * len(periods))
    for area in [CITY, *s.areas]:
        levels = [str(w.level) for w in warnings if w.area == area]
        out.append(f"| {names[area]} | " + " | ".join(levels) + " |")
    return "\n".join(out) + "\n"


def figures_table() -> str:
    """The calibration figures with kind, source and confidence (for docs/demo-data.md)."""
    out = ["| 键 | 数字 | 数值 | 单位 | 类别 | 来源 | 可信度 |", "|---|---|---|---|---|---|---|"]
    for f in cal.figures():
        value = f"{f.value:,.2f}" if abs(f.value) >= 100 else f"{f.value:g}"
        source = f.source or "—"
        out.append(
            f"| `{f.key}` | {f.label} | {value} | {f.unit} | {cal.KIND_LABELS[f.kind]} "
            f"| {source} | {f.confidence or '—'} |"
        )
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover - prints the tables for the document
    from ecplan.demo.city import generate_city

    print(figures_table())
    print(markdown_tables(generate_city()))
    print("\n".join(summary_lines(generate_city())))
