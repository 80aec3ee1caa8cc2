"""Vectorised accounting over long tables: tce on both bases, CO2 by use, the new-basis series.

A long table has one row per entity × period × carrier × use (a province's monthly energy
reports, an enterprise's ledger). :func:`convert` turns every row into standard coal
(当量值 or 等价值) and CO2 with polars, and :meth:`BatchResult.totals_by` sums the rows by any
columns with the new-basis (新口径) deductions kept as separate series. The results are those of
the scalar API, bit for bit (docs/batch.md states which functions and why):

* each *distinct* combination of carrier text, unit text, use, period and 能耗单列 flag is
  resolved once, in Python, by the scalar functions themselves (:func:`get_carrier`,
  :func:`parse_unit`, :func:`tce_coefficient`, the factor library's grid, heat and fuel
  factors) — so names, units, errors and coefficients cannot disagree with the scalar path;
* every row then takes its combination's numbers by index (no Python per row) and is computed
  in the documented order ``canonical = quantity * multiplier``, ``energy_tce = canonical *
  tce_per_unit``, ``co2_t = canonical * ef_tco2_per_unit`` — the scalar functions' order.

Provenance is kept per row as references (``tce_ref``, ``co2_ref``) into
:attr:`BatchResult.provenance`, one row per coefficient actually used, with factor-set id,
version and digest, source row, document and locator, confidence, the year and region used
and whether they were fallbacks. Totals list the sets, versions and coefficients that
contributed and flag uncertain values.

References
----------
GB/T 2589-2020 综合能耗计算通则; GB/T 32151.22-2024 附录C; GB/T 32150—2025; 生态环境部、
国家统计局 电力二氧化碳排放因子公告; 发改环资〔2022〕803号 (原料用能); 发改环资〔2024〕113号
(非化石能源); 完善能源消费强度和总量双控制度方案（2021，能耗单列）.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, cast

import polars as pl

from ecplan.core.accounting import BASIS_LABELS, TceFactor, normalise_basis, tce_coefficient
from ecplan.core.carriers import CARRIERS, Carrier, CarrierCategory, get_carrier
from ecplan.core.errors import AccountingError, InputError, UnitError
from ecplan.core.factors import FactorSource, library_for
from ecplan.core.provenance import CONFIDENCE_LABELS, Coefficient, FactorSetRef
from ecplan.core.regions import DEFAULT_REGION, normalise_region
from ecplan.core.units import CANONICAL_UNITS, Dimension, ParsedUnit, parse_unit

__all__ = [
    "CO2_METHODS",
    "CO2_METHOD_LABELS",
    "INPUT_COLUMNS",
    "RESULT_COLUMNS",
    "SERIES",
    "SERIES_LABELS",
    "TOTAL_COLUMNS",
    "USES",
    "USE_LABELS",
    "BatchResult",
    "convert",
    "normalise_use",
]

# --- vocabulary ----------------------------------------------------------------------------

USES: Final[tuple[str, ...]] = ("fuel", "feedstock", "power_generation", "non_energy")
"""What a quantity of energy was used for (the ``use`` column)."""

USE_LABELS: Final[dict[str, str]] = {
    "fuel": "燃料",
    "feedstock": "原料",
    "power_generation": "发电供热",
    "non_energy": "非能源",
}

_USE_ALIASES: Final[dict[str, str]] = {
    "fuel": "fuel",
    "combustion": "fuel",
    "燃料": "fuel",
    "燃烧": "fuel",
    "燃料燃烧": "fuel",
    "燃料用": "fuel",
    "feedstock": "feedstock",
    "rawmaterial": "feedstock",
    "原料": "feedstock",
    "原料用能": "feedstock",
    "用作原料": "feedstock",
    "powergeneration": "power_generation",
    "power_generation": "power_generation",
    "发电供热": "power_generation",
    "发电、供热": "power_generation",
    "发电和供热": "power_generation",
    "发电": "power_generation",
    "供热": "power_generation",
    "nonenergy": "non_energy",
    "non_energy": "non_energy",
    "非能源": "non_energy",
    "非能源用途": "non_energy",
    "非能源使用": "non_energy",
}

SERIES: Final[tuple[str, ...]] = ("fossil", "non_fossil", "feedstock", "separately_listed")
"""The series of the new basis; every row belongs to exactly one (same order as
:func:`ecplan.core.accounting.comprehensive_energy_consumption`)."""

SERIES_LABELS: Final[dict[str, str]] = {
    "fossil": "化石能源（计入新口径）",
    "non_fossil": "非化石能源（新口径扣除）",
    "feedstock": "原料用能（新口径扣除）",
    "separately_listed": "能耗单列（新口径扣除）",
}

CO2_METHODS: Final[tuple[str, ...]] = (
    "combustion",
    "electricity",
    "heat",
    "feedstock",
    "non_energy",
    "no_fossil_co2",
    "not_computed",
)
"""How a row's CO2 was obtained (the ``co2_method`` column)."""

CO2_METHOD_LABELS: Final[dict[str, str]] = {
    "combustion": "燃料燃烧（排放因子法）",
    "electricity": "外购电力（电网排放因子）",
    "heat": "外购热力（热力排放因子）",
    "feedstock": "原料用能，不计燃烧排放",
    "non_energy": "非能源用途，不计燃烧排放",
    "no_fossil_co2": "非化石能源、耗能工质等，不计化石燃料排放",
    "not_computed": "无法计算（见提示）",
}

INPUT_COLUMNS: Final[dict[str, str]] = {
    "carrier": "能源品种：名称、别名或代码（必需）",
    "quantity": "数量：实物量，数字，不能为负（必需）",
    "unit": "计量单位（必需）",
    "period": "期间：YYYY-MM 文本或日期（可选；给出时决定各行的年份）",
    "use": "用途：fuel/feedstock/power_generation/non_energy 或 燃料/原料/发电供热/非能源（可选，空=燃料）",
    "separately_listed": "能耗单列：布尔或 是/否（可选，空=否）",
}
"""The columns :func:`convert` reads; any other column is kept as is."""

RESULT_COLUMNS: Final[tuple[str, ...]] = (
    "combo",
    "carrier_code",
    "year",
    "canonical_quantity",
    "energy_tce",
    "co2_t",
    "series",
    "co2_method",
    "tce_ref",
    "co2_ref",
    "ok",
)
"""The columns :func:`convert` adds to every row (``year`` only when the frame has none)."""

TOTAL_COLUMNS: Final[tuple[str, ...]] = (
    "rows",
    "energy_tce",
    "fossil_tce",
    "non_fossil_tce",
    "feedstock_tce",
    "separately_listed_tce",
    "new_basis_tce",
    "power_generation_tce",
    "non_energy_tce",
    "co2_t",
    "combustion_co2_t",
    "electricity_co2_t",
    "heat_co2_t",
    "co2_missing_rows",
    "co2_complete",
    "uncertain",
    "uncertain_coefficients",
    "fallback",
    "factor_sets",
    "provenance_refs",
)
"""The columns of :meth:`BatchResult.totals_by` after the grouping columns."""

_KEY_COLUMNS: Final = ("carrier", "unit", "use", "period", "separately_listed")
_PERIOD_RE: Final = re.compile(r"([0-9]{4})-([0-9]{2})")
_TRUE: Final = frozenset({"是", "y", "yes", "true", "t", "1", "√", "单列"})
_FALSE: Final = frozenset({"否", "n", "no", "false", "f", "0", "×", ""})
_SEED: Final = (0x5EED0001, 0x5EED0002, 0x5EED0003, 0x5EED0004, 0x5EED0005)
_CHECK_SEED: Final = (0xC4EC0001, 0xC4EC0002, 0xC4EC0003, 0xC4EC0004, 0xC4EC0005)

_SERIES_DTYPE: Final = pl.Enum(list(SERIES))
_METHOD_DTYPE: Final = pl.Enum(list(CO2_METHODS))
_USE_DTYPE: Final = pl.Enum(list(USES))
_CARRIER_DTYPE: Final = pl.Enum([c.code for c in CARRIERS])


def normalise_use(text: object) -> str:
    """``燃料``/``fuel``/empty → ``fuel``; ``原料`` → ``feedstock``; ``发电供热`` →
    ``power_generation``; ``非能源`` → ``non_energy``.

    Raises
    ------
    ecplan.core.errors.InputError
        With the accepted spellings in Chinese.
    """
    if text is None:
        return "fuel"
    key = re.sub(r"[\s\-－_　]+", "", str(text)).casefold()
    if key == "":
        return "fuel"
    found = _USE_ALIASES.get(key) or _USE_ALIASES.get(str(text).strip())
    if found is None:
        raise InputError(
            "use",
            text,
            "用途应为 燃料（fuel）、原料（feedstock）、发电供热（power_generation）或"
            "非能源（non_energy）；空白按燃料处理",
        )
    return found


# --- provenance registry -------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    ref: int
    quantity: str
    value: float
    unit: str
    formula: str
    coefficients: tuple[Coefficient, ...]
    main: Coefficient
    notes: tuple[str, ...]

    @property
    def uncertain(self) -> bool:
        return any(c.uncertain for c in self.coefficients)

    @property
    def fallback(self) -> bool:
        return any(c.year_fallback or c.region_fallback for c in self.coefficients)

    @property
    def label(self) -> str:
        fs = self.main.factor_set
        if fs is not None:
            return f"{fs.id} v{fs.version} {self.main.row_id or ''}".strip()
        return f"{self.main.name}（{CONFIDENCE_LABELS.get(self.main.confidence, '')}）"


class _Registry:
    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self._index: dict[tuple[object, ...], int] = {}

    def add(
        self,
        quantity: str,
        value: float,
        unit: str,
        formula: str,
        coefficients: tuple[Coefficient, ...],
        main: Coefficient,
        notes: tuple[str, ...] = (),
    ) -> int:
        key = (quantity, value, unit, formula, coefficients, notes)
        found = self._index.get(key)
        if found is not None:
            return found
        ref = len(self.entries)
        self.entries.append(_Entry(ref, quantity, value, unit, formula, coefficients, main, notes))
        self._index[key] = ref
        return ref


# --- resolving one combination -------------------------------------------------------------


@dataclass
class _Combo:
    carrier_code: str | None = None
    carrier_name: str | None = None
    dimension: str | None = None
    canonical_unit: str | None = None
    multiplier: float | None = None
    use: str | None = None
    year: int | None = None
    tce_per_unit: float | None = None
    tce_ref: int | None = None
    ef: float | None = None
    co2_ref: int | None = None
    co2_method: str | None = None
    series: str | None = None
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)


def _reason(exc: AccountingError) -> str:
    if isinstance(exc, UnitError):
        return f"unit_{exc.reason}"
    return exc.code


class _Resolver:
    """Resolves distinct key combinations with the scalar API (memoised by sub-key)."""

    def __init__(
        self,
        *,
        basis: str,
        year: int | None,
        region: str,
        factor_set: FactorSource,
        generation_coal_rate: float | None,
        heat_supply_coal_rate: float | None,
        has_period: bool,
    ) -> None:
        self.basis = basis
        self.year = year
        self.region = region
        self.library = library_for(factor_set)
        self.generation_coal_rate = generation_coal_rate
        self.heat_supply_coal_rate = heat_supply_coal_rate
        self.has_period = has_period
        self.registry = _Registry()
        self._carriers: dict[str, Carrier | AccountingError] = {}
        self._units: dict[tuple[str, str], ParsedUnit | AccountingError] = {}
        self._tce: dict[tuple[str, str, int | None], tuple[float, int] | AccountingError] = {}
        self._co2: dict[tuple[str, str, int | None], tuple[str, float | None, int | None, str]] = {}

    # carriers and units -------------------------------------------------------------------
    def carrier(self, text: str) -> Carrier | AccountingError:
        found = self._carriers.get(text)
        if found is None:
            try:
                found = get_carrier(text)
            except AccountingError as exc:
                found = exc
            self._carriers[text] = found
        return found

    def unit(self, c: Carrier, text: str) -> ParsedUnit | AccountingError:
        key = (c.code, text)
        found = self._units.get(key)
        if found is None:
            try:
                found = parse_unit(
                    text, dimensions=c.dimensions, carrier=c.code, carrier_name=c.name_zh
                )
            except AccountingError as exc:
                found = exc
            self._units[key] = found
        return found

    # coefficients -------------------------------------------------------------------------
    def tce(
        self, c: Carrier, dim: Dimension, year: int | None
    ) -> tuple[float, int] | AccountingError:
        key = (c.code, dim.value, year)
        found = self._tce.get(key)
        if found is None:
            try:
                factor = tce_coefficient(
                    c,
                    dim,
                    basis=self.basis,
                    year=year,
                    region=self.region,
                    generation_coal_rate=self.generation_coal_rate,
                    heat_supply_coal_rate=self.heat_supply_coal_rate,
                    factor_set=self.library,
                )
                found = (factor.value, self._tce_entry(factor))
            except AccountingError as exc:
                found = exc
            self._tce[key] = found
        return found

    def _tce_entry(self, factor: TceFactor) -> int:
        main = factor.coefficients[-1] if len(factor.coefficients) > 1 else factor.coefficients[0]
        if factor.formula == "Q_net ÷ 29.307":  # pragma: no cover - measured LCVs are per line
            main = factor.coefficients[0]
        formula = "E = Q × m" if factor.formula == "1" else f"E = Q × m × {factor.formula}"
        return self.registry.add(
            "energy_tce",
            factor.value,
            factor.unit,
            formula,
            factor.coefficients,
            main,
            factor.notes,
        )

    def co2(
        self, c: Carrier, use: str, year: int | None
    ) -> tuple[str, float | None, int | None, str]:
        """(method, ef per canonical unit or None, provenance ref, warning message)."""
        key = (c.code, use, year)
        found = self._co2.get(key)
        if found is None:
            found = self._co2_uncached(c, use, year)
            self._co2[key] = found
        return found

    def _co2_uncached(
        self, c: Carrier, use: str, year: int | None
    ) -> tuple[str, float | None, int | None, str]:
        lib = self.library
        if use in ("feedstock", "non_energy"):
            return use, 0.0, None, ""
        try:
            if c.category is CarrierCategory.ELECTRICITY:
                if year is None:
                    return (
                        "not_computed",
                        None,
                        None,
                        "没有期间（年份），无法确定电网排放因子：请填写期间，或指定年份。",
                    )
                coef = lib.grid_factor(year, self.region, "average")
                notes: list[str] = []
                if coef.region_fallback:
                    notes.append(f"{self.region}没有该口径的排放因子，采用{coef.region}的数值。")
                if coef.year_fallback:
                    notes.append(
                        f"{year}年的排放因子尚未发布（第N年公告第N−2年数据），采用最近的 "
                        f"{coef.year}年数值；新因子发布并载入后可重新计算。"
                    )
                ref = self.registry.add(
                    "co2_t", coef.value, coef.unit, "CO2 = E × EF_电力平均", (coef,), coef,
                    tuple(notes),
                )  # fmt: skip
                return "electricity", coef.value, ref, ""
            if c.code == "heat":
                coef = lib.heat_factor()
                ref = self.registry.add(
                    "co2_t", coef.value, coef.unit, "CO2 = H × m × EF_热", (coef,), coef
                )
                return "heat", coef.value, ref, ""
            if c.category is CarrierCategory.HEAT:
                return (
                    "not_computed",
                    None,
                    None,
                    f"{c.name_zh}按吨填报，无法计算排放：外购蒸汽请按热量（吉焦）填报为“热力”后计算排放。",
                )
            if c.is_fossil:
                p = lib.fuel_parameters(c)
                ref = self.registry.add(
                    "co2_t",
                    p.ef.value,
                    p.ef.unit,
                    "CO2 = AD × m × EF，EF = NCV × CC × OF × 44/12",
                    (p.ncv, p.carbon_content, p.oxidation_rate, p.ef),
                    p.ef,
                )
                return "combustion", p.ef.value, ref, ""
        except AccountingError as exc:
            return "not_computed", None, None, exc.message
        return "no_fossil_co2", 0.0, None, ""

    # one combination ----------------------------------------------------------------------
    def resolve(
        self, carrier_text: object, unit_text: object, use_text: object, listed: object,
        year: int | None,
    ) -> _Combo:  # fmt: skip
        """Resolve one (carrier, unit, use, 能耗单列, year) with the scalar functions."""
        out = _Combo(year=year)
        use: str | None
        try:
            use = normalise_use(use_text)
        except AccountingError:
            use = None
            out.errors.append(
                (
                    "use",
                    "use_invalid",
                    f"用途“{use_text}”无法识别：请填写 燃料、原料、发电供热 或 非能源"
                    "（也可写 fuel、feedstock、power_generation、non_energy）；不填按燃料处理。",
                )
            )
        out.use = use
        flag, problem = _flag(listed)
        if problem:
            out.errors.append(("separately_listed", "not_bool", problem))
        if carrier_text is None or str(carrier_text).strip() == "":
            out.errors.append(("carrier", "missing", "能源品种为空。请填写能源品种名称。"))
            return out
        c = self.carrier(str(carrier_text))
        if isinstance(c, AccountingError):
            out.errors.append(("carrier", _reason(c), c.message))
            return out
        out.carrier_code, out.carrier_name = c.code, c.name_zh
        if use in ("feedstock", "non_energy") and not c.feedstock_capable:
            what = "原料用能" if use == "feedstock" else "非能源用途"
            out.errors.append(
                (
                    "use",
                    "use_not_allowed",
                    f"{c.name_zh}不能标为{what}：只有煤炭、石油、天然气及其制品可以"
                    "（发改环资〔2022〕803号）。",
                )
            )
        if unit_text is None or str(unit_text).strip() == "":
            accepted = "、".join(c.accepted_units)
            out.errors.append(
                ("unit", "missing", f"计量单位为空。{c.name_zh}可用单位：{accepted}。")
            )
            return out
        parsed = self.unit(c, str(unit_text))
        if isinstance(parsed, AccountingError):
            out.errors.append(("unit", _reason(parsed), parsed.message))
            return out
        out.dimension = parsed.dimension.value
        out.canonical_unit = CANONICAL_UNITS[parsed.dimension]
        out.multiplier = parsed.multiplier
        factor = self.tce(c, parsed.dimension, year)
        if isinstance(factor, AccountingError):
            column = "period" if factor.code == "input_invalid" and self.has_period else "carrier"
            out.errors.append((column, _reason(factor), factor.message))
        else:
            out.tce_per_unit, out.tce_ref = factor
        if flag:
            out.series = "separately_listed"
        elif use == "feedstock":
            out.series = "feedstock"
        elif c.is_non_fossil:
            out.series = "non_fossil"
        else:
            out.series = "fossil"
        if use is not None:
            method, ef, ref, warning = self.co2(c, use, year)
            out.co2_method, out.ef, out.co2_ref = method, ef, ref
            if warning:
                out.warnings.append(("carrier", "co2_not_computed", warning))
        return out


def _period(value: object) -> tuple[int | None, tuple[str, str] | None]:
    """(year, problem) of a period cell: ``"YYYY-MM"`` text or a date."""
    if value is None:
        return None, ("missing", "期间为空。请填写年月，例如 2025-03。")
    if isinstance(value, dt.date):
        return value.year, None
    text = str(value).strip()
    m = _PERIOD_RE.fullmatch(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), None
    return None, ("not_period", f"期间“{text}”不是 YYYY-MM 格式的年月，例如 2025-03。")


def _flag(value: object) -> tuple[bool, str]:
    if value is None or isinstance(value, bool):
        return bool(value), ""
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True, ""
    if text in _FALSE:
        return False, ""
    return False, f"能耗单列应填“是”或“否”，而不是“{value}”。"


# --- exact, reproducible sums ----------------------------------------------------------------

_INT: Final = pl.Int128


def _fixed_point_scale(values: Sequence[pl.Series], rows: int) -> int | None:
    """A power of two 2^k that turns every value exactly into an integer with room for the
    sum of ``rows`` of them in an Int128, or None when no such k exists (values more than
    about 2^70 apart)."""
    largest = 0.0
    smallest = math.inf
    for s in values:
        stats = pl.select(
            pl.lit(s).abs().max().alias("max"),
            pl.when(pl.lit(s) != 0).then(pl.lit(s).abs()).min().alias("min"),
        ).row(0)
        if stats[0] is not None and stats[0] > largest:
            largest = stats[0]
        if stats[1] is not None and stats[1] < smallest:
            smallest = stats[1]
    if largest == 0.0:
        return 0
    k = 125 - math.frexp(largest)[1] - max(rows, 1).bit_length()
    if not -1000 <= k <= 1000:  # 2^k itself must be a finite double
        return None
    # Every finite double x with |x| >= 2^(52-k) is a multiple of 2^-k; smaller ones may be.
    if smallest >= 2.0 ** (52 - k):
        return k
    for s in values:
        scaled = s * (2.0**k)
        if not bool((scaled.floor() == scaled).fill_null(True).all()):
            return None
    return k


_PART_CONDITIONS: Final[dict[str, pl.Expr]] = {
    "non_fossil_tce": pl.col("series") == "non_fossil",
    "feedstock_tce": pl.col("series") == "feedstock",
    "separately_listed_tce": pl.col("series") == "separately_listed",
    "power_generation_tce": pl.col("use_code") == "power_generation",
    "non_energy_tce": pl.col("use_code") == "non_energy",
    "combustion_co2_t": pl.col("co2_method") == "combustion",
    "electricity_co2_t": pl.col("co2_method") == "electricity",
    "heat_co2_t": pl.col("co2_method") == "heat",
}
_PARTS: Final = tuple(_PART_CONDITIONS)
_MONEY: Final = (
    "energy_tce",
    "fossil_tce",
    "non_fossil_tce",
    "feedstock_tce",
    "separately_listed_tce",
    "new_basis_tce",
    "power_generation_tce",
    "non_energy_tce",
    "co2_t",
    "combustion_co2_t",
    "electricity_co2_t",
    "heat_co2_t",
)
_SHIFT: Final = 1074  # every finite double is a multiple of 2^-1074


def _exact(value: float) -> int:
    num, den = value.as_integer_ratio()
    return num * ((1 << _SHIFT) // den)


def _exact_python_totals(
    stage1: pl.DataFrame, groups: Sequence[str], masks: Sequence[str]
) -> pl.DataFrame:
    """The exact sums with Python integers, for values too far apart for Int128 (rare: needs
    values about 2^50 apart, e.g. 1e-9 and 1e6 tce in one table). Slower, same result."""
    series = {"non_fossil": "non_fossil_tce", "feedstock": "feedstock_tce",
              "separately_listed": "separately_listed_tce"}  # fmt: skip
    uses = {"power_generation": "power_generation_tce", "non_energy": "non_energy_tce"}
    methods = {"combustion": "combustion_co2_t", "electricity": "electricity_co2_t",
               "heat": "heat_co2_t"}  # fmt: skip
    acc: dict[tuple[object, ...], dict[str, int]] = {}
    for row in stage1.iter_rows(named=True):
        key = tuple(row[g] for g in groups)
        a = acc.setdefault(
            key,
            {"rows": 0, "co2_missing_rows": 0, "co2_t": 0, "energy_tce": 0,
             **dict.fromkeys(_PARTS, 0), **dict.fromkeys(masks, 0)},
        )  # fmt: skip
        energy = sum(_exact(x) for x in row["__energy"] if x is not None)
        co2 = sum(_exact(x) for x in row["__co2"] if x is not None)
        a["rows"] += row["__rows"]
        a["energy_tce"] += energy
        a["co2_t"] += co2
        if row["series"] in series:
            a[series[row["series"]]] += energy
        if row["use_code"] in uses:
            a[uses[row["use_code"]]] += energy
        if row["co2_method"] in methods:
            a[methods[row["co2_method"]]] += co2
        if row["co2_method"] == "not_computed":
            a["co2_missing_rows"] += row["__rows"]
        for m in masks:
            a[m] |= row[m] or 0
    scale = 1 << _SHIFT
    out: list[dict[str, object]] = []
    for key, a in sorted(acc.items(), key=lambda kv: tuple((v is None, v) for v in kv[0])):
        a["fossil_tce"] = a["energy_tce"] - a["non_fossil_tce"]
        a["new_basis_tce"] = (
            a["energy_tce"] - a["separately_listed_tce"] - a["feedstock_tce"] - a["non_fossil_tce"]
        )
        out.append(
            {
                **dict(zip(groups, key, strict=True)),
                **{m: a[m] / scale for m in _MONEY},
                "rows": a["rows"],
                "co2_missing_rows": a["co2_missing_rows"],
                "co2_complete": a["co2_missing_rows"] == 0,
                **{m: a[m] for m in masks},
            }
        )
    schema: dict[str, Any] = {
        **{g: stage1.schema[g] for g in groups},
        **dict.fromkeys(_MONEY, pl.Float64),
        "rows": pl.Int64,
        "co2_missing_rows": pl.Int64,
        "co2_complete": pl.Boolean,
        **dict.fromkeys(masks, pl.UInt64),
    }
    if not out and not groups:
        out.append({**dict.fromkeys(_MONEY, 0.0), "rows": 0, "co2_missing_rows": 0,
                    "co2_complete": True, **dict.fromkeys(masks, 0)})  # fmt: skip
    return pl.DataFrame(out, schema=schema)


# --- the result ----------------------------------------------------------------------------

_ERROR_SCHEMA: Final = {
    "row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "reason": pl.String,
    "message": pl.String,
}

_DETAIL_COLUMNS: Final = (
    "carrier_name",
    "use_code",
    "dimension",
    "canonical_unit",
    "unit_multiplier",
    "tce_per_unit",
    "ef_tco2_per_unit",
    "tce_source",
    "tce_confidence",
    "co2_source",
    "co2_confidence",
    "uncertain",
    "fallback",
    "co2_note",
)


@dataclass(frozen=True)
class BatchResult:
    """The converted rows with their provenance (see :func:`convert`).

    Attributes
    ----------
    rows : polars.DataFrame
        Every input row, in order, with the input columns unchanged plus
        :data:`RESULT_COLUMNS`: ``combo`` (row of ``combos``), ``carrier_code`` (the
        carrier recognised, whatever its spelling in the input), ``year`` (the year whose
        factors were used; the input's own ``year`` column is kept when there is one),
        ``canonical_quantity`` (in the carrier's canonical unit), ``energy_tce`` [tce],
        ``co2_t`` [tCO2] (null when it cannot be computed — see ``warnings``), ``series``,
        ``co2_method``, ``tce_ref`` / ``co2_ref`` (rows of ``provenance``), ``ok`` (no
        error). Rows with an error have null results.
    errors : polars.DataFrame
        One row per problem that makes a row unusable: ``row``, ``column`` (input column
        name), ``value`` (as given), ``reason`` (code), ``message`` (Chinese, says how to
        fix it). Sorted by row.
    warnings : polars.DataFrame
        Same columns: rows that convert but whose CO2 could not be computed.
    provenance : polars.DataFrame
        One row per coefficient used (``ref``): quantity, value and unit, formula, label,
        factor-set id/version/kind/title/digest/origin, row id, document, locator, published
        value and unit, confidence, year and region used and requested, fallbacks,
        alternatives, notes, components.
    combos : polars.DataFrame
        One row per distinct (carrier, unit, use, period, 能耗单列) of the input and how it was
        resolved (``input_*`` columns as given, carrier code, dimension, multiplier,
        coefficients, provenance references, series, CO2 method).
    basis, region : str
        Conversion basis (``calorific``/``equivalent``) and region of the regional factors.
    year : int or None
        The fixed year given to :func:`convert`, or None (each row's period year).
    """

    rows: pl.DataFrame
    errors: pl.DataFrame
    warnings: pl.DataFrame
    provenance: pl.DataFrame
    combos: pl.DataFrame
    basis: str
    region: str
    year: int | None
    _classes: pl.DataFrame = field(default_factory=pl.DataFrame, repr=False)
    _masks: tuple[str, ...] = ()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _all_valid: bool = True

    @property
    def ok(self) -> bool:
        """True when every row converted (no error, no row refused by the caller)."""
        return self.errors.height == 0 and self._all_valid

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]

    @property
    def factor_sets(self) -> tuple[FactorSetRef, ...]:
        """Every factor-set version a coefficient was taken from (sorted by id)."""
        refs: dict[tuple[str, str], FactorSetRef] = {}
        for row in self.provenance.iter_rows(named=True):
            if row["factor_set_id"] is not None:
                refs[(row["factor_set_id"], row["factor_set_version"])] = FactorSetRef(
                    id=row["factor_set_id"],
                    version=row["factor_set_version"],
                    kind=row["factor_set_kind"],
                    title=row["factor_set_title"],
                    digest=row["factor_set_digest"],
                    origin=row["factor_set_origin"],
                )
        return tuple(refs[k] for k in sorted(refs))

    def valid_rows(self) -> pl.DataFrame:
        """The rows without any error (what ``--skip-invalid`` keeps)."""
        if self.ok:
            return self.rows
        return self.rows.filter(pl.col("ok"))

    def with_provenance(self, rows: pl.DataFrame | None = None) -> pl.DataFrame:
        """``rows`` (default: all) with the details of their combination and coefficients as
        columns: ``carrier_name``, ``use_code``, ``dimension``,
        ``canonical_unit``, ``unit_multiplier``, ``tce_per_unit``, ``ef_tco2_per_unit``,
        ``tce_source`` / ``co2_source`` (``<set id> v<version> <row id>``),
        ``tce_confidence`` / ``co2_confidence``, ``uncertain``, ``fallback``, ``co2_note``."""
        frame = self.rows if rows is None else rows
        idx = frame.get_column("combo")
        return frame.hstack([self.combos.get_column(c).gather(idx) for c in _DETAIL_COLUMNS])

    def totals_by(self, *by: str, skip_invalid: bool = False) -> pl.DataFrame:
        """Sum the rows by the given columns, with the new-basis series and provenance.

        Parameters
        ----------
        *by : str
            Grouping columns of :attr:`rows` (``"entity"``, ``"year"``, ``"period"``,
            ``"carrier"``, any pass-through column such as ``"area"``). None: one grand total.
        skip_invalid : bool
            Sum only the rows without error. By default a result with errors is refused, so
            that no total silently leaves rows out.

        Returns
        -------
        polars.DataFrame
            The grouping columns then :data:`TOTAL_COLUMNS`: ``rows``; ``energy_tce`` and
            its series ``fossil_tce`` (= energy − non-fossil, the old basis's fossil part),
            ``non_fossil_tce``, ``feedstock_tce``, ``separately_listed_tce``,
            ``new_basis_tce`` (= energy − separately listed − feedstock − non-fossil);
            ``power_generation_tce`` and ``non_energy_tce`` (energy used for power/heat
            generation and for non-energy purposes, included in ``energy_tce``); ``co2_t``
            and its parts ``combustion_co2_t``, ``electricity_co2_t``, ``heat_co2_t``;
            ``co2_missing_rows`` and ``co2_complete``; ``uncertain`` (an uncertain
            coefficient contributed) with ``uncertain_coefficients``; ``fallback`` (a year or
            region fallback contributed); ``factor_sets`` (``id vN`` joined with ``、``) and
            ``provenance_refs`` (list of ``provenance.ref``). Sorted by the grouping columns.

            Sums are exact and then rounded once (the correctly rounded sum, as
            :func:`math.fsum`), so they do not depend on the order of the rows or on how the
            work is split between threads: the same table always gives the same bits.

        Raises
        ------
        ecplan.core.errors.InputError
            Rows have errors and ``skip_invalid`` is False, or a column is unknown.
        """
        return self.totals(by, skip_invalid=skip_invalid)[0]

    def totals(self, *groupings: Sequence[str], skip_invalid: bool = False) -> list[pl.DataFrame]:
        """:meth:`totals_by` for several groupings at once, e.g.
        ``totals(("entity", "year"), ("area", "period"), ("carrier_code",))``: the groupings
        are computed in one pass of the query engine. Returns one frame per grouping."""
        if not self.ok and not skip_invalid:
            raise InputError(
                "rows",
                f"{self.errors.height} 处错误",
                "有错误的行不能合计：请先改正（见 errors），或用 skip_invalid=True 只合计无错误的行",
            )
        wanted = [list(g) for g in groupings]
        unknown = sorted({c for g in wanted for c in g if c not in self.rows.columns})
        if unknown:
            raise InputError("by", unknown, "不是结果表中的列")
        scale, work = self._summable()
        masks = [f"__{w}" for w in self._masks]
        rows_agg = pl.len().cast(pl.Int64).alias("__rows")
        mask_aggs = [pl.col(f"__{w}").bitwise_or().alias(w) for w in self._masks]
        if scale is None:
            out = []
            for groups in wanted:
                stage1 = (
                    work.lazy()
                    .group_by([*groups, "__class"])
                    .agg(rows_agg, pl.col("__energy"), pl.col("__co2"), *mask_aggs)
                    .collect()
                    .join(self._classes, left_on="__class", right_on="class", how="left")
                )
                exact = _exact_python_totals(stage1, groups, self._masks)
                out.append(self._decode_masks(exact, groups))
            return out
        # Stage 1 groups the rows by the grouping columns and the class (series × CO2 method ×
        # use); stage 2 splits the sums by class on the small result. The streaming engine
        # groups millions of rows into many groups several times faster than the in-memory
        # one; the integer sums make the result independent of the order and the threads.
        stage1_queries = [
            work.lazy()
            .select(*groups, "__class", "__energy", "__co2", *masks)
            .group_by([*groups, "__class"])
            .agg(rows_agg, pl.col("__energy").sum(), pl.col("__co2").sum(), *mask_aggs)
            for groups in wanted
        ]
        stage1_frames = pl.collect_all(stage1_queries, engine="streaming")
        e, c, n = pl.col("__energy"), pl.col("__co2"), pl.col("__rows")
        zero = pl.lit(0, dtype=_INT)
        aggs = [
            n.sum().alias("rows"),
            e.sum().alias("energy_tce"),
            *(pl.col(name).sum() for name in _PARTS),
            c.sum().alias("co2_t"),
            pl.col("co2_missing_rows").sum(),
            *(pl.col(w).bitwise_or() for w in self._masks),
        ]
        stage2_queries = []
        for groups, stage1 in zip(wanted, stage1_frames, strict=True):
            query = (
                stage1.lazy()
                .join(self._classes.lazy(), left_on="__class", right_on="class", how="left")
                .with_columns(
                    *(
                        pl.when(_PART_CONDITIONS[name]).then(e if name.endswith("_tce") else c)
                        .otherwise(zero).alias(name)
                        for name in _PARTS
                    ),
                    pl.when(pl.col("co2_method") == "not_computed").then(n).otherwise(0)
                    .alias("co2_missing_rows"),
                )
            )  # fmt: skip
            if groups:
                # categoricals sort by their text
                query = query.group_by(groups).agg(aggs).sort(groups, nulls_last=True)
            else:
                query = query.select(aggs)
            divisor = 2.0**scale
            stage2_queries.append(
                # differences on the exact integers, then one rounding per figure
                query.with_columns(
                    (pl.col("energy_tce") - pl.col("non_fossil_tce")).alias("fossil_tce"),
                    (
                        pl.col("energy_tce")
                        - pl.col("separately_listed_tce")
                        - pl.col("feedstock_tce")
                        - pl.col("non_fossil_tce")
                    ).alias("new_basis_tce"),
                ).with_columns(
                    *(pl.col(x).cast(pl.Float64) / divisor for x in _MONEY),
                    pl.col("rows").cast(pl.Int64),
                    pl.col("co2_missing_rows").cast(pl.Int64),
                    (pl.col("co2_missing_rows") == 0).alias("co2_complete"),
                )
            )
        grouped = pl.collect_all(stage2_queries, engine="streaming")
        return [self._decode_masks(g, groups) for g, groups in zip(grouped, wanted, strict=True)]

    def _summable(self) -> tuple[int | None, pl.DataFrame]:
        """The valid rows with their class, provenance masks and — when the values allow it —
        ``energy_tce`` and ``co2_t`` as exact Int128 multiples of 2^-scale (computed once)."""
        cached = self._cache.get("summable")
        if cached is not None:
            return cast(tuple[int | None, pl.DataFrame], cached)
        rows = self.valid_rows()
        idx = rows.get_column("combo")
        energy = rows.get_column("energy_tce")
        co2 = rows.get_column("co2_t")
        scale = _fixed_point_scale([energy, co2], rows.height)
        factor = 2.0**scale if scale is not None else 1.0

        def value(name: str) -> pl.Expr:
            return (pl.col(name) * factor).cast(_INT) if scale is not None else pl.col(name)

        added = (
            pl.DataFrame({"e": energy, "c": co2, "i": idx})
            .lazy()
            .select(
                value("e").alias("__energy"),
                value("c").alias("__co2"),
                pl.lit(self.combos.get_column("class")).gather(pl.col("i")).alias("__class"),
                *(
                    pl.lit(self.combos.get_column(w)).gather(pl.col("i")).alias(f"__{w}")
                    for w in self._masks
                ),
            )
            .collect()
        )
        work = rows.hstack(added.get_columns())
        self._cache["summable"] = (scale, work)
        return scale, work

    def _decode_masks(self, grouped: pl.DataFrame, by: list[str]) -> pl.DataFrame:
        """Turn the provenance bit masks of the totals into the sets, coefficients and flags
        they stand for (each distinct mask decoded once per result)."""
        entries = self.provenance.select(
            "label", "uncertain", "fallback", "factor_set_id", "factor_set_version"
        ).rows()
        cache: dict[tuple[int, ...], tuple[bool, str, bool, str, list[int]]]
        cache = self._cache.setdefault("masks", {})
        keys = grouped.select(self._masks).unique(maintain_order=True)
        flags: list[tuple[Any, ...]] = []
        owners: list[int] = []
        flat: list[int] = []
        for i, words in enumerate(keys.iter_rows()):
            decoded = cache.get(words)
            if decoded is None:
                refs: list[int] = []
                for word_index, word in enumerate(words):
                    rest = word or 0
                    while rest:
                        low = rest & -rest
                        refs.append(word_index * 64 + low.bit_length() - 1)
                        rest ^= low
                used = [entries[r] for r in refs]
                sets = sorted({(u[3], u[4]) for u in used if u[3] is not None})
                decoded = cache[words] = (
                    any(u[1] for u in used),
                    "、".join(u[0] for u in used if u[1]),
                    any(u[2] for u in used),
                    "、".join(f"{s} v{v}" for s, v in sets),
                    refs,
                )
            flags.append((*words, *decoded[:4]))
            owners.extend([i] * len(decoded[4]))
            flat.extend(decoded[4])
        table = pl.DataFrame(
            flags,
            schema={
                **dict.fromkeys(self._masks, pl.UInt64),
                "uncertain": pl.Boolean,
                "uncertain_coefficients": pl.String,
                "fallback": pl.Boolean,
                "factor_sets": pl.String,
            },
            orient="row",
        )
        refs_table = (
            pl.DataFrame(
                {"__i": pl.Series(owners, dtype=pl.UInt32), "ref": pl.Series(flat, dtype=pl.UInt32)}
            )
            .group_by("__i")
            .agg(pl.col("ref").alias("provenance_refs"))
        )
        table = (
            table.with_row_index("__i")
            .join(refs_table, on="__i", how="left")
            .with_columns(pl.col("provenance_refs").fill_null(pl.lit([], dtype=pl.List(pl.UInt32))))
            .drop("__i")
        )
        joined = grouped.join(table, on=list(self._masks), how="left", maintain_order="left")
        return joined.select(*by, *TOTAL_COLUMNS)

    def total(self, *, skip_invalid: bool = False) -> dict[str, Any]:
        """The grand total as a plain dict (the one row of ``totals_by()``)."""
        return self.totals_by(skip_invalid=skip_invalid).row(0, named=True)


# --- convert -------------------------------------------------------------------------------


def convert(
    frame: pl.DataFrame | pl.LazyFrame,
    *,
    basis: str = "calorific",
    year: int | None = None,
    region: str = DEFAULT_REGION,
    factor_set: FactorSource = None,
    generation_coal_rate: float | None = None,
    heat_supply_coal_rate: float | None = None,
    row_column: str = "row",
    valid_column: str | None = None,
) -> BatchResult:
    """Convert a long table of energy quantities to tce and CO2, row by row, with provenance.

    Parameters
    ----------
    frame : polars.DataFrame or LazyFrame
        One row per entity × period × carrier × use. Columns (see :data:`INPUT_COLUMNS`):
        ``carrier``, ``quantity`` (numeric), ``unit``; optional ``period`` (``"YYYY-MM"``
        text or a date), ``use``, ``separately_listed``. Text columns may be String,
        Categorical or Enum. Every other column (``entity``, ``area`` …) is kept.
    basis : {"calorific", "equivalent", "当量值", "等价值"}
        当量值 (default) or 等价值 — they differ for electricity and heat.
    year : int, optional
        Use this year's factors for every row. Default: each row's period year (the grid
        factor and, on the 等价值 basis, the coal rate of the year, with the documented
        fallback to the latest earlier year).
    region : str
        Region of the grid factor and coal-rate series (default 江苏, falling back to 全国).
    factor_set : FactorSource, optional
        Factor library or sets (``"ndrc-2013-steel-fuels"``, ``"id@version"`` …); resolved
        once, so the whole table uses one consistent set of versions.
    generation_coal_rate : float, optional
        [gce/kWh] for electricity on the 等价值 basis instead of the series.
    heat_supply_coal_rate : float, optional
        [kgce/GJ] for heat on the 等价值 basis.
    row_column : str
        Column holding the row numbers to report (a spreadsheet's row numbers); when absent,
        rows are numbered from 1.
    valid_column : str, optional
        Boolean column marking rows the caller has already refused (false), e.g. for a bad
        cell that is not one of the columns above; they get null results and are left out of
        totals like rows with errors, but their problems are the caller's to report.

    Returns
    -------
    BatchResult
        ``rows`` (results + per-row provenance references), ``errors``, ``warnings``,
        ``provenance``, ``combos``; ``totals_by(...)``.

    Raises
    ------
    ecplan.core.errors.InputError
        A required column is missing, ``quantity`` is not numeric, or a result column name is
        already taken. Problems in the data are not raised: they are the rows of ``errors``.

    Notes
    -----
    Each row equals the scalar API on the same inputs (``to_tce`` for ``energy_tce``;
    ``fuel_co2`` / ``electricity_co2`` / ``heat_co2`` for ``co2_t``; 0 for feedstock and
    non-energy use and for carriers without fossil CO2), bit for bit.

    References
    ----------
    GB/T 2589-2020; GB/T 32151.22-2024 附录C; GB/T 32150—2025; 生态环境部、国家统计局
    电力二氧化碳排放因子公告; 发改环资〔2022〕803号; 发改环资〔2024〕113号.
    """
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    b = normalise_basis(basis)
    reg = normalise_region(region)
    missing = [c for c in ("carrier", "quantity", "unit") if c not in frame.columns]
    if missing:
        raise InputError("frame", missing, "缺少必需的列（carrier、quantity、unit）")
    taken = [c for c in RESULT_COLUMNS if c in frame.columns and c != "year"]
    if taken:
        raise InputError("frame", taken, "与结果列同名，请先改名")
    quantity = frame.get_column("quantity")
    if not (quantity.dtype.is_numeric() or quantity.dtype == pl.Null):
        raise InputError("quantity", str(quantity.dtype), "数量列应为数值类型（请先解析文本）")
    quantity = quantity.cast(pl.Float64)
    keys = [c for c in _KEY_COLUMNS if c in frame.columns]
    resolver = _Resolver(
        basis=b,
        year=year,
        region=reg,
        factor_set=factor_set,
        generation_coal_rate=generation_coal_rate,
        heat_supply_coal_rate=heat_supply_coal_rate,
        has_period="period" in frame.columns,
    )
    idx, reps = _combinations(frame, keys)
    combos, problems = _resolve_all(reps, resolver, year)
    entries = resolver.registry.entries
    masks = tuple(f"mask_{w}" for w in range(max(1, math.ceil(len(entries) / 64))))
    combo_frame, classes = _combo_frame(reps, combos, entries, masks)

    # Spread the combinations' values to the rows (one parallel pass), then compute in the
    # documented order: canonical = quantity * multiplier; energy = canonical * k; co2 = ….
    spread = ["unit_multiplier", "tce_per_unit", "ef_tco2_per_unit", "carrier_code", "year",
              "series", "co2_method", "tce_ref", "co2_ref", "combo_ok"]  # fmt: skip
    per_row = (
        combo_frame.lazy()
        .select(pl.col(spread).gather(pl.lit(idx)))
        .with_columns(pl.lit(quantity).alias("__q"))
        .collect()
    )
    numbers = per_row.select(
        (pl.col("__q") * pl.col("unit_multiplier")).alias("canonical_quantity"),
        ((pl.col("__q") * pl.col("unit_multiplier")) * pl.col("tce_per_unit")).alias("energy_tce"),
        ((pl.col("__q") * pl.col("unit_multiplier")) * pl.col("ef_tco2_per_unit")).alias("co2_t"),
        (pl.col("__q").is_not_null() & pl.col("__q").is_finite() & (pl.col("__q") >= 0)).alias(
            "q_ok"
        ),
    )

    def take(column: str) -> pl.Series:
        return per_row.get_column(column)

    q_ok = numbers.get_column("q_ok")
    combos_ok = bool(combo_frame.get_column("combo_ok").all())
    quantities_ok = bool(q_ok.all())
    caller_ok = (
        frame.get_column(valid_column).cast(pl.Boolean).fill_null(False)
        if valid_column is not None
        else None
    )
    all_valid = caller_ok is None or bool(caller_ok.all())
    if combos_ok and quantities_ok and all_valid:
        ok = pl.repeat(True, frame.height, dtype=pl.Boolean, eager=True)
        results = numbers.drop("q_ok")
    else:
        ok = (take("combo_ok") & q_ok).fill_null(False)
        if caller_ok is not None:
            ok = ok & caller_ok
        results = numbers.select(
            pl.when(ok).then(pl.col(c)).alias(c)
            for c in ("canonical_quantity", "energy_tce", "co2_t")
        )
    added = [
        idx.alias("combo"),
        take("carrier_code").alias("carrier_code"),
        *([] if "year" in frame.columns else [take("year").alias("year")]),
        *results.get_columns(),
        take("series").alias("series"),
        take("co2_method").alias("co2_method"),
        take("tce_ref").alias("tce_ref"),
        take("co2_ref").alias("co2_ref"),
        ok.alias("ok"),
    ]
    rows = frame.hstack(added)
    errors = pl.DataFrame(schema=_ERROR_SCHEMA)
    warnings = pl.DataFrame(schema=_ERROR_SCHEMA)
    if problems or not quantities_ok:
        row_numbers = (
            frame.get_column(row_column).cast(pl.Int64)
            if row_column in frame.columns
            else pl.int_range(1, frame.height + 1, eager=True, dtype=pl.Int64)
        )
        errors = _row_problems(problems, "error", idx, row_numbers, None)
        if not quantities_ok:
            errors = _sorted(pl.concat([errors, _quantity_errors(quantity, q_ok, row_numbers)]))
        warnings = _row_problems(problems, "warning", idx, row_numbers, ok)
    return BatchResult(
        rows=rows,
        errors=errors,
        warnings=warnings,
        provenance=_provenance_frame(entries),
        combos=combo_frame.drop("combo_ok"),
        basis=b,
        region=reg,
        year=year,
        _classes=classes,
        _masks=masks,
        _all_valid=all_valid,
    )


def _combined_hash(keys: Sequence[str], seeds: Sequence[int]) -> pl.Expr:
    """A 64-bit hash of the key columns (each column hashed with its own seed)."""
    expr = pl.col(keys[0]).hash(seeds[0])
    for k, seed in zip(keys[1:], seeds[1:], strict=False):
        expr = expr ^ pl.col(k).hash(seed)
    return expr


def _combinations(frame: pl.DataFrame, keys: Sequence[str]) -> tuple[pl.Series, pl.DataFrame]:
    """(per-row index into the distinct key combinations, the combinations sorted).

    The distinct combinations are found through a 64-bit hash of the key columns and every
    row is assigned by joining on it — cheap, no string join over the whole table. A second,
    independent 64-bit hash then checks every assignment; should two combinations ever share
    the first hash, the check fails and the assignment is redone by an exact join on the key
    values. An undetected mix-up would need both hashes of two combinations to collide
    (probability about D² · 2⁻¹²⁹ for D combinations — below 10⁻³⁰ for 10 000).
    """
    hashes = (
        frame.lazy()
        .select(
            _combined_hash(keys, _SEED).alias("__h"),
            _combined_hash(keys, _CHECK_SEED).alias("__h2"),
        )
        .collect()
    )
    h, h2 = hashes.get_column("__h"), hashes.get_column("__h2")
    first = h.arg_unique()
    reps = (
        frame.select(keys)
        .select(pl.all().gather(first))
        .with_columns(h.gather(first), h2.gather(first))
        .sort([pl.col(k).cast(pl.String) for k in keys], nulls_last=True)
        .with_row_index("__combo")
    )
    idx = (
        h.to_frame()
        .join(reps.select("__h", "__combo"), on="__h", how="left", maintain_order="left")
        .get_column("__combo")
    )
    if not bool((reps.get_column("__h2").gather(idx) == h2).all()):
        reps = frame.select(keys).unique()
        reps = reps.sort([pl.col(k).cast(pl.String) for k in keys], nulls_last=True)
        reps = reps.with_row_index("__combo")
        idx = (
            frame.select(keys)
            .join(reps, on=list(keys), how="left", nulls_equal=True, maintain_order="left")
            .get_column("__combo")
        )
    return idx.alias("combo"), reps.drop("__combo", "__h", "__h2", strict=False)


_Problem = tuple[int, str, str, str, str, str]  # combo, kind, column, reason, message, value


def _resolve_all(
    reps: pl.DataFrame, resolver: _Resolver, year: int | None
) -> tuple[list[_Combo], list[_Problem]]:
    """Resolve every distinct combination (each distinct (carrier, unit, use, 能耗单列, year)
    only once) and list its problems."""
    cache: dict[tuple[object, ...], _Combo] = {}
    periods: dict[object, tuple[int | None, tuple[str, str] | None]] = {}
    combos: list[_Combo] = []
    problems: list[_Problem] = []
    height = reps.height

    def column(name: str) -> list[Any]:
        return reps.get_column(name).to_list() if name in reps.columns else [None] * height

    has_period = "period" in reps.columns
    carriers, units, uses = column("carrier"), column("unit"), column("use")
    listed_flags, period_values = column("separately_listed"), column("period")
    for i in range(height):
        carrier, unit, use = carriers[i], units[i], uses[i]
        listed, period = listed_flags[i], period_values[i]
        row_year = year
        period_problem = None
        if has_period:
            parsed = periods.get(period)
            if parsed is None:
                parsed = periods[period] = _period(period)
            period_year, period_problem = parsed
            if row_year is None:
                row_year = period_year
        key = (carrier, unit, use, listed, row_year)
        combo = cache.get(key)
        if combo is None:
            combo = cache[key] = resolver.resolve(carrier, unit, use, listed, row_year)
        combos.append(combo)
        if period_problem is None and not combo.errors and not combo.warnings:
            continue
        shown = {
            "carrier": carrier,
            "unit": unit,
            "use": use,
            "period": period,
            "separately_listed": listed,
        }
        if period_problem is not None:
            reason, message = period_problem
            problems.append((i, "error", "period", reason, message, _text(period)))
        for name, reason, message in combo.errors:
            problems.append((i, "error", name, reason, message, _text(shown.get(name))))
        for name, reason, message in combo.warnings:
            problems.append((i, "warning", name, reason, message, _text(shown.get(name))))
    return combos, problems


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _provenance_frame(entries: Sequence[_Entry]) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    for e in entries:
        c = e.main
        fs = c.factor_set
        rows.append(
            {
                "ref": e.ref,
                "quantity": e.quantity,
                "label": e.label,
                "name": c.name,
                "value": e.value,
                "unit": e.unit,
                "formula": e.formula,
                "factor_set_id": fs.id if fs else None,
                "factor_set_version": fs.version if fs else None,
                "factor_set_kind": fs.kind if fs else None,
                "factor_set_title": fs.title if fs else None,
                "factor_set_digest": fs.digest if fs else None,
                "factor_set_origin": fs.origin if fs else None,
                "row_id": c.row_id,
                "document": c.document,
                "locator": c.locator,
                "published_value": c.published_value,
                "published_unit": c.published_unit,
                "confidence": _lowest(e.coefficients),
                "confidence_label": CONFIDENCE_LABELS.get(_lowest(e.coefficients), ""),
                "uncertain": e.uncertain,
                "coefficient_basis": c.basis,
                "year": c.year,
                "region": c.region,
                "requested_year": c.requested_year,
                "requested_region": c.requested_region,
                "year_fallback": c.year_fallback,
                "region_fallback": c.region_fallback,
                "fallback": e.fallback,
                "alternatives": c.alternatives,
                "notes": "；".join(n for n in (*e.notes, c.notes) if n),
                "components": "\n".join(x.describe() for x in e.coefficients),
            }
        )
    return pl.DataFrame(rows, schema=PROVENANCE_SCHEMA)


PROVENANCE_SCHEMA: Final[dict[str, Any]] = {
    "ref": pl.UInt32,
    "quantity": pl.String,
    "label": pl.String,
    "name": pl.String,
    "value": pl.Float64,
    "unit": pl.String,
    "formula": pl.String,
    "factor_set_id": pl.String,
    "factor_set_version": pl.String,
    "factor_set_kind": pl.String,
    "factor_set_title": pl.String,
    "factor_set_digest": pl.String,
    "factor_set_origin": pl.String,
    "row_id": pl.String,
    "document": pl.String,
    "locator": pl.String,
    "published_value": pl.String,
    "published_unit": pl.String,
    "confidence": pl.String,
    "confidence_label": pl.String,
    "uncertain": pl.Boolean,
    "coefficient_basis": pl.String,
    "year": pl.Int32,
    "region": pl.String,
    "requested_year": pl.Int32,
    "requested_region": pl.String,
    "year_fallback": pl.Boolean,
    "region_fallback": pl.Boolean,
    "fallback": pl.Boolean,
    "alternatives": pl.String,
    "notes": pl.String,
    "components": pl.String,
}
"""Columns of :attr:`BatchResult.provenance`."""

_CONFIDENCE_ORDER: Final = (
    "uncertain",
    "from-secondary-source",
    "caller-supplied",
    "measured",
    "verified-from-source",
    "definition",
)


def _lowest(coefs: Sequence[Coefficient]) -> str:
    labels = [c.confidence for c in coefs]
    return min(labels, key=lambda x: _CONFIDENCE_ORDER.index(x) if x in _CONFIDENCE_ORDER else 0)


def _combo_frame(
    reps: pl.DataFrame, combos: Sequence[_Combo], entries: Sequence[_Entry], masks: Sequence[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The per-combination table and the table of total classes (series × CO2 method × use).

    Distinct resolutions are tabulated once and spread to the combinations by index."""
    labels = [e.label for e in entries]
    confidences = [_lowest(e.coefficients) for e in entries]
    uncertain = [e.uncertain for e in entries]
    fallback = [e.fallback for e in entries]
    position: dict[int, int] = {}
    distinct: list[_Combo] = []
    spread: list[int] = []
    for c in combos:
        at = position.get(id(c))
        if at is None:
            at = position[id(c)] = len(distinct)
            distinct.append(c)
        spread.append(at)
    words: list[list[int]] = [[0] * len(distinct) for _ in masks]
    for i, c in enumerate(distinct):
        for ref in (c.tce_ref, c.co2_ref):
            if ref is not None:
                words[ref // 64][i] |= 1 << (ref % 64)
    used = [[r for r in (c.tce_ref, c.co2_ref) if r is not None] for c in distinct]
    class_keys = [(c.series, c.co2_method, c.use) for c in distinct]
    class_index: dict[tuple[str | None, str | None, str | None], int] = {}
    for key in class_keys:
        class_index.setdefault(key, len(class_index))

    def pick(values: Sequence[Any], ref: int | None) -> Any:
        return None if ref is None else values[ref]

    data = {
        "carrier_code": pl.Series([c.carrier_code for c in distinct], dtype=_CARRIER_DTYPE),
        "carrier_name": pl.Series([c.carrier_name for c in distinct], dtype=pl.String),
        "use_code": pl.Series([c.use for c in distinct], dtype=_USE_DTYPE),
        "year": pl.Series([c.year for c in distinct], dtype=pl.Int32),
        "dimension": pl.Series([c.dimension for c in distinct], dtype=pl.String),
        "canonical_unit": pl.Series([c.canonical_unit for c in distinct], dtype=pl.String),
        "unit_multiplier": pl.Series([c.multiplier for c in distinct], dtype=pl.Float64),
        "tce_per_unit": pl.Series([c.tce_per_unit for c in distinct], dtype=pl.Float64),
        "ef_tco2_per_unit": pl.Series([c.ef for c in distinct], dtype=pl.Float64),
        "tce_ref": pl.Series([c.tce_ref for c in distinct], dtype=pl.UInt32),
        "co2_ref": pl.Series([c.co2_ref for c in distinct], dtype=pl.UInt32),
        "series": pl.Series([c.series for c in distinct], dtype=_SERIES_DTYPE),
        "co2_method": pl.Series([c.co2_method for c in distinct], dtype=_METHOD_DTYPE),
        "tce_source": pl.Series([pick(labels, c.tce_ref) for c in distinct], dtype=pl.String),
        "tce_confidence": pl.Series(
            [pick(confidences, c.tce_ref) for c in distinct], dtype=pl.String
        ),
        "co2_source": pl.Series([pick(labels, c.co2_ref) for c in distinct], dtype=pl.String),
        "co2_confidence": pl.Series(
            [pick(confidences, c.co2_ref) for c in distinct], dtype=pl.String
        ),
        "uncertain": pl.Series([any(uncertain[r] for r in u) for u in used], dtype=pl.Boolean),
        "fallback": pl.Series([any(fallback[r] for r in u) for u in used], dtype=pl.Boolean),
        "co2_note": pl.Series(
            [c.warnings[0][2] if c.warnings else None for c in distinct], dtype=pl.String
        ),
        "class": pl.Series([class_index[k] for k in class_keys], dtype=pl.UInt16),
        "combo_ok": pl.Series([not c.errors for c in distinct], dtype=pl.Boolean),
        **{m: pl.Series(w, dtype=pl.UInt64) for m, w in zip(masks, words, strict=True)},
    }
    table = pl.DataFrame(data)
    frame = table.select(pl.all().gather(pl.Series(spread, dtype=pl.UInt32)))
    frame = pl.concat(
        [
            pl.DataFrame({"combo": pl.Series(range(len(combos)), dtype=pl.UInt32)}),
            frame,
            reps.rename(lambda c: f"input_{c}"),
        ],
        how="horizontal",
    )
    classes = pl.DataFrame(
        {
            "class": pl.Series(list(class_index.values()), dtype=pl.UInt16),
            "series": pl.Series([k[0] for k in class_index], dtype=_SERIES_DTYPE),
            "co2_method": pl.Series([k[1] for k in class_index], dtype=_METHOD_DTYPE),
            "use_code": pl.Series([k[2] for k in class_index], dtype=_USE_DTYPE),
        }
    )
    return frame, classes


def _row_problems(
    problems: Sequence[_Problem],
    kind: str,
    idx: pl.Series,
    row_numbers: pl.Series,
    ok: pl.Series | None,
) -> pl.DataFrame:
    """Expand the problems of combinations to the rows that have them."""
    mine = [p for p in problems if p[1] == kind]
    if not mine:
        return pl.DataFrame(schema=_ERROR_SCHEMA)
    table = pl.DataFrame(
        {
            "combo": pl.Series([p[0] for p in mine], dtype=pl.UInt32),
            "column": [p[2] for p in mine],
            "reason": [p[3] for p in mine],
            "message": [p[4] for p in mine],
            "value": [p[5] for p in mine],
        },
        schema={
            "combo": pl.UInt32,
            "column": pl.String,
            "reason": pl.String,
            "message": pl.String,
            "value": pl.String,
        },
    )
    mask = idx.is_in(table.get_column("combo").unique().implode())
    if ok is not None:
        mask = mask & ok
    hits = pl.DataFrame({"row": row_numbers.filter(mask), "combo": idx.filter(mask)})
    return _sorted(hits.join(table, on="combo", how="inner").select(*_ERROR_SCHEMA))


def _quantity_errors(quantity: pl.Series, q_ok: pl.Series, row_numbers: pl.Series) -> pl.DataFrame:
    bad = ~q_ok
    q = quantity.filter(bad)
    text = q.cast(pl.String)
    frame = pl.DataFrame({"row": row_numbers.filter(bad), "q": q, "value": text})
    return frame.select(
        "row",
        pl.lit("quantity").alias("column"),
        pl.col("value").fill_null(""),
        pl.when(pl.col("q").is_null())
        .then(pl.lit("missing"))
        .when(pl.col("q").is_nan())
        .then(pl.lit("not_number"))
        .when(pl.col("q").is_infinite())
        .then(pl.lit("out_of_range"))
        .otherwise(pl.lit("negative"))
        .alias("reason"),
        pl.when(pl.col("q").is_null())
        .then(pl.lit("数量为空。请填写实物量（没有消费请填 0）。"))
        .when(pl.col("q").is_nan())
        .then(pl.lit("数量不是数字。请只填写数字。"))
        .when(pl.col("q").is_infinite())
        .then(pl.lit("数量超出了可表示的数值范围。请检查是否多写了位数。"))
        .otherwise(
            pl.format(
                "数量“{}”是负数，本列不能为负。请填写零或正数（输出、外供的能源不在本表填报）。",
                pl.col("value"),
            )
        )
        .alias("message"),
    ).cast(_ERROR_SCHEMA)  # type: ignore[arg-type]  # polars accepts a name→dtype mapping


_COLUMN_ORDER: Final = {
    "period": 0,
    "carrier": 1,
    "quantity": 2,
    "unit": 3,
    "use": 4,
    "separately_listed": 5,
}


def _sorted(errors: pl.DataFrame) -> pl.DataFrame:
    if errors.height == 0:
        return errors
    order = pl.col("column").replace_strict(_COLUMN_ORDER, default=9, return_dtype=pl.Int8)
    return errors.sort(pl.col("row"), order)
